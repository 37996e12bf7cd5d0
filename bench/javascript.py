"""How long the JavaScript written by autograd.javascript takes in headless Chromium, by hand.

    python -m bench.javascript

For Mazur's 2-2-2 network (squared error) and a 3-4-4-1 tanh MLP (squared error), the size of
the source and the time of one call of the generated function (a forward and backward pass with
every value, local derivative and gradient returned), the median of 15 repeats of 20,000 calls,
timed inside the page with performance.now(). Needs Debian's chromium and chromium-driver.
Printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile

from autograd import Value
from autograd.javascript import JavaScript, javascript
from nn import MLP, squared_error
from nn.examples import mazur

CALLS, REPEATS = 20_000, 15

TIMED = """
const backprop = (0, eval)(arguments[0]);
const leaves = arguments[1];
const times = [];
let sink = 0;
for (let r = 0; r < arguments[2]; r++) {
  const start = performance.now();
  for (let i = 0; i < arguments[3]; i++) {
    leaves[0] += 1e-9;
    sink += backprop(leaves).grad[0];
  }
  times.push((performance.now() - start) / arguments[3]);
}
return [times, sink];
"""


def programs() -> list[tuple[str, JavaScript, list[float]]]:
    ex = mazur()
    error = ex.backward()
    rng = random.Random(0)
    model = MLP(3, [4, 4, 1], "tanh", rng=rng)
    inputs = [Value(x) for x in (0.5, -1.0, 0.25)]
    loss = squared_error(model.forward(inputs), [0.5])
    mazurs, mlps = ex.model.parameters(), model.parameters()
    return [
        ("Mazur 2-2-2, squared error", javascript(error, mazurs), [p.data for p in mazurs]),
        ("MLP 3-4-4-1 tanh, squared error", javascript(loss, mlps), [p.data for p in mlps]),
    ]


def main() -> None:
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    with tempfile.TemporaryDirectory() as profile:
        for flag in ["--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}"]:
            options.add_argument(flag)
        service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
        driver = webdriver.Chrome(options=options, service=service)
        try:
            for name, program, leaves in programs():
                times, _ = driver.execute_script(TIMED, program.source, leaves, REPEATS, CALLS)
                print(
                    f"{name}: {len(program.source.encode()):,} bytes of source, {len(leaves)} leaves; one call "
                    f"{statistics.median(times) * 1000:.2f} µs (median of {REPEATS} x {CALLS:,} calls)"
                )
        finally:
            driver.quit()


if __name__ == "__main__":
    argparse.ArgumentParser(prog="python -m bench.javascript", description=__doc__.splitlines()[0]).parse_args()
    main()
