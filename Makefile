# Tensors to Attention: the two commands a learner needs are `make lab` and `make test`.
# Everything installs into .venv from the pins in requirements.txt.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.installed
# Extra pip options, e.g. PIP_EXTRA="--extra-index-url https://download.pytorch.org/whl/cpu"
PIP_EXTRA ?=
FIRST_NOTEBOOK := notebooks/00_setup_and_frameworks.ipynb

.PHONY: lab test execute bench preflight student-copy clean

$(READY): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt $(PIP_EXTRA)
	$(BIN)/python -m pip install --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (Tensors to Attention)"
	@touch $(READY)

lab: $(READY)  ## open JupyterLab on the first notebook
	$(BIN)/jupyter lab $(FIRST_NOTEBOOK)

test: $(READY)  ## unit tests, hygiene checks and strict nbval over every notebook
	SOURCE_DATE_EPOCH=0 PYTHONHASHSEED=0 $(BIN)/python -m pytest

execute: $(READY)  ## re-run notebooks in place (all, or NB=notebooks/01_tensors.ipynb)
	SOURCE_DATE_EPOCH=0 PYTHONHASHSEED=0 $(BIN)/python tools/execute.py $(or $(NB),notebooks/*.ipynb)

bench: $(READY)  ## wall time and peak kernel memory of each notebook
	SOURCE_DATE_EPOCH=0 PYTHONHASHSEED=0 $(BIN)/python tools/bench.py notebooks/*.ipynb

preflight: $(READY)  ## can this machine run the course?
	$(BIN)/python -m helpers.preflight

clean:
	rm -rf build .pytest_cache test-artifacts

student-copy: $(READY)  ## a hand-out copy in build/student: no solutions, no outputs
	$(BIN)/python tools/student_copy.py build/student
