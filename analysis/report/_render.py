"""Offline, escaped Altair charts that draw in JupyterLab, the classic notebook, VS Code and HTML.

In a notebook, :func:`enable` (called by ``report.setup_notebook()``) switches Altair to the
``analysis`` renderer. Each chart then displays as ``text/html`` made of:

- the chart libraries (Vega, Vega-Lite and vega-embed from the installed ``vl-convert-python``
  wheel, so no network), once per kernel session: in the first chart shown after :func:`enable`,
  wrapped so that a second copy in the same page does nothing;
- an empty ``<div>`` plus the chart's spec in a ``<script type="application/json">`` block, with
  ``<``, ``>`` and ``&`` written as ``\\u003c``, ``\\u003e``, ``\\u0026`` so that no corpus text
  can close the block or open a tag; and
- a constant loader script (it carries no chart data) that draws every chart block of the page
  not drawn yet, waiting for the libraries when they are still loading.

Why ``text/html`` and not a Vega-Lite MIME type: JupyterLab 4 draws
``application/vnd.vegalite.v5+json`` and below only, while Altair 6 writes Vega-Lite 6 specs; a
MIME renderer would also need an extension in every front end. Front ends run the scripts of
``text/html`` outputs that the user produced (JupyterLab and Notebook 7 for trusted outputs,
VS Code in its output webview), so the same output draws everywhere, with the libraries that
match Altair's Vega-Lite version. A notebook reopened untrusted shows the outputs without
scripts (no charts) until it is run again.

Reports use the same chart HTML: :func:`inline_vega` puts the libraries into the page once (when
the page does not carry them already) followed by the loader. Tooltips use vega-embed's tooltip
handler, which escapes values as text.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.report._cache import cache_dir

if TYPE_CHECKING:
    from altair.theme import ThemeConfig

RENDERER = "analysis"
SPEC_CLASS = "analysis-chart-spec"
CHART_CLASS = "analysis-chart"
LIBS_CLASS = "analysis-chart-libs"
LOADER_CLASS = "analysis-chart-loader"
VEGALITE_MIME = "application/vnd.vegalite.v6+json"
"""The MIME type of Altair's own spec output (not emitted here; see the module notes)."""

LIBRARIES_MISSING = (
    "Chart libraries are not loaded in this page: run the notebook's setup cell again, "
    "then this cell."
)

LOADER = (
    """
(function () {
  var tries = 0;
  function failed(box, err) {
    if (box && !box.dataset.failed) {
      box.dataset.failed = "1";
      box.textContent = "Chart failed to draw: " + (err && err.message ? err.message : err);
    }
  }
  // vega-embed takes a View class: this one's error() (called for runtime errors while a
  // chart's data flow runs, which vegaEmbed does not reject on) shows the failure in the page.
  function viewClass() {
    if (!window.analysisViewClass) {
      window.analysisViewClass = window.vegaEmbed(document.createElement("div"),
          {"data": {"values": []}, "mark": "point"}, {"actions": false, "renderer": "svg"})
        .then(function (probe) {
          var Base = probe.view.constructor;
          probe.view.finalize();
          return class extends Base {
            error() {
              try {
                var box = this.container();
                failed(box && box.closest ? (box.closest(".__CHART__") || box) : box,
                       arguments[arguments.length - 1]);
              } catch (e) {}
              return Base.prototype.error.apply(this, arguments);
            }
          };
        })
        .catch(function () { return undefined; });
    }
    return window.analysisViewClass;
  }
  function draw() {
    var blocks = document.querySelectorAll("script.__SPEC__:not([data-drawn])");
    if (!blocks.length) { return; }
    if (typeof window.vegaEmbed !== "function") {
      if (tries++ < 150) { setTimeout(draw, 100); return; }
      blocks.forEach(function (el) {
        var box = el.previousElementSibling;
        if (box && !box.textContent) { box.textContent = __MISSING__; }
      });
      return;
    }
    blocks.forEach(function (el) {
      el.setAttribute("data-drawn", "1");
      var box = el.previousElementSibling;
      if (!box || !box.classList.contains("__CHART__")) {
        box = document.getElementById(el.dataset.target);
      }
      var spec = JSON.parse(el.textContent);
      viewClass()
        .then(function (View) {
          var options = {"actions": false, "renderer": "svg"};
          if (View) { options.viewClass = View; }
          return window.vegaEmbed(box, spec, options);
        })
        .catch(function (err) { failed(box, err); });
    });
  }
  draw();
})();
"""
    .replace("__SPEC__", SPEC_CLASS)
    .replace("__CHART__", CHART_CLASS)
    .replace("__MISSING__", json.dumps(LIBRARIES_MISSING))
)
"""The loader: a constant script (no chart data) that draws every chart block not drawn yet."""

_session = {"libraries_sent": False}

