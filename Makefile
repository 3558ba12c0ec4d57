# fentflow: the two commands a newcomer runs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-slow venv bench clean

# Every dependency at the version pinned in constraints.txt, so the numbers do not move with a new release.
# uv installs them in half pip's time. Its --compile-bytecode does what pip does by default: without
# it every process compiled the libraries' sources again on import (1.4 -> 3.8 s for fentflow's CLI),
# and the test suite's subprocesses ran twice as long. uv reads PyPI directly; where uv cannot be
# installed or cannot reach PyPI (only pip's configured index), pip installs them instead.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt uv \
	  && $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -c constraints.txt -e '.[test]' \
	  || $(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

## make demo: install, run the default world 2015-2030 (20 draws of the shipped calibration) and write results and report to out/
demo: $(STAMP)
	$(BIN)/fentflow run --out out --replicates 20
	$(BIN)/fentflow report --out out

## make test: the whole test suite, on every core (pytest-xdist; JOBS=1 for one process; slow tests only with FENTFLOW_SLOW=1)
JOBS ?= auto
test: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS)

## make test-slow: only the slow validation suites (the 20-trial recovery study, about 11 min on 2 cores; CI runs it after make test)
test-slow: $(STAMP)
	FENTFLOW_SLOW=1 $(BIN)/python -m pytest -m slow

## make bench: the benchmark suite against the performance targets (make bench QUICK=1: a smoke run)
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run_all $(if $(QUICK),--quick)

clean:
	rm -rf $(VENV) out .pytest_cache
