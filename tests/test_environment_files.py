"""The environment is described in several files; they must agree, and Binder's rules must hold."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers.preflight import MINIMUM, pinned_versions

ROOT = Path(__file__).resolve().parent.parent
CPU_INDEX = "--extra-index-url https://download.pytorch.org/whl/cpu"


def requirement_lines(lines):
    """Requirement lines only (no comments, options or the editable install), normalised."""
    out = []
    for line in lines:
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            name, sep, rest = re.sub(r"\s+", " ", line).partition("==")
            out.append(name.replace("_", "-").lower() + sep + rest)
    return out


def pip_section(path):
    env = yaml.safe_load(path.read_text())
    return next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))


REQUIREMENTS = requirement_lines((ROOT / "requirements.txt").read_text().splitlines())


@pytest.mark.parametrize("path", ["environment.yml", "binder/environment.yml"])
def test_conda_files_repeat_the_exact_pins(path):
    assert requirement_lines(pip_section(ROOT / path)) == REQUIREMENTS


@pytest.mark.parametrize("path", ["environment.yml", "binder/environment.yml"])
def test_conda_files_use_python_311(path):
    assert "python=3.11" in yaml.safe_load((ROOT / path).read_text())["dependencies"]


def test_every_requirement_is_pinned_exactly():
    for line in REQUIREMENTS:
        assert re.fullmatch(r"[a-z0-9.-]+==[0-9][0-9a-z.]*( ?;.*)?", line), f"not pinned with ==: {line}"


def test_torch_and_tensorflow_pins():
    assert "torch==2.13.0" in REQUIREMENTS
    assert 'tensorflow-cpu==2.21.0; sys_platform == "linux"' in REQUIREMENTS
    assert 'tensorflow==2.21.0; sys_platform != "linux"' in REQUIREMENTS
    assert any(line.startswith("pytest==9.") for line in REQUIREMENTS)  # nbval 0.11 needs pytest < 10
    assert "nbval==0.11.0" in REQUIREMENTS


def test_no_tf_keras_anywhere():
    """tf-keras requires the distribution named tensorflow, next to tensorflow-cpu."""
    for path in ["requirements.txt", "environment.yml", "binder/environment.yml"]:
        assert "tf-keras" not in (ROOT / path).read_text().replace("_", "-")


def test_ipywidgets_and_its_lab_extension_match():
    pins = pinned_versions(ROOT / "requirements.txt")
    assert pins["ipywidgets"].startswith("8.") and pins["jupyterlab-widgets"].startswith("3.")


def test_preflight_knows_every_package_it_checks():
    pins = pinned_versions(ROOT / "requirements.txt")
    assert set(MINIMUM) <= set(pins)


# repo2docker: when binder/ exists, only it is read; environment.yml wins over requirements.txt.
BINDER = ROOT / "binder"


def test_binder_folder_holds_only_files_repo2docker_reads_together():
    names = {p.name for p in BINDER.iterdir()}
    assert names == {"environment.yml", "postBuild", "start"}, (
        "binder/ should hold environment.yml, postBuild and start only: with an environment.yml, "
        "repo2docker ignores a requirements.txt, so a second list of packages would silently do nothing")


def test_binder_uses_cpu_only_torch():
    assert CPU_INDEX in pip_section(BINDER / "environment.yml")


@pytest.mark.parametrize("name", ["postBuild", "start"])
def test_binder_scripts_are_executable_bash_that_stops_on_error(name):
    path = BINDER / name
    assert os.access(path, os.X_OK), f"binder/{name} must be executable (chmod +x)"
    text = path.read_text()
    assert text.startswith("#!/bin/bash\n")
    if name == "postBuild":
        assert re.search(r"^set -e", text, re.M) and "pip install --no-deps -e ." in text


def test_binder_start_hands_over_to_jupyter():
    lines = [ln for ln in (BINDER / "start").read_text().splitlines() if ln.strip()]
    assert lines[-1] == 'exec "$@"'


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test\b", ci, re.M), ".ci/run must call the README's test command"
    makefile = (ROOT / "Makefile").read_text()
    test_recipe = makefile.split("\ntest:")[1].split("\n\n")[0]
    assert "-m pytest" in test_recipe and "--nbval-lax" not in test_recipe and " -k " not in test_recipe
    config = (ROOT / "pyproject.toml").read_text()
    assert '"--nbval"' in config and "--nbval-lax" not in config and '"notebooks"' in config


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_picks_a_supported_python_or_says_what_to_install(tmp_path):
    """TensorFlow 2.21 has wheels for Python 3.11-3.13 only: make must not start a doomed pip install."""
    for name in ("Makefile", "requirements.txt", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "tools").mkdir()
    shutil.copy(ROOT / "tools" / "jupyterlab_overrides.json", tmp_path / "tools")
    picked = subprocess.run(["make", "-n", "-s", ".venv/.installed"], cwd=tmp_path, capture_output=True, text=True)
    python = re.search(r"\|\| (\S+) -m venv", picked.stdout).group(1)
    version = subprocess.run([python, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True)
    assert version.stdout.strip() in {"(3, 11)", "(3, 12)", "(3, 13)"}, picked.stdout
    fake = tmp_path / "python3.14"
    fake.write_text("#!/bin/sh\nexec " + sys.executable + " -c 'import sys; sys.exit(1)'\n")  # an unsupported one
    fake.chmod(0o755)
    refused = subprocess.run(["make", "-s", ".venv/.installed", f"PYTHON={fake}"], cwd=tmp_path,
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "needs Python 3.11, 3.12 or 3.13" in refused.stderr
    assert f"{fake} is not one of them" in refused.stderr and not (tmp_path / ".venv").exists()
