"""Binder and the public CI, checked by the real tools: repo2docker's own Dockerfile, and actionlint.

Neither can run here (no Docker daemon, no GitHub), so the test checks what they would do: the Dockerfile
that ``repo2docker --no-build`` writes, and a workflow that actionlint accepts and whose matrix covers the
systems and Pythons the README promises. Tools: ``pip install -r requirements-checks.txt``.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import skip_unless

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REPO2DOCKER = shutil.which("repo2docker", path=str(BIN)) or shutil.which("repo2docker")
ACTIONLINT = shutil.which("actionlint", path=str(BIN)) or shutil.which("actionlint")
WORKFLOW = ROOT / ".github" / "workflows" / "test.yml"
ENABLE = "pip install -r requirements-checks.txt"


@skip_unless(REPO2DOCKER is not None, f"needs repo2docker; {ENABLE}")
def test_repo2docker_builds_binder_from_its_environment_runs_postbuild_and_starts_through_start():
    out = subprocess.run([REPO2DOCKER, "--no-build", "--debug", "--no-run", str(ROOT)], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    dockerfile = out.stdout + out.stderr
    python = yaml.safe_load((ROOT / "binder" / "environment.yml").read_text())["dependencies"]
    pin = next(d for d in python if isinstance(d, str) and d.startswith("python=")).split("=")[1]
    assert f"Building conda environment for python={pin}" in dockerfile
    assert '--file "binder/environment.yml"' in dockerfile, "the image must be built from binder/environment.yml"
    assert "requirements.txt" not in dockerfile and re.search(r"--file \"environment\.yml\"", dockerfile) is None
    assert "RUN ./binder/postBuild" in dockerfile
    assert 'ENV R2D_ENTRYPOINT="${REPO_DIR}/binder/start"' in dockerfile


@skip_unless(ACTIONLINT is not None, f"needs actionlint; {ENABLE}")
@pytest.mark.parametrize("workflow", sorted((ROOT / ".github" / "workflows").glob("*.yml")), ids=lambda p: p.name)
def test_the_public_workflow_passes_actionlint(workflow):
    out = subprocess.run([ACTIONLINT, "-no-color", str(workflow)], capture_output=True, text=True, timeout=120,
                         cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_public_workflow_runs_the_readme_test_command_on_every_system_and_supported_python():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    (job,) = workflow["jobs"].values()
    matrix = job["strategy"]["matrix"]
    assert any(o.startswith("ubuntu") for o in matrix["os"]) and any(o.startswith("windows") for o in matrix["os"])
    # GitHub's macos-14 and newer runners are Apple silicon
    assert any(re.fullmatch(r"macos-(1[4-9]|[2-9]\d)", o) for o in matrix["os"]), "macOS on Apple silicon"
    supported = re.search(r"\(3, (\d+)\) <= sys.version_info\[:2\] <= \(3, (\d+)\)",
                          (ROOT / "Makefile").read_text()).groups()
    assert sorted(matrix["python"]) == [f"3.{supported[0]}", f"3.{supported[1]}"], "oldest and newest Python"
    steps = "\n".join(s.get("run", "") for s in job["steps"])
    assert re.search(r"^make test$", steps, re.M) and "-m pytest" in steps
    assert "--nbval-lax" not in steps and " -k " not in steps and "TORCH=cuda" not in steps
    assert "git diff --exit-code" in steps, "a test run leaves the checkout unchanged"
