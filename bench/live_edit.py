"""How long an edit on the live page takes to recompute and repaint, in headless Chromium, by hand.

    python -m bench.live_edit [--runs 3] [--edits 40]

For Mazur's 2-2-2 network (10,000 steps recorded, 300 frames) and a 3-4-4-1 tanh MLP (200 steps),
each in the network view and in the computation graph view (at its last event, every number
shown): `--edits` edits of w5 (of w2[1,1] for the MLP) through window.chainrule.set, each timed
with performance.now() from the call until the page's DOM is updated and laid out again (style
and layout forced by reading a size). That is the work an edit puts before the next frame;
painting it is the browser's, and a frame is 16.7 ms at 60 Hz. Each run loads the page anew;
printed are the median and the slowest edit of each run, and the page's size and load time.
Needs Debian's chromium and chromium-driver. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nn import MLP, record_training, write_html
from nn.examples import mazur
from nn.recorder import Recording

EDIT_TIMES = """
const [name, values] = arguments, times = [];
for (const x of values) {
  const start = performance.now();
  window.chainrule.set(name, x);
  void document.body.offsetHeight;  // the style and layout of the changed page, forced now
  times.push(performance.now() - start);
}
return times;
"""
LOAD_TIME = "const t = performance.getEntriesByType('navigation')[0]; return t.loadEventEnd - t.startTime"


def mazur_page() -> Recording:
    ex = mazur()
    return record_training(
        ex.model, ex.inputs, ex.targets, ex.lr, 10_000, frozen=ex.frozen, input_names=ex.input_names,
        title="Mazur's network",
    )  # fmt: skip


def mlp_page() -> Recording:
    model = MLP(3, [4, 4, 1], activation="tanh", last_activation="tanh", rng=random.Random(2))
    return record_training(model, [0.5, -1.0, 2.0], [0.5], 0.05, 200, title="3-4-4-1 tanh MLP")


PAGES: list[tuple[str, Callable[[], Recording], str]] = [
    ("Mazur 2-2-2", mazur_page, "w5"),
    ("MLP 3-4-4-1", mlp_page, "w2[1,1]"),
]


def edit_times(browser: Any, name: str, edits: int, view: str) -> list[float]:
    """Milliseconds per edit of `name` in `view` ("network" or "graph"), the page already loaded."""
    browser.execute_script(f"document.getElementById('tab-{view}').click()")
    if view == "graph":
        browser.execute_script("document.getElementById('end').click()")
    start = float(browser.execute_script("return window.chainrule.get(arguments[0]).data", name))
    values = [start + 0.01 * (k + 1) for k in range(edits)]
    return [float(t) for t in browser.execute_script(EDIT_TIMES, name, values)]


def chromium() -> Any:
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,900", f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    return webdriver.Chrome(options=options, service=service)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.live_edit", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--edits", type=int, default=40)
    args = parser.parse_args()
    browser = chromium()
    try:
        with tempfile.TemporaryDirectory() as folder:
            for title, make, name in PAGES:
                path = write_html(make(), Path(folder) / "page.html")
                print(f"{title}: the page is {path.stat().st_size:,} bytes")
                for run in range(args.runs):
                    browser.get(path.as_uri())
                    loaded = float(browser.execute_script(LOAD_TIME))
                    cells = []
                    for view in ("network", "graph"):
                        times = edit_times(browser, name, args.edits, view)
                        cells.append(f"{view} view {statistics.median(times):.2f} ms (slowest {max(times):.2f})")
                    print(f"  run {run + 1}: loaded in {loaded:.0f} ms; an edit of {name}: " + ", ".join(cells))
    finally:
        browser.quit()


if __name__ == "__main__":
    main()
