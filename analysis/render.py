"""Offline, escaped Altair charts in notebooks and in self-contained HTML reports.

In a report notebook, :func:`enable` switches Altair to the ``analysis`` renderer. Each chart then
displays as two representations:

- ``application/vnd.vegalite.v6+json``, which JupyterLab draws natively; and
- ``text/html``: an empty ``<div>`` plus the chart's spec in a ``<script type="application/json">``
  block, with ``<``, ``>`` and ``&`` written as ``\\u003c``, ``\\u003e``, ``\\u0026`` so that no
  corpus text can close the block or open a tag. That HTML runs no code by itself.

:func:`inline_vega` then puts the Vega, Vega-Lite and vega-embed libraries (from the installed
``vl-convert-python`` wheel, so no network) into a report once, followed by a loader that draws
every chart block. Tooltips use vega-embed's tooltip handler, which escapes values as text.
"""

from __future__ import annotations

import functools
import hashlib
import json
from typing import Any

RENDERER = "analysis"
SPEC_CLASS = "analysis-chart-spec"
CHART_CLASS = "analysis-chart"
VEGALITE_MIME = "application/vnd.vegalite.v6+json"

_LOADER = f"""
function analysisChartFailed(box, err) {{
  var chart = box && box.closest ? (box.closest(".{CHART_CLASS}") || box) : box;
  if (chart && !chart.dataset.failed) {{
    chart.dataset.failed = "1";
    chart.textContent = "Chart failed to draw: " + (err && err.message ? err.message : err);
  }}
}}
// vega-embed accepts a View class: one whose error() (called for runtime errors in a chart's
// data flow, which vegaEmbed itself does not reject on) replaces that chart with a message.
var analysisViewClass = vegaEmbed(document.createElement("div"),
    {{"data": {{"values": []}}, "mark": "point"}}, {{"actions": false, "renderer": "svg"}})
  .then(function (probe) {{
    var Base = probe.view.constructor;
    probe.view.finalize();
    return class extends Base {{
      error() {{
        try {{ analysisChartFailed(this.container(), arguments[arguments.length - 1]); }}
        catch (e) {{}}
        return Base.prototype.error.apply(this, arguments);
      }}
    }};
  }})
  .catch(function () {{ return undefined; }});
document.querySelectorAll("script.{SPEC_CLASS}").forEach(function (el) {{
  var spec = JSON.parse(el.textContent);
  var box = document.getElementById(el.dataset.target);
  analysisViewClass
    .then(function (viewClass) {{
      var options = {{"actions": false, "renderer": "svg"}};
      if (viewClass) options.viewClass = viewClass;
      return vegaEmbed(box, spec, options);
    }})
    .catch(function (err) {{
      analysisChartFailed(box, err);
    }});
}});
"""

OBJECT_KEYS = frozenset({
    "__proto__", "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__",
    "constructor", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString",
    "toString", "valueOf",
})
"""Names of ``Object.prototype`` members: a category with one of these names makes Vega's
grouping (which keys plain objects by value) fail, so :func:`chart_html` appends a zero-width
space to such values (they still read the same)."""


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
    (False, 1, True)
    """
    if isinstance(spec, dict) and "datasets" in spec:
        spec = {**spec, "datasets": _safe_categories(spec["datasets"])}
    if isinstance(spec, dict) and isinstance(spec.get("data"), dict) and "values" in spec["data"]:
        values = _safe_categories(spec["data"]["values"])
        spec = {**spec, "data": {**spec["data"], "values": values}}
    body = safe_json(spec)
    chart_id = "chart-" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]
    return (
        f'<div class="{CHART_CLASS}" id="{chart_id}"></div>\n'
        f'<script type="application/json" class="{SPEC_CLASS}" data-target="{chart_id}">'
        f"{body}</script>"
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


def renderer(spec: dict[str, Any], **metadata: Any) -> dict[str, Any]:
    """Altair renderer: the Vega-Lite spec for JupyterLab plus inert HTML for reports."""
    return {
        VEGALITE_MIME: spec,
        "text/html": chart_html(spec),
        "text/plain": "<Altair chart>",
    }


def _theme() -> dict[str, Any]:
    return {
        "config": {
            "view": {"continuousWidth": 560, "continuousHeight": 300},
            "axis": {"labelFontSize": 11, "titleFontSize": 12},
            "title": {"fontSize": 14, "anchor": "start"},
        }
    }


def enable() -> None:
    """Register and enable the ``analysis`` Altair renderer and theme (idempotent)."""
    import altair as alt

    if RENDERER not in alt.renderers.names():
        alt.renderers.register(RENDERER, renderer)
    alt.renderers.enable(RENDERER)
    if RENDERER not in alt.theme.names():
        alt.theme.register(RENDERER, enable=False)(_theme)
    alt.theme.enable(RENDERER)


@functools.cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script, from the installed vl-convert wheel."""
    import vl_convert as vlc
    from altair.utils.html import vl_version_for_vl_convert

    return vlc.javascript_bundle(vl_version=vl_version_for_vl_convert())


def inline_vega(html: str) -> str:
    """Insert the chart libraries and loader into a report page, once, before ``</body>``.

    Pages without charts are returned unchanged.

    Examples
    --------
    >>> inline_vega("<html><body><p>no charts</p></body></html>")
    '<html><body><p>no charts</p></body></html>'
    """
    if SPEC_CLASS not in html:
        return html
    bundle = vega_bundle().replace("</script", "<\\/script")
    scripts = (
        '<script type="text/javascript">\n' + bundle + "\n</script>\n"
        '<script type="text/javascript">' + _LOADER + "</script>\n"
    )
    head, sep, tail = html.rpartition("</body>")
    if not sep:
        return html + scripts
    return head + scripts + sep + tail
