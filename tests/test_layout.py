"""The package's layout, read from its source (``ast``): what a newcomer relies on.

- no import circle between the package's own modules (function-level imports included: a
  circle hidden inside a function is still a circle);
- a function-level import of the package's own modules says why on its line or the line above
  (import cost is a fine reason);
- each subpackage folder has one public face, its ``__init__.py`` with ``__all__``;
  ``analysis/__init__.py`` imports from the faces (and the public modules) only, and no other
  module imports a name through a face;
- at most a handful of modules at the top of ``analysis/``;
- ``docs/layout.md`` lists every subpackage and module, and nothing that is gone.
"""

from __future__ import annotations

import ast
import importlib
import io
import re
import tokenize
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

import analysis

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "analysis"
LAYOUT = ROOT / "docs" / "layout.md"
HANDFUL = 5
"""Modules allowed directly in ``analysis/`` (today ``__init__``, ``config``, ``datasets``)."""
DEPRECATED = {"fastcount"}
"""Names of ``analysis.__all__`` kept one release as deprecated aliases: not in the layout's
table of verbs, and ``analysis/__init__.py`` may import them from a private module."""


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    line: int
    end_line: int
    targets: tuple[str, ...]  # the package's own modules it loads
    names: tuple[str, ...]  # ``from X import <names>`` (empty for ``import X``)
    source: str  # X of ``from X import`` / ``import X``
    in_function: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def packages() -> set[str]:
    return {name for name, path in modules().items() if path.name == "__init__.py"}


@cache
def comment_lines(path: Path) -> frozenset[int]:
    source = path.read_text(encoding="utf-8")
    return frozenset(tok.start[0] for tok in tokenize.generate_tokens(io.StringIO(source).readline)
                     if tok.type == tokenize.COMMENT)


