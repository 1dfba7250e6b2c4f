# Tensors to Attention: the two commands a learner needs are `make lab` and `make test`.
# Everything installs into .venv from the pins in requirements.txt.

# The newest Python that every dependency has wheels for: TensorFlow 2.21 has none for 3.14 (or 3.10 and older).
# PYTHON=/path/to/python picks one by hand; it must be in the same range.
SUPPORTED := (3, 11) <= sys.version_info[:2] <= (3, 13)
supported = $(shell $(1) -c 'import sys; sys.exit(not ($(SUPPORTED)))' >/dev/null 2>&1 && echo $(1))
PYTHON ?= $(firstword $(foreach p,python3.13 python3.12 python3.11 python3,$(call supported,$(p))))
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.installed
# Extra pip options for the install, e.g. PIP_EXTRA="--no-cache-dir"
PIP_EXTRA ?=
FIRST_NOTEBOOK := notebooks/00_setup_and_frameworks.ipynb

# Which PyTorch build (README, "Start in two commands"). On Linux, TORCH=cpu, the default, adds
# PyTorch's CPU wheel index for torch (its "+cpu" build sorts above PyPI's); about 3 GB smaller than
# TORCH=cuda, PyPI's default Linux build with CUDA libraries and triton, for NVIDIA GPUs. Both work
# (helpers/_llvm.py explains what the CUDA build needs). Elsewhere PyPI has one build; TORCH changes nothing.
TORCH ?= cpu
$(if $(filter-out cpu cuda,$(TORCH)),$(error TORCH must be cpu or cuda, not '$(TORCH)'))
TORCH_PIN := $(shell sed -n 's/^torch==\([0-9][^ ;]*\).*/\1/p' requirements.txt)
TORCH_INDEX ?= $(if $(filter cpu,$(TORCH)),$(if $(filter Linux,$(shell uname -s)),https://download.pytorch.org/whl/cpu))
# Jupyter refuses to run as root (containers, cloud VMs) unless told that this is intended.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)
# The triton release that PyPI's torch for Linux requires: tests/test_triton_build.py runs the CPU
# build with it, which reproduces the CUDA build's crash without CUDA libraries or a GPU.
TRITON := build/triton

.PHONY: lab test test-newest execute bench bench-lm preflight student-copy clean triton site

# JupyterLab's settings for the course (tools/jupyterlab_overrides.json): no "official Jupyter news?" prompt on first
# start, no update check (both would ask a learner to decide something unrelated, and go online).
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

$(READY): requirements.txt pyproject.toml tools/jupyterlab_overrides.json
	@test -n "$(PYTHON)" -a -n "$(call supported,$(PYTHON))" || { echo "The course needs Python 3.11, 3.12 or 3.13\
	 (TensorFlow 2.21 has wheels for those only); $(if $(PYTHON),$(PYTHON) is not one of them,none was found).\
	 Install one (python.org, pyenv, your package manager), or name it: make lab PYTHON=/path/to/python3.13" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(if $(TORCH_INDEX),$(BIN)/python -m pip install torch==$(TORCH_PIN) --extra-index-url $(TORCH_INDEX) $(PIP_EXTRA))
	$(BIN)/python -m pip install -r requirements.txt $(PIP_EXTRA)
	$(BIN)/python -m pip install --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (Tensors to Attention)"
	mkdir -p $(dir $(LAB_OVERRIDES)) && cp tools/jupyterlab_overrides.json $(LAB_OVERRIDES)
	@touch $(READY)

lab: $(READY)  ## open JupyterLab on the first notebook
	$(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.root_dir=. $(FIRST_NOTEBOOK)

test: $(READY)  ## unit tests, hygiene checks and strict nbval over every notebook
	SOURCE_DATE_EPOCH=0 PYTHONHASHSEED=0 $(BIN)/python -m pytest

execute: $(READY)  ## re-run notebooks in place (all, or NB=notebooks/01_tensors.ipynb)
	SOURCE_DATE_EPOCH=0 PYTHONHASHSEED=0 $(BIN)/python tools/execute.py $(or $(NB),notebooks/*.ipynb)

bench: $(READY)  ## wall time and peak kernel memory of each notebook
	SOURCE_DATE_EPOCH=0 PYTHONHASHSEED=0 $(BIN)/python tools/bench.py notebooks/*.ipynb

bench-lm: $(READY)  ## time the course's GPT to nanoGPT's validation loss 1.886 (FRAMEWORK=torch, tf or both)
	$(BIN)/python tools/bench_lm.py --framework $(or $(FRAMEWORK),both)

preflight: $(READY)  ## can this machine run the course?
	$(BIN)/python -m helpers.preflight

# A second environment with the newest release of every dependency (what Colab and unpinned installs get).
NEWEST := build/newest
test-newest:  ## every notebook on the newest releases: failing cells (none allowed) and changed outputs
	@test -n "$(PYTHON)" -a -n "$(call supported,$(PYTHON))" || { echo "no supported Python (3.11-3.13) found" >&2; exit 1; }
	@test -x $(NEWEST)/bin/python || $(PYTHON) -m venv $(NEWEST)
	$(NEWEST)/bin/python -m pip install --upgrade pip
	sed -E 's/==[^ ;]*//' requirements.txt > $(NEWEST)/requirements-newest.txt
	$(if $(TORCH_INDEX),$(NEWEST)/bin/python -m pip install --upgrade torch --extra-index-url $(TORCH_INDEX) $(PIP_EXTRA))
	$(NEWEST)/bin/python -m pip install --upgrade --upgrade-strategy eager -r $(NEWEST)/requirements-newest.txt $(PIP_EXTRA)
	$(NEWEST)/bin/python -m pip install --no-deps -e .
	SOURCE_DATE_EPOCH=0 PYTHONHASHSEED=0 $(NEWEST)/bin/python tools/newest.py

triton: $(TRITON)/.installed  ## triton beside the CPU build, for tests/test_triton_build.py (0.7 GB)
$(TRITON)/.installed: requirements-triton.txt | $(READY)
	$(BIN)/python -m pip install --no-deps --upgrade --target $(TRITON) -r requirements-triton.txt $(PIP_EXTRA)
	@touch $@

clean:
	rm -rf build .pytest_cache test-artifacts

student-copy: $(READY)  ## a hand-out copy in build/student: no solutions, no outputs
	$(BIN)/python tools/student_copy.py build/student

# The course website (README, "The course as a website"). It needs only the site's tools (requirements-site.txt,
# within the pins of requirements.txt), not torch or TensorFlow: it shows the stored outputs, running nothing.
SITE_READY := $(VENV)/.site-installed
$(SITE_READY): requirements-site.txt requirements.txt
	@test -x $(BIN)/python -o -n "$(PYTHON)" || { echo "no supported Python (3.11-3.13) found" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -r requirements-site.txt -c requirements.txt $(PIP_EXTRA)
	@touch $@

site: $(SITE_READY)  ## the course website in build/site/, built offline from the stored outputs
	$(BIN)/python tools/build_site.py build/site
