"""Take the README's screenshots of the live view: `python docs/screenshots.py` from the repository root.

Needs the dev install (selenium) and Debian's chromium and chromium-driver. Writes
docs/live_network.png (Mazur's network at step 2,000 of 10,000, backward phase) and
docs/live_graph.png (the computation graph at step 0, in the backward pass at net_o1, with w5
picked).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from demos.mazur import TITLE
from demos.networks import mazur
from nn import write_html

DOCS = Path(__file__).resolve().parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--hide-scrollbars",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def main() -> None:
    ex = mazur()
    recorder = ex.recorder(10_000, TITLE)
    from demos.mazur import train

    train(ex, 10_000, recorder=recorder)
    with tempfile.TemporaryDirectory() as folder:
        page = write_html(recorder.recording, Path(folder) / "mazur.html")
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in [*FLAGS, f"--user-data-dir={folder}/profile", "--window-size=1280,1010"]:
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options, service=webdriver.ChromeService("/usr/bin/chromedriver"))
        try:
            driver.get(page.as_uri())
            driver.execute_script(
                "const s = document.getElementById('slider'); s.value = 60; s.dispatchEvent(new Event('input'))"
            )
            driver.find_element(By.CSS_SELECTOR, 'input[value="backward"]').click()
            driver.save_screenshot(str(DOCS / "live_network.png"))
            driver.execute_script("document.getElementById('slider').value = 0;"
                                  "document.getElementById('slider').dispatchEvent(new Event('input'))")  # fmt: skip
            driver.find_element(By.ID, "tab-graph").click()
            driver.find_element(By.ID, "start").click()
            while "at net_o1," not in driver.find_element(By.ID, "event").text:
                driver.find_element(By.ID, "forth").click()
            Select(driver.find_element(By.ID, "pick")).select_by_visible_text("w5")
            driver.set_window_size(1280, 1450)
            driver.execute_script("window.scrollTo(0, 0)")
            driver.save_screenshot(str(DOCS / "live_graph.png"))
        finally:
            driver.quit()
    print(f"wrote {DOCS / 'live_network.png'} and {DOCS / 'live_graph.png'}")


if __name__ == "__main__":
    main()
