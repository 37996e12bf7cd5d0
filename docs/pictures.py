"""Make every picture the README shows: `python docs/pictures.py [--out DIR]` from the repository root.

`make pictures` redraws them in docs/, where the README shows them; `make demos` draws them into
out/pictures/, leaving the tracked ones as they are. Writes how_it_works.svg (the README's
c = a*b + b**2 after backward), mazur_graph.svg (top to bottom, each value's label, data and grad
stacked, as the live page draws it, so that it reads at a README column's width) and
mazur_network.svg (Mazur's network after one backward pass), gradient_graph.svg (the graph grad()
builds for a neuron's dE/dw1, after backward() on it, drawn the same way), crosscheck_example.svg
(autograd.crosscheck's drawing of the lecture's = for += bug), and, where Debian's chromium and
chromium-driver are installed (the dev install brings selenium), the screenshots of the live view:
live_network.png (step 2,006 of 10,000, backward phase), live_graph.png (step 0, in the backward
pass at net_o1, with w5 picked; the whole graph, fitted to a 1280 px wide window) and
live_graph_zoomed.png (the graph alone, zoomed in on w5's path so that it reads at README width).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograd import Value, draw_graph, render
from demos import mazur as mazur_demo
from demos import second_order
from demos.mazur import TITLE
from nn import write_html
from nn.examples import mazur

DOCS = Path(__file__).resolve().parent
ZOOMS = 2  # clicks of the page's zoom-in (1.25x each) for the screenshot that reads at README width
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--hide-scrollbars",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def how_it_works(folder: Path) -> Path:
    """The README's first example, drawn after backward()."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + b**2
    c.label = "c"
    c.backward()
    return render(draw_graph(c), folder / "how_it_works.svg")


def screenshots(folder: Path) -> list[Path]:
    """The live view's two screenshots, in headless Chromium."""
    from selenium import webdriver
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    ex = mazur()
    recorder = ex.recorder(10_000, TITLE)
    from demos.mazur import train

    train(ex, 10_000, recorder=recorder)
    with tempfile.TemporaryDirectory() as scratch:
        page = write_html(recorder.recording, Path(scratch) / "mazur.html")
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in [*FLAGS, f"--user-data-dir={scratch}/profile", "--window-size=1280,1000"]:
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options, service=webdriver.ChromeService("/usr/bin/chromedriver"))
        try:
            driver.get(page.as_uri())
            driver.execute_script(
                "const s = document.getElementById('slider'); s.value = 60; s.dispatchEvent(new Event('input'))"
            )
            driver.find_element(By.CSS_SELECTOR, 'input[value="backward"]').click()
            driver.save_screenshot(str(folder / "live_network.png"))
            driver.execute_script("document.getElementById('slider').value = 0;"
                                  "document.getElementById('slider').dispatchEvent(new Event('input'))")  # fmt: skip
            driver.find_element(By.ID, "tab-graph").click()  # it opens at the start, the whole graph fitted
            while "at net_o1," not in driver.find_element(By.ID, "event").text:
                driver.find_element(By.ID, "forth").click()
            Select(driver.find_element(By.ID, "pick")).select_by_visible_text("w5")
            driver.save_screenshot(str(folder / "live_graph.png"))
            # The graph alone, zoomed about its lower left corner (the wheel keeps the point under it in place)
            # until its numbers read at a README column's width: w5's path from E, as the README discusses it.
            driver.set_window_size(1280, 1100)
            driver.find_element(By.ID, "graph-zoom-fit").click()
            box = driver.find_element(By.ID, "graph-box")
            for _ in range(ZOOMS):
                ActionChains(driver).scroll_from_origin(ScrollOrigin.from_element(box, -370, 400), 0, -100).perform()
            box.screenshot(str(folder / "live_graph_zoomed.png"))
        finally:
            driver.quit()
    return [folder / "live_network.png", folder / "live_graph.png", folder / "live_graph_zoomed.png"]


def crosscheck_example(folder: Path) -> Path:
    """The README's "Check your own micrograd": the lecture's = for += bug, shrunk to b = a + a."""
    from autograd.crosscheck import crosscheck
    from tests.crosscheck_engines import LectureValue

    drawing = crosscheck(LectureValue, depth=0).drawing()
    assert drawing is not None
    return render(drawing, folder / "crosscheck_example.svg")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python docs/pictures.py", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS, help="the folder to write them into (default docs/)")
    folder = parser.parse_args(argv).out
    folder.mkdir(parents=True, exist_ok=True)
    written = [how_it_works(folder), crosscheck_example(folder)]
    written += [render(graph, folder / name, "svg") for name, graph in mazur_demo.run(steps=0).graphs.items()]
    written.append(render(second_order.run().graphs["gradient_graph"], folder / "gradient_graph.svg"))
    if shutil.which("chromium") and shutil.which("chromedriver"):
        written += screenshots(folder)
    else:
        print("the live view's screenshots need Debian's chromium and chromium-driver: not taken")
    for path in written:
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