OBJECT_KEYS = frozenset({
    "__proto__", "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__",
    "constructor", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString",
    "toString", "valueOf",
})
"""Names of ``Object.prototype`` members: a category with one of these names makes Vega's
grouping (which keys plain objects by value) fail, so :func:`chart_html` appends a zero-width
space to every such string value of a spec, wherever it stands (data, ``encoding.sort`` arrays,
scale domains): they still read the same."""


def _safe_categories(value: Any) -> Any:
    if isinstance(value, str):
        return value + "\u200b" if value in OBJECT_KEYS else value
    if isinstance(value, list):
        return [_safe_categories(v) for v in value]
    if isinstance(value, dict):
        return {k: _safe_categories(v) for k, v in value.items()}
    return value


def safe_json(obj: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element: no ``<``, ``>`` or ``&`` characters.

    Examples
    --------
    >>> safe_json({"t": "</script><script>alert(1)</script>"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    >>> json.loads(safe_json({"t": "a<b&c"}))
    {'t': 'a<b&c'}
    """
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True)
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def chart_html(spec: dict[str, Any]) -> str:
    """The inert HTML placeholder for one chart: a target ``<div>`` and its escaped spec.

    The element id is derived from the spec's content, so the same chart gets the same id on
    every run.

    Examples
    --------
    >>> html = chart_html({"mark": "bar", "title": "<b>x</b>"})
    >>> "<b>" in html, html.count("<script"), 'type="application/json"' in html
    (False, 2, True)
    >>> LOADER in html  # the only code is the constant loader
    True
    """
    # every string value of the spec, not only its data: categories also stand in
    # encoding.sort arrays, scale domains and layered data (keys and numbers are left alone)
    spec = _safe_categories(spec)
    body = safe_json(spec)
    chart_id = "chart-" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]
    return (
        f'<div class="{CHART_CLASS}" id="{chart_id}"></div>\n'
        f'<script type="application/json" class="{SPEC_CLASS}" data-target="{chart_id}">'
        f"{body}</script>\n"
        f'<script type="text/javascript" class="{LOADER_CLASS}">{LOADER}</script>'
    )


def table_html(table: Any, *, max_rows: int = 30) -> str:
    """A table as HTML with every cell and header escaped; long tables are cut with a note.

    Examples
    --------
    >>> import polars as pl
    >>> html = table_html(pl.DataFrame({"t": ["<img src=x onerror=alert(1)>"]}))
    >>> "&lt;img src=x onerror=alert(1)&gt;" in html, "<img" in html
    (True, False)
    """
    import pandas as pd
    import polars as pl

    frame = table.to_pandas() if isinstance(table, pl.DataFrame) else pd.DataFrame(table)
    n = len(frame)
    shown = frame.head(max_rows)
    body = shown.to_html(index=False, escape=True, na_rep="", border=0, classes="analysis-table")
    note = f"{n:,} rows" + (f", first {max_rows} shown" if n > max_rows else "")
    return f'<div class="analysis-table-note">{note}</div>\n{body}'


def libraries_html() -> str:
    """The chart libraries as one ``<script>``; a second copy in the same page does nothing.

    Examples
    --------
    >>> html = libraries_html()
    >>> html.startswith('<script type="text/javascript" class="analysis-chart-libs">')
    True
    >>> html.count("</script") == 1
    True
    """
    bundle = vega_bundle().replace("</script", "<\\/script")
    return (
        f'<script type="text/javascript" class="{LIBS_CLASS}">\n'
        'if (typeof window.vegaEmbed !== "function") { (function () {\n'
        f"{bundle}\n"
        "})(); }\n</script>"
    )


def renderer(spec: dict[str, Any], **metadata: Any) -> dict[str, Any]:
    """Altair renderer: the chart's HTML, led by the libraries in the session's first chart.

    Examples
    --------
    >>> enable()
    >>> first = renderer({"mark": "bar"})["text/html"]
    >>> second = renderer({"mark": "bar"})["text/html"]
    >>> LIBS_CLASS in first, LIBS_CLASS in second, second in first
    (True, False, True)
    """
    html = chart_html(spec)
    if not _session["libraries_sent"]:
        html = libraries_html() + "\n" + html
        _session["libraries_sent"] = True
    return {"text/html": html, "text/plain": "<Altair chart>"}


def _theme() -> ThemeConfig:
    return {
        "config": {
            "view": {"continuousWidth": 560, "continuousHeight": 300},
            "axis": {"labelFontSize": 11, "titleFontSize": 12},
            "title": {"fontSize": 14, "anchor": "start"},
        }
    }


@contextlib.contextmanager
def no_iri_grammar() -> Iterator[None]:
    """Import jsonschema (if first imported in the block) without building the IRI grammar it
    loads for its format checkers: ``rfc3987_syntax`` builds a Lark parser at import, over 1 s
    of CPU per process.

    Neither the Vega-Lite schema (formats ``uri``, ``uri-reference``, ``color-hex``) nor the
    notebook format's schema checks ``iri`` or ``iri-reference``, so validation is unchanged.
    The module is only kept out while jsonschema is first imported; importing it later works.

    Examples
    --------
    >>> with no_iri_grammar():
    ...     import jsonschema
    >>> jsonschema.__name__
    'jsonschema'
    """
    block = "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules
    if block:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # import -> ImportError
    try:
        yield
    finally:
        if block and "rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] is None:
            del sys.modules["rfc3987_syntax"]


def import_altair() -> Any:
    """``import altair`` without the IRI grammar (:func:`no_iri_grammar`).

    Examples
    --------
    >>> import_altair().__name__
    'altair'
    """
    with no_iri_grammar():
        import altair
    return altair


def reset_session() -> None:
    """Forget that the chart libraries were sent: the next chart shown carries them again.

    Examples
    --------
    >>> reset_session()
    >>> LIBS_CLASS in renderer({"mark": "bar"})["text/html"]
    True
    """
    _session["libraries_sent"] = False


def enable() -> None:
    """Register and enable the ``analysis`` Altair renderer and theme.

    Safe to call again: the next chart shown then carries the chart libraries again (for a page
    reloaded while its kernel kept running).
    """
    alt = import_altair()

    reset_session()
    if RENDERER not in alt.renderers.names():
        alt.renderers.register(RENDERER, renderer)
    alt.renderers.enable(RENDERER)
    if RENDERER not in alt.theme.names():
        alt.theme.register(RENDERER, enable=False)(_theme)
    alt.theme.enable(RENDERER)


BUNDLE_DIR: Path = Path(sys.prefix) / "share" / "analysis"
"""Where ``make env`` stores the chart bundle of this environment (:func:`install_bundle`)."""


def bundle_name() -> str:
    """The bundle's file name, keyed by the vl-convert and Altair versions (Altair's version
    fixes the Vega-Lite version), read without importing either.

    Examples
    --------
    >>> bundle_name().startswith("vega-bundle-") and bundle_name().endswith(".js")
    True
    """
    from importlib.metadata import version

    versions = f"{version('vl-convert-python')} {version('altair')}"
    return f"vega-bundle-{hashlib.sha256(versions.encode()).hexdigest()[:16]}.js"


def build_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script, built by the installed vl-convert wheel
    for Altair's Vega-Lite version (about 3 s of CPU)."""
    import vl_convert as vlc

    import_altair()
    from altair.utils.html import vl_version_for_vl_convert

    bundle: str = vlc.javascript_bundle(  # type: ignore[call-arg]  # the stub omits the default
        vl_version=vl_version_for_vl_convert()
    )
    return bundle


def _write_bundle(folder: Path, bundle: str) -> Path:
    import os
    import tempfile

    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".vega-bundle-", suffix=".tmp", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(bundle)
    os.chmod(tmp, 0o644)  # readable like the installed files (mkstemp makes it private)
    target = folder / bundle_name()
    os.replace(tmp, target)
    return target


def install_bundle(folder: Path | None = None) -> Path:
    """Build the bundle into ``folder`` (default :data:`BUNDLE_DIR`), where :func:`vega_bundle`
    finds it: ``make env`` calls this (``python -m analysis.render``), so that no report run
    of the environment builds it again. Returns the file written."""
    return _write_bundle(BUNDLE_DIR if folder is None else folder, build_bundle())


@functools.cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script, from the installed vl-convert wheel.

    Read from the report run's cache folder (``$ANALYSIS_CACHE_DIR``) or the environment's
    :data:`BUNDLE_DIR` when either holds it for the installed versions (:func:`bundle_name`);
    else built (:func:`build_bundle`) and, during a report run, written to the cache folder,
    so the report process builds it at most once and every kernel reads it.
    """
    run_folder = cache_dir()
    name = bundle_name()
    for folder in (run_folder, BUNDLE_DIR):
        if folder is not None and (folder / name).is_file():
            return (folder / name).read_text(encoding="utf-8")
    bundle = build_bundle()
    if run_folder is not None:
        _write_bundle(run_folder, bundle)
    return bundle


def inline_vega(html: str) -> str:
    """Make a report page's charts draw: libraries (unless present) and loader before ``</body>``.

    Pages without charts are returned unchanged.

    Examples
    --------
    >>> inline_vega("<html><body><p>no charts</p></body></html>")
    '<html><body><p>no charts</p></body></html>'
    >>> page = inline_vega("<html><body>" + chart_html({"mark": "bar"}) + "</body></html>")
    >>> page.count(LIBS_CLASS), page.index(LIBS_CLASS) > page.index(SPEC_CLASS)
    (1, True)
    """
    if SPEC_CLASS not in html:
        return html
    scripts = "" if LIBS_CLASS in html else libraries_html() + "\n"
    scripts += f'<script type="text/javascript" class="{LOADER_CLASS}">{LOADER}</script>\n'
    head, sep, tail = html.rpartition("</body>")
    if not sep:
        return html + scripts
    return head + scripts + sep + tail


if __name__ == "__main__":
    print(install_bundle())
