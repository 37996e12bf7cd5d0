import random

from demos import spirals
from nn import MLP


def test_spirals_reach_the_stated_training_accuracy():
    report, model = spirals.run(quiet=True)
    accuracy = int(report.notes[-1].rpartition(" ")[2].rstrip("%"))
    assert accuracy >= 95
    assert report.losses[-1] < 0.25 < 1.0 < report.losses[0]
    assert [len(layer.neurons) for layer in model.layers] == [16, 16, 3]


def test_spirals_data_is_fixed_with_three_arms_of_forty():
    points, labels = spirals.make_spirals()
    assert points == spirals.make_spirals()[0]
    assert [labels.count(c) for c in (0, 1, 2)] == [40, 40, 40]
    assert max(x * x + y * y for x, y in points) == 1.0  # the arms end on the unit circle


def test_the_regions_have_the_class_of_the_highest_logit(tmp_path):
    model = MLP(2, [4, 3], rng=random.Random(0))
    point = (0.3, -0.2)
    logits = [v.data for v in model.forward(point)]
    assert spirals.predicted_class(model.forward(point)) == logits.index(max(logits))
    picture = spirals.plot_regions_of(model, tmp_path / "regions.png")
    assert picture is None or picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
