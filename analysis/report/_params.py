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
