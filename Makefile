PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PLOTS := $(VENV)/.plots

.PHONY: demo demos test test-without-dot test-torch test-pythons lint bench mutate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m demos.mazur --out out

test: $(STAMP)
	$(BIN)/python -m pytest -q

# The drawing tests and notebooks again, as on a machine without Graphviz (graphviz-pure renders).
test-without-dot: $(STAMP)
	.ci/without-dot $(BIN)/python -m pytest -q tests/test_draw.py tests/test_nn_draw.py tests/test_renderer.py \
		tests/test_notebooks.py tests/demos tests/test_live_view.py tests/test_live_edit.py tests/test_notebook_view.py

# nn.pytorch against PyTorch: installs torch 2.13.0 (a CPU build; on other machines pip may fetch a
# large CUDA build instead, see README), then runs the tests that need it.
test-torch: $(STAMP)
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pytest -q tests/test_pytorch.py

# The engine's tests on the newer Pythons this machine has (.ci/test-pythons finds them): what
# they change (sum() of floats rounds otherwise from 3.12 on, contextvars, the garbage collector, the bytecode)
# must not change a number, and compiled backprop must stay bit-identical to backward().
ENGINE_TESTS := tests/test_engine.py tests/test_modes.py tests/test_collector.py tests/test_compile.py \
	tests/test_higher.py tests/test_check.py tests/test_strategies.py tests/test_losses.py tests/test_modules.py \
	tests/test_optim.py tests/test_legacy.py tests/test_micrograd_idioms.py
test-pythons:
	.ci/test-pythons $(ENGINE_TESTS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

$(PLOTS): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,plots]'
	touch $(PLOTS)

# Every demo into out/ (graphs, loss plots, decision regions, live pages), then the README's pictures.
demos: $(PLOTS)
	$(BIN)/python -m demos.mazur --out out/mazur --html out/mazur/training.html
	$(BIN)/python -m demos.worked_example --out out/worked_example --html out/worked_example/training.html
	$(BIN)/python -m demos.moons --out out/moons
	$(BIN)/python -m demos.spirals --out out/spirals
	$(BIN)/python -m demos.second_order --out out/second_order
	$(BIN)/python docs/pictures.py

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet micrograd==0.1.0
	$(BIN)/python -m bench.run

# Mutation testing of the engine and nn's core (see [tool.mutmut] in pyproject.toml), by hand:
# about 15 minutes on 2 cores. Prints the score per file and each surviving mutant, then plants
# bugs in the op records' one-line rules, which mutmut does not mutate (.ci/record-mutants).
mutate: $(STAMP)
	$(BIN)/python -m pip install --quiet mutmut==3.8.1
	rm -rf mutants
	mkdir -p out
	$(BIN)/mutmut run > out/mutmut.log 2>&1 || (tail -c 2000 out/mutmut.log; exit 1)
	$(BIN)/python .ci/mutation-score
	$(BIN)/python .ci/record-mutants

clean:
	rm -rf $(VENV) .venv-python3.* out build mutants *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
