"""Report notebooks are thin, parameterised and stored without outputs."""

from __future__ import annotations

import ast
import json

import pytest

from analysis.config import NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def code_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def test_there_are_notebooks():
    assert any(p.stem == "corpus_overview" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs(path):
    for cell in code_cells(path):
        assert cell.get("outputs") == [] and cell.get("execution_count") is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_first_typed_literals_commented(path):
    first = code_cells(path)[0]
    assert "parameters" in first["metadata"].get("tags", [])
    source = "".join(first["source"])
    tree = ast.parse(source)
    assert tree.body, "empty parameters cell"
    for node in tree.body:
        assert isinstance(node, ast.AnnAssign), f"untyped parameter: {ast.unparse(node)}"
        ast.literal_eval(node.value)  # literals only
    for line in source.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            assert "  # " in line, f"parameter without a comment: {line}"
            assert line.count("=") == 1, f"papermill cannot parse '=' in a comment: {line}"
    assert {"corpus_path", "metadata_path"} <= {n.target.id for n in tree.body}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_definitions_in_notebooks(path):
    for cell in code_cells(path):
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Lambda), (
                f"{path.name}: move definitions into analysis/"
            )


LOGIC = (ast.IfExp, ast.If, ast.For, ast.While, ast.ListComp, ast.DictComp, ast.SetComp,
         ast.GeneratorExp)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_cells_are_plain_calls(path):
    """No branches, loops or comprehensions in a notebook: that logic belongs in analysis/."""
    found = [
        f"{type(node).__name__}: {ast.unparse(node)[:60]}"
        for cell in code_cells(path)
        for node in ast.walk(ast.parse("".join(cell["source"])))
        if isinstance(node, LOGIC)
    ]
    assert not found, f"{path.name}: move this logic into analysis/ verbs: {found}"


@pytest.mark.parametrize(
    "source",
    ["x = 1 if y else 2", "if y:\n    pass", "for i in y:\n    pass", "while y:\n    break",
     "[i for i in y]", "{i: i for i in y}", "{i for i in y}", "f(i for i in y)"],
)
def test_plain_call_check_catches_logic(source, tmp_path, monkeypatch):
    nb = {"cells": [{"cell_type": "code", "source": [source], "metadata": {}, "outputs": [],
                     "execution_count": None}]}
    path = tmp_path / "bad.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(AssertionError, match="move this logic"):
        test_code_cells_are_plain_calls(path)
