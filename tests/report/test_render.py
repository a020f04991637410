"""Chart output for notebooks and reports: libraries once, inert escaped specs, a constant loader."""

from __future__ import annotations

import json
import re

import pytest

from analysis.report import _render as render

PAYLOAD = "</script><script>alert(1)</script><img src=x onerror=alert(1)>\u2028"


@pytest.fixture()
def session():
    render.enable()
    yield
    render.enable()


def test_spec_is_escaped_and_round_trips():
    spec = {"mark": "text", "data": {"values": [{"t": PAYLOAD}]}, "title": "a & b"}
    html = render.chart_html(spec)
    block = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)
    assert block is not None
    assert json.loads(block.group(1)) == spec
    assert not re.search(r"[<>&]", block.group(1))
    assert "<img" not in html and "alert(1)</script>" not in html


def test_the_only_code_is_the_constant_loader():
    html = render.chart_html({"mark": "bar", "title": PAYLOAD})
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    code = [body for attrs, body in scripts if "application/json" not in attrs]
    assert code == [render.LOADER]


def test_libraries_come_with_the_first_chart_of_a_session_only(session):
    first = render.renderer({"mark": "bar"})
    second = render.renderer({"mark": "point"})
    assert set(first) == {"text/html", "text/plain"}  # no Vega-Lite 6 MIME JupyterLab 4 ignores
    assert first["text/html"].count(render.LIBS_CLASS) == 1
    assert render.LIBS_CLASS not in second["text/html"]
    render.enable()  # setup_notebook() again, e.g. after reloading the page
    assert render.LIBS_CLASS in render.renderer({"mark": "bar"})["text/html"]


def test_libraries_are_guarded_against_a_second_copy():
    html = render.libraries_html()
    assert 'if (typeof window.vegaEmbed !== "function")' in html
    assert html.count("<script") == 1 and html.count("</script") == 1
    assert render.vega_bundle().strip() in html


def test_report_page_gets_libraries_once(session):
    with_libs = render.renderer({"mark": "bar"})["text/html"]
    without = render.renderer({"mark": "point"})["text/html"]
    page = render.inline_vega(f"<html><body>{with_libs}{without}</body></html>")
    assert page.count(render.LIBS_CLASS) == 1
    bare = render.inline_vega(f"<html><body>{without}</body></html>")
    assert bare.count(render.LIBS_CLASS) == 1
    assert bare.index(render.LIBS_CLASS) > bare.index(render.SPEC_CLASS)
    assert bare.rstrip().endswith("</body></html>")


def test_bundle_is_read_from_the_environment_folder(tmp_path, monkeypatch):
    """``make env`` builds the bundle into BUNDLE_DIR once; report runs read it from there."""
    monkeypatch.setattr(render, "BUNDLE_DIR", tmp_path)
    monkeypatch.delenv("ANALYSIS_CACHE_DIR", raising=False)
    render.vega_bundle.cache_clear()
    try:
        written = render.install_bundle()
        assert written == tmp_path / render.bundle_name()
        built = written.read_text(encoding="utf-8")
        assert "vegaEmbed" in built and len(built) > 100_000
        written.write_text("/* the environment's copy */", encoding="utf-8")
        assert render.vega_bundle() == "/* the environment's copy */"
    finally:
        render.vega_bundle.cache_clear()
