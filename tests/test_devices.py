"""helpers.devices: every hardware case is mocked, so these run on any machine."""

from types import SimpleNamespace

import pytest
import torch

from helpers.devices import (
    TorchBackends, choose_tf_device, choose_torch_device, describe, probe_torch,
    supports_float64, torch_device,
)

NONE = TorchBackends()
CUDA2 = TorchBackends(cuda=2, names=("NVIDIA A100", "NVIDIA A100"))
ROCM = TorchBackends(cuda=1, hip="6.2", names=("AMD Instinct MI300X",))
MPS = TorchBackends(mps=True)
XPU = TorchBackends(xpu=1)


def fake_torch(*, cuda=0, hip=None, mps=False, xpu=None):
    """A stand-in for the torch module with just what probe_torch reads."""
    return SimpleNamespace(
        cuda=SimpleNamespace(is_available=lambda: cuda > 0, device_count=lambda: cuda,
                             get_device_name=lambda i: f"GPU {i}"),
        version=SimpleNamespace(hip=hip),
        backends=SimpleNamespace(mps=SimpleNamespace(is_available=lambda: mps)),
        xpu=None if xpu is None else SimpleNamespace(is_available=lambda: xpu > 0, device_count=lambda: xpu),
    )


@pytest.mark.parametrize("fake, expected", [
    (fake_torch(), TorchBackends()),
    (fake_torch(cuda=2), TorchBackends(cuda=2, names=("GPU 0", "GPU 1"))),
    (fake_torch(cuda=1, hip="6.2"), TorchBackends(cuda=1, hip="6.2", names=("GPU 0",))),
    (fake_torch(mps=True), TorchBackends(mps=True)),
    (fake_torch(xpu=1), TorchBackends(xpu=1)),
    (fake_torch(xpu=0), TorchBackends()),
])
def test_probe_reads_each_backend(fake, expected):
    assert probe_torch(fake) == expected


def test_probe_ignores_what_a_wheel_was_built_for():
    """A CUDA wheel on a machine without a GPU: is_available() is False, so no cuda."""
    fake = fake_torch(cuda=0)
    fake.accelerator = SimpleNamespace(current_accelerator=lambda check_available=False: "cuda")
    assert probe_torch(fake).cuda == 0


@pytest.mark.parametrize("backends, device", [(NONE, "cpu"), (CUDA2, "cuda:0"), (ROCM, "cuda:0"),
                                              (MPS, "mps"), (XPU, "xpu:0")])
def test_auto_prefers_an_accelerator(backends, device):
    assert choose_torch_device("auto", backends)[0] == device


def test_rocm_is_reported_as_rocm_with_cuda_device_type():
    device, why = choose_torch_device("cuda", ROCM)
    assert device == "cuda:0" and "ROCm" in why and "MI300X" in why
    assert choose_torch_device("rocm", ROCM)[0] == "cuda:0"
    device, why = choose_torch_device("rocm", CUDA2)
    assert device == "cpu" and "CUDA build" in why


@pytest.mark.parametrize("request_, backends", [("cuda", NONE), ("gpu", NONE), ("mps", CUDA2),
                                                ("xpu", NONE), ("rocm", NONE)])
def test_unmet_request_falls_back_to_cpu_and_says_why(request_, backends):
    device, why = choose_torch_device(request_, backends)
    assert device == "cpu"
    assert why.startswith(f"asked for '{request_}'") and "using cpu instead" in why


def test_gpu_means_whichever_gpu_there_is():
    assert choose_torch_device("gpu", MPS)[0] == "mps"
    assert choose_torch_device("gpu", XPU)[0] == "xpu:0"
    assert choose_torch_device("gpu", ROCM)[0] == "cuda:0"


def test_index_out_of_range_falls_back_to_first_device():
    device, why = choose_torch_device("cuda:5", CUDA2)
    assert device == "cuda:0" and "only 2" in why
    assert choose_torch_device("cuda:1", CUDA2)[0] == "cuda:1"


@pytest.mark.parametrize("bad", ["tpu", "cuda:x", "gpu:1", "", "CPU:0", 3])
def test_bad_torch_name_lists_the_valid_choices(bad):
    with pytest.raises(ValueError, match="choose one of: auto, cpu, cuda, cuda:N"):
        choose_torch_device(bad, NONE)


def test_torch_device_prints_fallback_and_returns_a_real_device(capsys, monkeypatch):
    monkeypatch.setattr("helpers.devices.probe_torch", lambda torch=None: NONE)
    assert torch_device("cuda") == torch.device("cpu")
    assert "using cpu instead" in capsys.readouterr().out
    assert torch_device("cpu") == torch.device("cpu")
    assert capsys.readouterr().out == ""  # no chatter when the request is met


CPU_ONLY = [("CPU", "/physical_device:CPU:0")]
TWO_GPUS = CPU_ONLY + [("GPU", "/physical_device:GPU:0"), ("GPU", "/physical_device:GPU:1")]


@pytest.mark.parametrize("request_, physical, expected", [
    ("auto", CPU_ONLY, "/CPU:0"), ("auto", TWO_GPUS, "/GPU:0"), ("gpu:1", TWO_GPUS, "/GPU:1"),
    ("gpu", CPU_ONLY, "/CPU:0"), ("gpu:7", TWO_GPUS, "/GPU:0"), ("cpu", TWO_GPUS, "/CPU:0"),
])
def test_tf_choice(request_, physical, expected):
    assert choose_tf_device(request_, physical)[0] == expected


def test_tf_bad_name_explains_tensorflow_naming():
    with pytest.raises(ValueError, match="calls every accelerator .* 'GPU'"):
        choose_tf_device("cuda", CPU_ONLY)


def test_mps_has_no_float64():
    assert not supports_float64("mps") and not supports_float64(torch.device("mps", 0))
    assert supports_float64("cpu") and supports_float64("cuda:0")


def test_describe_in_plain_words():
    assert describe(NONE, CPU_ONLY) == ["PyTorch: CPU only (no CUDA, ROCm, MPS or XPU device found)",
                                        "TensorFlow: 1 CPU"]
    torch_line, tf_line = describe(ROCM, TWO_GPUS)
    assert "ROCm 6.2" in torch_line and "MI300X" in torch_line
    assert tf_line == "TensorFlow: 1 CPU, 2 GPU"
