"""The co-occurrence report notebook: committed clean, parameters declared, no functions."""

from __future__ import annotations

import ast

import nbformat

from analysis.config import NOTEBOOKS_DIR

NOTEBOOK = NOTEBOOKS_DIR / "cooccurrence.ipynb"


def test_notebook_is_clean_and_parametrised():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and code[0] is params[0]
    names = {node.target.id for node in ast.parse(params[0].source).body
             if isinstance(node, ast.AnnAssign)}
    assert names == {"corpus_path", "metadata_path", "context", "window", "context_window",
                     "measure", "min_count", "top_n", "focus_terms", "actor_dictionary_path",
                     "metonymy", "columns", "duplicates", "tables_dir"}
    for cell in code:
        tree = ast.parse(cell.source)
        assert not any(isinstance(n, ast.FunctionDef | ast.ClassDef | ast.Lambda)
                       for n in ast.walk(tree))
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
