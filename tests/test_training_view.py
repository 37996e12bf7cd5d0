import json
import re
import shutil

import pytest

from demos.networks import mazur
from nn import SGD, record_training, squared_error, write_html
from nn.training_view import frame_steps

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


def recorded(path):
    page = path.read_text(encoding="utf-8")
    match = re.search(r'<script id="recording" type="application/json">(.*?)</script>', page, re.S)
    assert match
    return page, json.loads(match.group(1))


def test_frames_every_step_for_short_runs_and_sampled_for_long_ones():
    assert frame_steps(5, 300) == [0, 1, 2, 3, 4]
    steps = frame_steps(10_000, 300)
    assert len(steps) == 300
    assert (steps[0], steps[-1]) == (0, 9_999)
    assert steps == sorted(set(steps))


def test_recorded_numbers_equal_the_engines_at_those_steps(tmp_path):
    ex = mazur()
    recording = record_training(ex.model, ex.inputs, ex.targets, ex.lr, 40, frozen=ex.frozen, max_frames=7)
    _, data = recorded(write_html(recording, tmp_path / "view.html"))
    frames = {f["step"]: f for f in data["frames"]}
    assert sorted(frames) == frame_steps(40, 7)
    # Train a fresh copy independently and compare at every recorded step.
    fresh = mazur()
    params = fresh.model.parameters()
    optimizer = SGD(params, fresh.lr, frozen=fresh.frozen)
    for step in range(40):
        outputs = fresh.model.forward(fresh.inputs)
        error = squared_error(outputs, fresh.targets)
        optimizer.zero_grad()
        error.backward()
        if step in frames:
            assert frames[step]["loss"] == error.data
            assert frames[step]["values"] == [p.data for p in params]
            assert frames[step]["grads"] == [p.grad for p in params]
            assert frames[step]["outputs"][-2:] == [o.data for o in outputs]
        optimizer.step()
    assert data["parameters"] == [p.label for p in params]
    assert round(frames[0]["grads"][data["parameters"].index("w5")], 9) == 0.082167041


def test_page_is_self_contained_and_small(tmp_path):
    ex = mazur()
    recording = record_training(ex.model, ex.inputs, ex.targets, ex.lr, 10_000, frozen=ex.frozen)
    page, data = recorded(write_html(recording, tmp_path / "view.html"))
    assert len(data["frames"]) == 300
    assert len(page.encode()) < 1_000_000
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "fetch(" not in page
    assert re.findall(r"https?://[^\s\"']+", page) == ["http://www.w3.org/2000/svg"]  # a namespace name only


@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="needs Debian's chromium and chromium-driver")
def test_page_in_headless_chromium_steps_through_the_recorded_values(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    ex = mazur()
    recording = record_training(
        ex.model, ex.inputs, ex.targets, ex.lr, 200, frozen=ex.frozen, max_frames=50, input_names=ex.input_names
    )
    path = write_html(recording, tmp_path / "view.html")
    _, data = recorded(path)
    frames = data["frames"]
    w5 = data["parameters"].index("w5")

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path / 'profile'}"]:  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=str(CHROMEDRIVER)))
    try:
        driver.get(path.as_uri())

        def shown() -> tuple[int, float, float]:
            label = driver.find_element(By.CSS_SELECTOR, '[data-param="w5"]')
            return (
                int(driver.find_element(By.ID, "step").text),
                float(label.find_element(By.CLASS_NAME, "value").text),
                float(label.find_element(By.CLASS_NAME, "grad").text),
            )

        def matches(frame: int) -> bool:
            step, value, grad = shown()
            return (
                step == frames[frame]["step"]
                and value == pytest.approx(frames[frame]["values"][w5], rel=1e-5)
                and grad == pytest.approx(frames[frame]["grads"][w5], rel=1e-5)
            )

        assert matches(0)
        assert shown()[2] == pytest.approx(0.082167041, rel=1e-6)
        driver.find_element(By.ID, "next").click()
        assert matches(1)
        assert shown()[1] != pytest.approx(frames[0]["values"][w5], rel=1e-9)
        driver.find_element(By.ID, "play").click()
        WebDriverWait(driver, 10).until(lambda _: shown()[0] >= frames[5]["step"])
        driver.find_element(By.ID, "play").click()  # pause
        step = shown()[0]
        frame = [f["step"] for f in frames].index(step)
        assert matches(frame)
        o1 = driver.find_element(By.CSS_SELECTOR, '[data-node="o1"] .shown')
        assert float(o1.text) == pytest.approx(frames[frame]["outputs"][2], rel=1e-5)
        driver.find_element(By.ID, "phase").click()
        assert o1.text.startswith("dE/d ")
        assert float(o1.text.split()[-1]) == pytest.approx(frames[frame]["output_grads"][2], rel=1e-5)
        assert float(driver.find_element(By.ID, "loss").text) == pytest.approx(frames[frame]["loss"], rel=1e-5)
    finally:
        driver.quit()


def test_a_non_finite_number_is_named_not_a_json_error(tmp_path):
    ex = mazur()
    recording = record_training(ex.model, ex.inputs, ex.targets, ex.lr, 3, frozen=ex.frozen)
    grads = recording.frames[1]["grads"]
    assert isinstance(grads, list)
    grads[recording.parameters.index("w5")] = float("nan")
    with pytest.raises(ValueError, match=r"the recording holds nan at step 1: grads of w5; a page cannot show it"):
        write_html(recording, tmp_path / "view.html")


def test_training_on_a_nan_input_stops_at_the_first_step_naming_the_parameter():
    ex = mazur()
    with pytest.raises(
        FloatingPointError,
        match=r"training stopped at step 0 \(error nan\): SGD.step\(\) refused: parameter 0 of 10 \(w1\)",
    ):
        record_training(ex.model, [float("nan"), 0.1], ex.targets, ex.lr, 5)
