"""Reports in a real browser: every chart draws, nothing leaves the machine, nothing executes.

Needs Debian's Chromium (``apt-get install chromium``); skipped with that advice when missing.
"""

from __future__ import annotations

import shutil

import pytest

from tests.report.test_report import rendered, rendered_xss, xss_corpus  # noqa: F401 (fixtures)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium not found: install it with `sudo apt-get install chromium` to run the "
           "browser tests",
)


def visit(path):
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--host-resolver-rules=MAP * ~NOTFOUND"],
        )
        page = browser.new_page()

        def route(r):
            requests.append(r.request.url)
            if r.request.url.startswith(("file:", "data:", "about:", "blob:")):
                r.continue_()
            else:
                r.abort()

        page.route("**/*", route)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        page.wait_for_function(
            "() => [...document.querySelectorAll('.analysis-chart')]"
            ".every(c => c.querySelector('svg'))", timeout=20_000,
        )
        marks = page.eval_on_selector_all(
            ".analysis-chart",
            "cs => cs.map(c => c.querySelectorAll('svg .mark-rect path, svg .mark-symbol path, "
            "svg .mark-line path, svg .mark-rule line, svg .mark-text text, svg .mark-point path,"
            " svg .mark-area path, svg .mark-tick line, svg .mark-bar path, svg g.mark-rect path,"
            " svg .role-mark *').length)",
        )
        state = page.evaluate(
            "() => ({title: document.title, xss: document.body.dataset.xss || null,"
            " text: document.body.innerText})"
        )
        browser.close()
    outside = [u for u in requests if not u.startswith(("file:", "data:", "about:", "blob:"))]
    return marks, outside, dialogs, state


def test_overview_charts_draw_offline(rendered):  # noqa: F811
    out, _ = rendered
    marks, outside, dialogs, _ = visit(out / "corpus_overview.html")
    assert len(marks) >= 4
    assert all(m > 0 for m in marks), f"a chart drew no marks: {marks}"
    assert outside == []
    assert dialogs == []


def test_every_report_draws_every_chart(rendered):  # noqa: F811
    _, results = rendered
    for r in results:
        marks, outside, dialogs, _ = visit(r.html)
        assert marks and all(m > 0 for m in marks), f"{r.name}: {marks}"
        assert outside == [], f"{r.name} requested {outside}"
        assert dialogs == []


def test_corpus_text_never_executes(rendered_xss):  # noqa: F811
    out, results = rendered_xss
    for r in results:
        _, outside, dialogs, state = visit(r.html)
        assert dialogs == [], f"{r.name}: a corpus payload ran alert()"
        assert state["xss"] is None and state["title"] != "PWNED", f"{r.name}: payload ran"
        assert outside == [], f"{r.name} requested {outside}"
    _, _, _, state = visit(out / "corpus_overview.html")
    assert "<img src=x onerror=alert(1)> title" in state["text"]  # shown as text


def chart_states(path):
    """Per chart: (marks drawn, text shown), after the page has settled."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(path.as_uri())
        page.wait_for_function(
            "() => [...document.querySelectorAll('.analysis-chart')]"
            ".every(c => c.querySelector('svg') || c.dataset.failed)", timeout=20_000,
        )
        page.wait_for_timeout(500)
        states = page.eval_on_selector_all(
            ".analysis-chart",
            "cs => cs.map(c => [c.querySelectorAll('svg .mark-rect path').length,"
            " c.textContent])",
        )
        browser.close()
    return states


def test_categories_named_like_object_members_draw_and_errors_show(tmp_path):
    import altair as alt
    import pandas as pd

    from analysis.report import _render as render

    names = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf",
             "__defineGetter__"]
    data = pd.DataFrame({"outlet": names, "n": [1, 2, 3, 4, 5, 6]})
    charts = [
        alt.Chart(data).mark_bar().encode(x="n:Q", y=alt.Y("outlet:N", sort="-x")),
        alt.Chart(data).mark_bar().encode(x="n:Q", y="outlet:N", color="outlet:N"),
        # an explicit order (as "Documents per outlet" draws): the names stand in encoding.sort
        alt.Chart(data).mark_bar().encode(x="n:Q", y=alt.Y("outlet:N", sort=names[::-1])),
    ]
    broken = {"data": {"values": [{"n": 1}]}, "mark": "bar",  # fails while its data flow runs
              "transform": [{"calculate": "datum.n.no.such.field", "as": "m"}],
              "encoding": {"x": {"field": "m", "type": "quantitative"}}}
    body = "".join(render.chart_html(c.to_dict()) for c in charts) + render.chart_html(broken)
    page = tmp_path / "page.html"
    page.write_text(render.inline_vega(f"<html><body>{body}</body></html>"), encoding="utf-8")
    states = chart_states(page)
    for marks, text in states[:3]:
        assert marks == len(names) and "failed" not in text, (marks, text)
        assert all(name in text for name in names)  # labels read as written
    assert states[3][1].startswith("Chart failed to draw"), states[3]
