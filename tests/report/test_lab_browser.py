"""The notebooks in a real JupyterLab: every chart draws, on the project kernel, offline.

Starts ``jupyter lab`` headless on a free local port (no token; ``--allow-root``) with a
throw-away settings, data and working folder, opens a copy of each notebook of ``notebooks/``
in headless Chromium, runs all cells and checks that the project kernel ran them, that every
chart output drew SVG marks and that no request left the machine. Screenshots of every chart
and of the lab are saved under ``$ANALYSIS_TEST_ARTEFACTS`` (default: the system's temporary
folder) in ``analysis-lab-screenshots/`` and are not committed.

Needs Debian's Chromium (``apt-get install chromium``); skipped with that advice when missing.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from analysis.config import NOTEBOOKS_DIR

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
KERNEL = "news-analysis"
KERNEL_DISPLAY = "Python (news analysis)"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
ARTEFACTS = (
    Path(os.environ.get("ANALYSIS_TEST_ARTEFACTS", tempfile.gettempdir()))
    / "analysis-lab-screenshots"
)
MARKS = (
    "svg .mark-rect path, svg .mark-symbol path, svg .mark-line path, svg .mark-rule line, "
    "svg .mark-text text, svg .mark-area path, svg .mark-tick line, svg .role-mark *, canvas"
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Chromium not found: install it with `sudo apt-get install chromium` to run the "
               "JupyterLab tests",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def lab_settings(folder: Path) -> None:
    """Lab settings for a test: every cell rendered (no windowing), no news or update checks."""
    settings = {
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false", "checkForUpdates": False,
        },
    }
    for name, value in settings.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value), encoding="utf-8")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A running JupyterLab (base URL) serving copies of the notebooks from a temporary folder."""
    base = tmp_path_factory.mktemp("lab")
    work = base / "work"  # any working folder: the notebooks must find the bundled corpus
    work.mkdir()
    for nb in NOTEBOOKS:
        shutil.copy(nb, work / nb.name)
    lab_settings(base / "settings")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(base / "config"),
               JUPYTER_DATA_DIR=str(base / "data"), JUPYTER_RUNTIME_DIR=str(base / "runtime"),
               IPYTHONDIR=str(base / "ipython"))
    # what `make lab` does: the project kernel installed for the user
    subprocess.run([sys.executable, "-m", "ipykernel", "install", "--user", "--name", KERNEL,
                    "--display-name", KERNEL_DISPLAY], env=env, check=True, capture_output=True)
    port = free_port()
    log = (base / "lab.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
         f"--port={port}", "--ServerApp.ip=127.0.0.1", "--ServerApp.token=",
         "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
         f"--ServerApp.root_dir={work}",
         "--ServerApp.port_retries=0",
         f"--LabApp.user_settings_dir={base / 'settings'}",
         f"--LabApp.workspaces_dir={base / 'workspaces'}",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        env=env, cwd=work, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/kernelspecs", timeout=5) as r:
                    specs = json.load(r)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "jupyter lab did not start:\n" + (base / "lab.log").read_text()
                    ) from None
                time.sleep(0.5)
        assert KERNEL in specs["kernelspecs"], sorted(specs["kernelspecs"])
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def shut_down_kernels(url: str) -> None:
    """Stop the kernels the lab started (the machine is shared)."""
    with urllib.request.urlopen(f"{url}/api/kernels", timeout=30) as r:
        kernels = json.load(r)
    for kernel in kernels:
        request = urllib.request.Request(f"{url}/api/kernels/{kernel['id']}", method="DELETE")
        urllib.request.urlopen(request, timeout=60).close()


def run_notebook(url: str, name: str) -> dict:
    """Open a notebook in the lab, run all cells, return what the page shows."""
    from playwright.sync_api import sync_playwright

    local = (url, "data:", "blob:", "about:")
    outside: list[str] = []
    shots = ARTEFACTS / name
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})

        def route(r):
            if r.request.url.startswith(local):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("websocket", lambda ws: None if ws.url.startswith(
            url.replace("http", "ws")) else outside.append(ws.url))
        # a workspace of its own, reset: only this notebook open
        page.goto(f"{url}/lab/workspaces/{name}/tree/{name}.ipynb?reset")
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-CodeCell", timeout=120_000)
        page.wait_for_function(
            "k => [...document.querySelectorAll('.jp-NotebookPanel .jp-KernelName, "
            ".jp-NotebookPanel .jp-Toolbar-kernelName')].some(e => e.textContent.includes(k))",
            arg=KERNEL_DISPLAY, timeout=120_000,
        )
        page.wait_for_function(
            "() => document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator')"
            "?.getAttribute('data-status') === 'idle'", timeout=120_000,
        )
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        page.wait_for_function(
            "() => { const p = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
            ".map(e => e.textContent); return p.length > 0 && !p.some(t => t.includes('*'))"
            " && p.some(t => /\\d/.test(t)); }",
            timeout=600_000, polling=1000,
        )
        prompts = page.eval_on_selector_all(".jp-CodeCell .jp-InputPrompt",
                                            "ps => ps.map(p => p.textContent.trim())")
        errors = page.eval_on_selector_all(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
            "es => es.map(e => e.textContent).filter(t => t.includes('Error'))",
        )
        n_charts = page.locator(".jp-OutputArea-output .analysis-chart").count()
        if n_charts:
            page.wait_for_function(
                "sel => [...document.querySelectorAll('.jp-OutputArea-output .analysis-chart')]"
                ".every(c => c.querySelector(sel))", arg=MARKS, timeout=60_000,
            )
        marks = page.eval_on_selector_all(
            ".jp-OutputArea-output .analysis-chart",
            "(cs, sel) => cs.map(c => c.querySelectorAll(sel).length)", MARKS,
        )
        texts = page.eval_on_selector_all(".jp-OutputArea-output .analysis-chart",
                                          "cs => cs.map(c => c.innerText.slice(0, 200))")
        page.screenshot(path=str(shots / "lab-top.png"))
        charts = page.locator(".jp-OutputArea-output .analysis-chart")
        for i in range(charts.count()):
            chart = charts.nth(i)
            chart.scroll_into_view_if_needed()
            if i == 0:
                page.screenshot(path=str(shots / "lab-first-chart.png"))
            chart.screenshot(path=str(shots / f"chart-{i + 1:02d}.png"))
        kernel = page.eval_on_selector_all(
            ".jp-NotebookPanel .jp-KernelName, .jp-NotebookPanel .jp-Toolbar-kernelName",
            "es => es.map(e => e.textContent.trim())",
        )
        browser.close()
    shut_down_kernels(url)
    return {"prompts": prompts, "errors": errors, "marks": marks, "texts": texts,
            "outside": outside, "kernel": kernel, "screenshots": shots}


@pytest.mark.timeout(1500)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_in_jupyterlab_and_every_chart_draws(lab, path):
    seen = run_notebook(lab, path.stem)
    assert all(any(c.isdigit() for c in p) for p in seen["prompts"]), (
        f"not every cell ran: {seen['prompts']}; errors: {seen['errors']}"
    )
    assert seen["errors"] == []
    assert any(KERNEL_DISPLAY in k for k in seen["kernel"]), seen["kernel"]
    assert seen["marks"], f"{path.stem}: no chart output ({seen['screenshots']})"
    assert all(m > 0 for m in seen["marks"]), (
        f"{path.stem}: a chart drew no marks: {seen['marks']} {seen['texts']}"
    )
    assert seen["outside"] == [], f"requests left the machine: {seen['outside']}"
