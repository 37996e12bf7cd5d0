PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV := $(VENV)/.dev
PLOTS := $(VENV)/.plots
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
NEW_ENOUGH := import sys; sys.exit(sys.version_info < (3, 11))

.PHONY: demo demos pictures test test-without-dot test-torch test-pythons lint bench mutate clean

# A .venv made by a Python older than 3.11 (a `make demo` that failed under 3.10) is made again.
ifneq ($(wildcard $(BIN)/python),)
ifneq ($(shell $(BIN)/python -c '$(NEW_ENOUGH)' >/dev/null 2>&1 || echo old),)
$(info .venv was made by $(shell $(BIN)/python --version 2>&1), older than 3.11: making it again)
$(shell rm -rf $(VENV))
endif
endif

# The runtime: chainrule and its two dependencies (graphviz, graphviz-pure), all the Mazur demo needs.
$(STAMP): pyproject.toml
	@$(PYTHON) -c '$(NEW_ENOUGH)' 2>/dev/null || { \
		echo "chainrule needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version 2>/dev/null || echo 'not found')."; \
		echo "Install Python 3.11+ and run: make clean; make PYTHON=python3.11 $(or $(MAKECMDGOALS),demo)"; \
		exit 1; }
	@echo "making .venv with $$($(PYTHON) --version) and installing chainrule into it"
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) --upgrade pip
	@$(PIP) -e .
	@touch $(STAMP)

# What the tests, lint and benchmarks need besides: pytest, hypothesis, ruff, mypy, selenium, Jupyter's kernel.
$(DEV): $(STAMP)
	@echo "installing the dev extra into .venv (pytest, hypothesis, ruff, mypy, selenium, nbclient, numpy, micrograd)"
	@$(PIP) -e '.[dev]'
	@touch $(DEV)

demo: $(STAMP)
	@$(BIN)/python -m demos.mazur --out out

test: $(DEV)
	$(BIN)/python -m pytest -q -rs

# The drawing tests and notebooks again, as on a machine without Graphviz (graphviz-pure renders).
test-without-dot: $(DEV)
	.ci/without-dot $(BIN)/python -m pytest -q tests/test_draw.py tests/test_nn_draw.py tests/test_renderer.py \
		tests/test_notebooks.py tests/demos tests/test_live_view.py tests/test_live_edit.py tests/test_notebook_view.py

# nn.pytorch against PyTorch: installs torch 2.13.0 (a CPU build; on other machines pip may fetch a
# large CUDA build instead, see README), then runs the tests that need it.
test-torch: $(DEV)
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pytest -q tests/test_pytorch.py

# The engine's tests on the newer Pythons this machine has (.ci/test-pythons finds them): what
# they change (sum() of floats rounds otherwise from 3.12 on, contextvars, the garbage collector, the bytecode)
# must not change a number, and compiled backprop must stay bit-identical to backward().
ENGINE_TESTS := tests/test_engine.py tests/test_modes.py tests/test_sums.py tests/test_collector.py tests/test_compile.py \
	tests/test_higher.py tests/test_check.py tests/test_strategies.py tests/test_losses.py tests/test_modules.py \
	tests/test_optim.py tests/test_legacy.py tests/test_micrograd_idioms.py tests/test_in_parts.py
test-pythons:
	.ci/test-pythons $(ENGINE_TESTS)

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

$(PLOTS): $(DEV)
	@echo "installing the plots extra into .venv (matplotlib)"
	@$(PIP) -e '.[dev,plots]'
	@touch $(PLOTS)

# Every demo into out/ (graphs, loss plots, decision regions, live pages), then the README's pictures
# into out/pictures/ (the tracked ones in docs/ are left as they are: `make pictures` redraws those).
demos: $(PLOTS)
	$(BIN)/python -m demos.mazur --out out/mazur --html out/mazur/training.html
	$(BIN)/python -m demos.worked_example --out out/worked_example --html out/worked_example/training.html
	$(BIN)/python -m demos.moons --out out/moons
	$(BIN)/python -m demos.spirals --out out/spirals
	$(BIN)/python -m demos.second_order --out out/second_order
	$(BIN)/python docs/pictures.py --out out/pictures

# The README's pictures, redrawn into docs/ (a change to them is then a change to commit).
pictures: $(DEV)
	$(BIN)/python docs/pictures.py

bench: $(DEV)
	$(BIN)/python -m pip install --quiet micrograd==0.1.0
	$(BIN)/python -m bench.run

# Mutation testing of the engine and nn's core (see [tool.mutmut] in pyproject.toml), by hand:
# about two hours on 2 cores. Prints the score per file and each surviving mutant, then plants
# bugs in the op records' one-line rules, which mutmut does not mutate (.ci/record-mutants).
mutate: $(DEV)
	$(BIN)/python -m pip install --quiet mutmut==3.8.1
	rm -rf mutants
	mkdir -p out
	$(BIN)/mutmut run > out/mutmut.log 2>&1 || (tail -c 2000 out/mutmut.log; exit 1)
	$(BIN)/python .ci/mutation-score
	$(BIN)/python .ci/record-mutants

clean:
	rm -rf $(VENV) .venv-python3.* out build mutants *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
