"""The report notebooks and their parameters: discovery, the ``parameters`` cell, checks.

A report notebook declares its parameters in the cell tagged ``parameters`` (papermill style),
one assignment per line with an optional type annotation and a ``#`` comment; ``--list`` shows
them (:func:`list_reports`) and a run refuses names no selected notebook declares
(:func:`check_parameters`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from analysis.config import NOTEBOOKS_DIR
from analysis.engine._options import renamed


def discover_notebooks(names: Sequence[str] = (), *, folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The report notebooks in ``folder`` (all, or the ones named), sorted by name."""
    found = sorted(folder.glob("*.ipynb"))
    if not names:
        return found
    by_name = {p.stem: p for p in found}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise SystemExit(f"no notebook named {missing} in {folder}; have {sorted(by_name)}")
    return [by_name[n] for n in names]


def declared_parameters(nb_path: Path) -> set[str]:
    """Names assigned in the notebook's ``parameters`` cell."""
    import ast

    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse("".join(cell.get("source", "")))
            names: set[str] = set()
            for node in tree.body:
                if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    names.add(node.target.id)
                elif isinstance(node, ast.Assign):
                    names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            return names
    return set()


def notebook_parameters(nb_path: Path) -> list[tuple[str, str, str, str]]:
    """The parameters cell of a notebook: ``(name, type, default, comment)`` per parameter.

    Examples
    --------
    >>> rows = notebook_parameters(NOTEBOOKS_DIR / "corpus_overview.ipynb")
    >>> rows[0][:3]
    ('corpus_path', 'list[str]', '[]')
    """
    import ast

    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        source = "".join(cell.get("source", ""))
        lines = source.splitlines()
        rows = []
        for node in ast.parse(source).body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                line = lines[node.lineno - 1]
                comment = line.split("  # ", 1)[1].strip() if "  # " in line else ""
                value = (ast.get_source_segment(source, node.value) or "") if node.value else ""
                rows.append((node.target.id, ast.unparse(node.annotation), value, comment))
            elif isinstance(node, ast.Assign):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        rows.append((t.id, "", ast.unparse(node.value), ""))
        return rows
    return []


def list_reports(folder: Path = NOTEBOOKS_DIR) -> str:
    """The report notebooks in ``folder`` and their parameters, as text for ``--list``.

    Examples
    --------
    >>> text = list_reports()
    >>> "corpus_overview" in text and "  top_n: int = " in text
    True
    """
    notebooks = discover_notebooks(folder=folder)
    if not notebooks:
        return f"no report notebooks (*.ipynb) in {folder}"
    out = [f"{len(notebooks)} reports in {folder}:"]
    for nb in notebooks:
        out.append(f"\n{nb.stem}")
        for name, kind, default, comment in notebook_parameters(nb):
            typed = f": {kind}" if kind else ""
            out.append(f"  {name}{typed} = {default}" + (f"  # {comment}" if comment else ""))
    return "\n".join(out)


@renamed(columns="column_names")
def check_parameters(
    parameters: Mapping[str, Any], notebooks: Sequence[Path], *,
    column_names: Mapping[str, str] | None = None,
) -> list[str]:
    """Refuse parameter names that none of ``notebooks`` declares, naming the valid ones.

    Column names (``column_names``; ``columns=`` is its deprecated name) need notebooks with a
    ``columns`` parameter: refused when none
    has one; the names of the notebooks without one are returned (they load the corpus with
    the recognised columns).

    Examples
    --------
    >>> check_parameters({"topn": 5}, [NOTEBOOKS_DIR / "corpus_overview.ipynb"])
    Traceback (most recent call last):
    ...
    ValueError: unknown report parameter 'topn'; valid: columns, corpus_path, ..., top_n
    """
    columns = column_names
    declared: set[str] = set()
    without_columns = []
    for nb in notebooks:
        names = declared_parameters(nb)
        declared |= names
        if "columns" not in names:
            without_columns.append(nb.stem)
    unknown = sorted(set(parameters) - declared)
    if unknown:
        listed = ", ".join(repr(n) for n in unknown)
        raise ValueError(
            f"unknown report parameter{'s' if len(unknown) > 1 else ''} {listed}; "
            f"valid: {', '.join(sorted(declared))}"
        )
    if columns and len(without_columns) == len(notebooks):
        raise ValueError(
            "column names were given but no selected notebook takes them (no `columns` "
            f"parameter in {', '.join(without_columns)})"
        )
    return without_columns if columns else []