def module_imports(name: str, path: Path, own: dict[str, Path]) -> list[Import]:
    """The imports of the package's own modules in one module, at any depth."""
    is_package = path.name == "__init__.py"
    found: list[Import] = []

    def absolute(node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        base = name.split(".")[: None if is_package else -1]
        base = base[: len(base) - node.level + 1]
        return ".".join([*base, *([node.module] if node.module else [])])

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.split(".")[0] == "analysis":
                        found.append(Import(name, child.lineno, child.end_lineno or 0,
                                            (alias.name,), (), alias.name, in_function))
            elif isinstance(child, ast.ImportFrom):
                source = absolute(child)
                if source.split(".")[0] == "analysis":
                    names = tuple(a.name for a in child.names)
                    targets = tuple(f"{source}.{n}" if f"{source}.{n}" in own else source
                                    for n in names)
                    found.append(Import(name, child.lineno, child.end_lineno or 0,
                                        targets, names, source, in_function))
            visit(child, in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


@cache
def imports() -> tuple[Import, ...]:
    own = modules()
    return tuple(i for name, path in own.items() for i in module_imports(name, path, own))


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's own modules it imports (at module level or in a function).

    Importing ``analysis.a.b`` runs ``analysis/__init__.py`` and ``analysis/a/__init__.py``
    first, but that is how Python loads any submodule, not an edge of this module's making:
    only the module named is an edge."""
    graph: dict[str, set[str]] = {name: set() for name in modules()}
    for imp in imports():
        graph[imp.module].update(t for t in imp.targets if t in graph and t != imp.module)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each as a path."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


# ------------------------------------------------------------------------------- the checks

def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_reader_sees_module_and_function_level_imports():
    store = [i for i in imports() if i.module == "analysis.tokens._store"]
    assert any(not i.in_function and "analysis.tokens._tokenize" in i.targets for i in store)
    assert any(i.module == "analysis.report._cli" and i.targets == ("analysis.report._cache",)
               for i in imports())  # ``from analysis.report import _cache``: the module


def test_no_import_circle():
    assert cycles(import_graph()) == []


def test_function_level_imports_of_the_package_say_why():
    silent = []
    for imp in imports():
        if not imp.in_function:
            continue
        path = modules()[imp.module]
        if not comment_lines(path) & set(range(imp.line - 1, imp.end_line + 1)):
            silent.append(f"{path.relative_to(ROOT)}:{imp.line} imports {imp.source}")
    assert silent == [], "lift these to the top of the module, or say why they stay: " \
        + "; ".join(silent)


def test_each_subpackage_has_one_face_with_all():
    for name in sorted(packages() - {"analysis"}):
        path = modules()[name]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        declared = [t for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign)
                    for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
                    if isinstance(t, ast.Name) and t.id == "__all__"]
        assert declared, f"{path.relative_to(ROOT)} declares no __all__"
        face = importlib.import_module(name)
        missing = [n for n in face.__all__ if not hasattr(face, n)]
        assert missing == [], f"{name}.__all__ names what it does not have: {missing}"
    for folder in PACKAGE.rglob("*"):
        if folder.is_dir() and folder.name != "__pycache__" and any(folder.glob("*.py")):
            assert (folder / "__init__.py").is_file(), f"{folder} holds modules but no face"


def _is_private(dotted: str) -> bool:
    return any(part.startswith("_") for part in dotted.split("."))


def test_the_package_imports_from_faces_and_public_modules_only():
    own = modules()
    wrong = []
    for imp in imports():
        if imp.module != "analysis":
            continue
        for name, target in zip(imp.names or (imp.source,), imp.targets, strict=True):
            if name in {f"_{d}" for d in DEPRECATED}:
                continue
            if _is_private(imp.source) or _is_private(name) or target not in own:
                wrong.append(f"line {imp.line}: from {imp.source} import {name}")
    assert wrong == []


def test_no_module_imports_a_name_through_a_face():
    """Inside the package, imports go to where the code lives (a face is for users)."""
    faces = packages()
    through = [f"{modules()[i.module].relative_to(ROOT)}:{i.line} from {i.source} import {n}"
               for i in imports() if i.module != "analysis" and i.source in faces
               for n, t in zip(i.names, i.targets, strict=True) if t == i.source]
    assert through == []


def test_a_handful_of_modules_at_the_top():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= HANDFUL, top


# ------------------------------------------------------------------------- docs/layout.md

TREE_LINE = re.compile(r"^(?P<indent> *)(?P<name>[\w.-]+/?)(?:\s{2,}(?P<what>.*))?$")
ROW = re.compile(r"^\|\s*(?P<cells>.*?)\s*\|\s*$")


def layout_text() -> str:
    return LAYOUT.read_text(encoding="utf-8")


def layout_tree() -> list[str]:
    """The paths of the package tree (the code block that starts with ``analysis/``), from
    the indentation (two spaces a level)."""
    blocks = re.findall(r"```text\n(analysis/\n.*?)```", layout_text(), flags=re.S)
    assert len(blocks) == 1, "docs/layout.md needs one ```text block starting with analysis/"
    paths: list[str] = []
    parents: list[str] = []
    for line in blocks[0].splitlines():
        match = TREE_LINE.match(line)
        assert match, f"not a tree line: {line!r}"
        depth = len(match["indent"]) // 2
        assert len(match["indent"]) % 2 == 0 and depth <= len(parents), line
        parents = parents[:depth]
        path = "".join(parents) + match["name"]
        paths.append(path)
        if path.endswith("/"):
            parents.append(match["name"])
    return paths


def package_tree() -> set[str]:
    """``analysis/``, every folder of modules and every module, as paths from the repository."""
    out = {"analysis/"}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(ROOT)
        out.add(rel.as_posix())
        out.update(f"{p.as_posix()}/" for p in rel.parents if p != Path("."))
    return out


def capability_rows() -> list[tuple[str, list[str], str]]:
    """``(what, public names, module path)`` of the table "Where a capability lives"."""
    section = layout_text().split("## Where a capability lives", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        match = ROW.match(line)
        if not match or set(match["cells"]) <= set("-| "):
            continue
        cells = [c.strip() for c in match["cells"].split("|")]
        if cells[0] == "to":
            continue  # the header
        what, names, where = cells
        rows.append((what, re.findall(r"`analysis\.(\w+)`", names),
                     re.fullmatch(r"`(analysis/[\w/]+\.py)`", where)[1]))  # type: ignore[index]
    return rows


def test_layout_lists_every_subpackage_and_module_and_nothing_gone():
    listed = layout_tree()
    assert len(listed) == len(set(listed)), "listed twice"
    gone = [p for p in listed if not (ROOT / p).exists()]
    assert gone == [], f"docs/layout.md lists what is not in the tree: {gone}"
    missing = sorted(package_tree() - set(listed))
    assert missing == [], f"docs/layout.md does not list: {missing}"


def test_every_tree_line_says_what_it_holds():
    blocks = re.findall(r"```text\n(analysis/\n.*?)```", layout_text(), flags=re.S)
    bare = [line.strip() for line in blocks[0].splitlines()[1:]
            if not TREE_LINE.match(line)["what"]]  # type: ignore[index]
    assert bare == []


def test_layout_says_where_each_verb_lives():
    """Each row's names are ``analysis.<name>`` and defined in the module the row names; every
    public name of the package has its row."""
    seen: set[str] = set()
    for _what, names, where in capability_rows():
        assert (ROOT / where).is_file(), where
        module = importlib.import_module(module_name(ROOT / where))
        for name in names:
            obj = getattr(analysis, name)
            if isinstance(obj, type(analysis)):  # a public module: analysis.choose, ...
                assert Path(obj.__file__ or "") == ROOT / where, (name, where)
            else:
                assert getattr(module, name, None) is obj, (name, where)
                tree = ast.parse((ROOT / where).read_text(encoding="utf-8"))
                defined = {n.name for n in tree.body
                           if isinstance(n, ast.FunctionDef | ast.ClassDef)}
                defined |= {t.id for n in tree.body if isinstance(n, ast.Assign | ast.AnnAssign)
                            for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
                            if isinstance(t, ast.Name)}
                assert name in defined, f"{name} is imported into {where}, defined elsewhere"
        seen.update(names)
    public = {n for n in analysis.__all__ if not n.startswith("__")} - DEPRECATED
    assert sorted(public - seen) == [], "public names without a row in docs/layout.md"


@pytest.mark.parametrize("line", [
    "analysis/", "  _private.py   holds code", "    deeper/    a folder"])
def test_tree_lines_parse(line):
    assert TREE_LINE.match(line)


def test_readme_names_every_subpackage():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Where the code is", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(\w+)/`", section)) - {"analysis"}
    assert named == {name.split(".")[1] for name in packages() - {"analysis"}}


# ------------------------------------------------------------------ stale names in the docs

DOCS = sorted([*(ROOT / "docs").glob("*.md"), ROOT / "README.md"])
DOTTED = re.compile(r"(?<![\w./-])(analysis(?:\.\w+)+)")
PATH = re.compile(r"(?<![\w./-])((?:analysis|tests|bench|docs|notebooks|data)/[\w./-]*\w)")


def resolves(dotted: str) -> bool:
    """``analysis.a.b.c`` is a module, or an attribute (chain) of the longest module prefix."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for part in parts[i:]:
            if not hasattr(obj, part):
                return False
            obj = getattr(obj, part)
        return True
    return False


def test_the_name_checker_refuses_what_is_gone():
    assert resolves("analysis.terms._frequency.frequency_columns")
    assert resolves("analysis.term_frequency") and resolves("analysis.report._render")
    assert not resolves("analysis.counting") and not resolves("analysis.tokens._tokenize.nope")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_docs_name_only_modules_and_files_that_exist(doc):
    """Every ``analysis.x.y`` and every repository path written in backticks still exists (the
    docs taught ``analysis.counting`` and ``analysis/token_store.py`` after both had moved)."""
    text = doc.read_text(encoding="utf-8")
    stale = []
    for span in re.finditer(r"`([^`\n]+)`", text):
        line = text.count("\n", 0, span.start()) + 1
        stale += [f"{line}: {ref}" for ref in DOTTED.findall(span[1]) if not resolves(ref)]
        stale += [f"{line}: {path}" for path in PATH.findall(span[1])
                  if "*" not in path and not (ROOT / path).exists()]
    assert stale == []
