"""helpers.preflight: one line per item, and a non-zero exit status on a problem."""

import subprocess
import sys
from pathlib import Path

from helpers import preflight
from helpers.preflight import Check, pinned_versions

ROOT = Path(__file__).resolve().parent.parent


def test_from_the_shell_it_reports_and_exits_zero_here():
    out = subprocess.run([sys.executable, "-m", "helpers.preflight"], capture_output=True, text=True,
                         timeout=180, cwd=ROOT)
    lines = out.stdout.splitlines()
    assert out.returncode == 0, out.stdout + out.stderr
    assert lines[-1] == "Ready: this machine can run the course."
    items = {line.split()[1] for line in lines[:-1]}
    assert {"python", "torch", "tensorflow", "widgets", "kernel", "memory", "write", "data", "devices"} <= items
    assert all(line.split()[0] in {"OK", "NOTE", "PROBLEM"} for line in lines[:-1])


def test_a_problem_makes_main_exit_nonzero(monkeypatch, capsys):
    monkeypatch.setattr(preflight, "run_checks", lambda: [Check("OK", "python", "3.11"),
                                                          Check("PROBLEM", "torch", "not installed")])
    assert preflight.main() == 1
    assert capsys.readouterr().out.splitlines()[-1] == "1 problem(s) found."


def test_package_versions_are_judged_against_pins_and_minimums(monkeypatch):
    versions = {"torch": "2.13.0+cpu", "numpy": "2.5.0", "matplotlib": "3.7.0", "scikit-learn": None}
    monkeypatch.setattr(preflight, "_installed", lambda name: versions.get(name))
    pins = {"torch": "2.13.0", "numpy": "2.4.6", "matplotlib": "3.11.2", "scikit-learn": "1.9.1"}
    assert preflight._package("torch", pins).status == "OK"  # a local build tag (+cpu) is the same release
    assert preflight._package("numpy", pins).status == "NOTE"
    assert preflight._package("matplotlib", pins).status == "PROBLEM"
    assert "make lab" in preflight._package("scikit-learn", pins).detail


def test_mismatched_widget_packages_are_a_problem(monkeypatch):
    monkeypatch.setattr(preflight, "_installed", {"ipywidgets": "8.1.9", "jupyterlab-widgets": "1.1.0"}.get)
    check = preflight._widgets()
    assert check.status == "PROBLEM" and "jupyterlab_widgets 3.x" in check.detail


def test_pins_are_read_from_requirements():
    pins = pinned_versions(ROOT / "requirements.txt")
    assert pins["torch"] == "2.13.0" and pins["tensorflow"] == "2.21.0"


def test_torch_and_tf_share_a_process_where_no_triton_is_installed(monkeypatch):
    monkeypatch.setattr(preflight._llvm, "triton_installed", lambda: False)
    check = preflight._one_process()
    assert check.status == "OK" and "no triton" in check.detail


def test_tensorflow_loaded_before_triton_in_this_kernel_is_a_problem(monkeypatch):
    monkeypatch.setattr(preflight._llvm, "triton_installed", lambda: True)
    monkeypatch.setattr(preflight._llvm, "unsafe_order", lambda: True)
    check = preflight._one_process()
    assert check.status == "PROBLEM" and "restart the kernel" in check.detail


def test_a_build_that_still_crashes_is_a_problem_that_says_what_to_do(monkeypatch):
    monkeypatch.setattr(preflight._llvm, "triton_installed", lambda: True)
    monkeypatch.setattr(preflight._llvm, "unsafe_order", lambda: False)
    monkeypatch.setattr(preflight, "ONE_PROCESS_PROBE", "import os; os.abort()")  # as LLVM ERROR does
    check = preflight._one_process()
    assert check.status == "PROBLEM" and "signal 6" in check.detail and "make lab TORCH=cpu" in check.detail


def test_importing_helpers_installs_one_hook_that_loads_triton_just_before_tensorflow(monkeypatch):
    from helpers import _llvm

    hooks = [f for f in sys.meta_path if isinstance(f, _llvm._TritonBeforeTensorFlow)]
    assert len(hooks) == 1
    _llvm.install()
    assert len([f for f in sys.meta_path if isinstance(f, _llvm._TritonBeforeTensorFlow)]) == 1
    calls = []
    monkeypatch.setattr(_llvm, "load_triton", lambda: calls.append(1))
    monkeypatch.delitem(sys.modules, "tensorflow", raising=False)
    assert hooks[0].find_spec("numpy") is None and calls == []
    assert hooks[0].find_spec("tensorflow") is None and calls == [1]  # it finds nothing itself


def test_without_triton_loading_it_is_a_harmless_no(monkeypatch):
    from helpers import _llvm

    monkeypatch.setattr(_llvm, "triton_installed", lambda: False)
    monkeypatch.delitem(sys.modules, _llvm.LIBTRITON, raising=False)
    monkeypatch.delitem(sys.modules, "tensorflow", raising=False)
    assert _llvm.load_triton() is False and _llvm.unsafe_order() is False


def test_each_minimum_is_a_release_the_course_has_been_run_with():
    """The minimum of each package is the pinned release (what strict nbval runs), never an untested older one."""
    pins = pinned_versions()
    for name, minimum in preflight.MINIMUM.items():
        assert minimum == ".".join(pins[name].split(".")[:2]), \
            f"{name}: minimum {minimum}, pinned {pins[name]}; run the course with a version before naming it"


def test_an_older_package_than_the_course_was_run_with_is_a_problem(monkeypatch):
    monkeypatch.setattr(preflight, "_installed", lambda name: "2.4.1")
    check = preflight._package("torch", {"torch": "2.13.0"})
    assert check.status == "PROBLEM" and "oldest the course has been run with" in check.detail


def test_missing_or_altered_course_data_is_a_problem_that_says_what_to_do(monkeypatch, tmp_path):
    import helpers.data
    assert preflight._data().status == "OK"
    monkeypatch.setattr(helpers.data, "data_dir", lambda: tmp_path)
    missing = preflight._data()
    assert missing.status == "PROBLEM" and "clone the whole repository" in missing.detail
    (tmp_path / "tinyshakespeare.txt").write_text("First Citizen:\r\n")
    altered = preflight._data()
    assert altered.status == "PROBLEM" and "git checkout -- data/tinyshakespeare.txt" in altered.detail
