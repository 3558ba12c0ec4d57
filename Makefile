# fentflow: the two commands a newcomer runs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-slow venv bench clean

# Every dependency at the version pinned in constraints.txt, so the numbers do not move with a new release.
# uv installs them in seconds where pip takes about a minute; uv reads PyPI directly, so where only
# pip's configured index is reachable, pip installs them instead.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -c constraints.txt -e '.[test]' \
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

## make test-slow: only the slow validation suites (the 20-trial recovery study, about 16 min on 2 cores; CI runs it after make test)
test-slow: $(STAMP)
	FENTFLOW_SLOW=1 $(BIN)/python -m pytest -m slow

## make bench: the benchmark suite against the performance targets (make bench QUICK=1: a smoke run)
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run_all $(if $(QUICK),--quick)

clean:
	rm -rf $(VENV) out .pytest_cache