PARAMETER_RANGES: dict[str, tuple[float, float]] = {
    "threshold": (0.0, 1.0), "containment": (0.0, 1.0),
}
"""Allowed ranges of numeric parameters by name, beyond the rule for every number: an ``int``
is at least 0, and one that sets a size or a limit (its name starts with ``top``, ``max``, ``n_``
or is a window, shingle or opening length) at least 1."""

_AT_LEAST_ONE = ("top", "max", "n_")
_AT_LEAST_ONE_NAMES = {"window", "context_window", "shingle", "opening_chars"}


def _check_value(name: str, kind: str, value: Any) -> tuple[Any, str | None]:
    """``(value, note)`` when ``value`` fits the declared ``kind``; raises ``ValueError``."""
    def refuse(allowed: str) -> ValueError:
        return ValueError(f"report parameter {name}={value!r} ({type(value).__name__}) is not "
                          f"allowed: {name} takes {allowed}")

    if kind == "bool":
        if not isinstance(value, bool):
            raise refuse("true or false")
        return value, None
    if kind in ("int", "float"):
        ok = isinstance(value, int) or (kind == "float" and isinstance(value, float))
        if isinstance(value, bool) or not ok:
            raise refuse("a whole number" if kind == "int" else "a number")
        lo, hi = PARAMETER_RANGES.get(name, (0.0, float("inf")))
        if kind == "int" and (name.startswith(_AT_LEAST_ONE) or name in _AT_LEAST_ONE_NAMES):
            lo = max(lo, 1)
        if not lo <= value <= hi:
            allowed = f"a number from {lo:g} to {hi:g}" if hi != float("inf") else \
                f"{'a whole number' if kind == 'int' else 'a number'} of at least {lo:g}"
            raise refuse(allowed)
        return value, None
    if kind == "str":
        if not isinstance(value, str):
            raise refuse("text")
        return value, None
    if kind == "list[str]":
        if isinstance(value, str):
            return [value], f"{name}={value!r} read as the one-element list [{value!r}]"
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise refuse('a list of text values (["a", "b"])')
        return value, None
    if kind.startswith("dict["):
        inner = kind[5:-1].split(", ", 1)[1] if ", " in kind else "str"
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            raise refuse(f"a mapping of names to {inner} ({{\"name\": ...}})")
        checked = {k: _check_value(f"{name}[{k!r}]", inner, v) for k, v in value.items()}
        notes = [note for _, note in checked.values() if note]
        return {k: v for k, (v, _) in checked.items()}, "; ".join(notes) or None
    return value, None  # a type this check does not know: the notebook checks it


def validate_parameters(
    parameters: Mapping[str, Any], notebooks: Sequence[Path]
) -> tuple[dict[str, Any], list[str]]:
    """Check every given parameter against the type it is declared with, before any kernel
    starts: ``(parameters, notes)``, with a text given for a list of texts made a one-element
    list (and said in a note).

    Raises ``ValueError`` naming the parameter, the value and what is allowed.

    Examples
    --------
    >>> nb = [NOTEBOOKS_DIR / "term_frequency.ipynb"]
    >>> checked, notes = validate_parameters({"focus_terms": "putin", "top_n": 40}, nb)
    >>> checked, notes
    ({'focus_terms': ['putin'], 'top_n': 40}, ["focus_terms='putin' read as ... ['putin']"])
    >>> validate_parameters({"top_n": -5}, nb)
    Traceback (most recent call last):
    ...
    ValueError: report parameter top_n=-5 (int) is not allowed: top_n takes a whole number of ...
    >>> validate_parameters({"top_n": "abc"}, nb)
    Traceback (most recent call last):
    ...
    ValueError: report parameter top_n='abc' (str) is not allowed: top_n takes a whole number
    """
    kinds: dict[str, str] = {}
    for nb in notebooks:
        for name, kind, _, _ in notebook_parameters(nb):
            kinds.setdefault(name, kind)
    out, notes = {}, []
    for name, value in parameters.items():
        checked, note = _check_value(name, kinds.get(name, ""), value)
        out[name] = checked
        if note:
            notes.append(note)
    return out, notes


def load_parameter_file(path: str | Path) -> dict[str, Any]:
    """Parameters from a YAML (or JSON) file holding one mapping, as papermill's ``-f``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = Path(d) / "p.yaml"
    ...     _ = f.write_text("top_n: 40\\nevery: 1w\\n")
    ...     load_parameter_file(f)
    {'top_n': 40, 'every': '1w'}
    """
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SystemExit(f"cannot read parameter file {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise SystemExit(f"parameter file {path} is not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise SystemExit(f"parameter file {path} must hold a mapping of names to values")
    return data
