"""Which devices can each framework use, and which should a notebook pick? (Taught in notebook 03.)

One function per framework, as they name devices differently: ``torch_device`` returns a ``torch.device``,
``tf_device`` a name for ``with tf.device(name):``. ROCm builds report AMD GPUs as ``cuda`` (``torch.version.hip``
tells them apart); availability is checked, not what a wheel was built for; MPS has no float64.
"""

from dataclasses import dataclass
from typing import Any

__all__ = ["TorchBackends", "probe_torch", "choose_torch_device", "torch_device", "tf_physical_devices",
           "choose_tf_device", "tf_device", "supports_float64", "describe"]

TORCH_REQUESTS = ("auto", "cpu", "cuda", "cuda:N", "gpu", "rocm", "mps", "xpu", "xpu:N")
TF_REQUESTS = ("auto", "cpu", "gpu", "gpu:N")


@dataclass(frozen=True)
class TorchBackends:
    """What PyTorch can use here: counts of CUDA/ROCm and XPU devices, MPS."""
    cuda: int = 0
    hip: str | None = None  # the ROCm version when this is a ROCm build
    mps: bool = False
    xpu: int = 0
    names: tuple[str, ...] = ()  # GPU names, if any


def probe_torch(torch: Any = None) -> TorchBackends:
    """Ask PyTorch (or a stand-in module, for tests) what is available."""
    if torch is None:
        import torch
    cuda = torch.cuda.device_count() if torch.cuda.is_available() else 0
    mps, xpu = getattr(torch.backends, "mps", None), getattr(torch, "xpu", None)
    return TorchBackends(cuda=cuda, hip=getattr(torch.version, "hip", None),
                         mps=bool(mps and mps.is_available()),
                         xpu=xpu.device_count() if xpu is not None and xpu.is_available() else 0,
                         names=tuple(torch.cuda.get_device_name(i) for i in range(cuda)))


def _split(request: str, valid: tuple[str, ...]) -> tuple[str, int | None]:
    """'cuda:1' -> ('cuda', 1); raise a ValueError listing ``valid`` otherwise."""
    kind, _, index = request.strip().lower().partition(":") if isinstance(request, str) else ("?", "", "")
    if f"{kind}:N" in valid and index.isdigit():
        return kind, int(index)
    if kind in valid and not index:
        return kind, None
    raise ValueError(f"unknown device request {request!r}; choose one of: {', '.join(valid)}")


def choose_torch_device(request: str, backends: TorchBackends) -> tuple[str, str]:
    """Pure decision: return (device string, one-line explanation)."""
    kind, index = _split(request, TORCH_REQUESTS)
    gpu = "ROCm" if backends.hip else "CUDA"
    if kind == "auto":
        for ok, dev in ((backends.cuda, "cuda:0"), (backends.mps, "mps"), (backends.xpu, "xpu:0")):
            if ok:
                return dev, f"auto: using {dev}, the first accelerator PyTorch found"
        return "cpu", "auto: no CUDA, ROCm, MPS or XPU device found; using cpu"
    if kind == "cpu":
        return "cpu", "using cpu, as asked"
    if kind == "gpu" and not backends.cuda:  # "any GPU": CUDA/ROCm first, then Apple, then Intel
        kind = "mps" if backends.mps else "xpu" if backends.xpu else kind
    if kind == "mps":
        return ("mps", "using mps (Apple GPU; note: no float64 there)") if backends.mps else \
            ("cpu", "asked for 'mps', but MPS needs an Apple-silicon Mac with PyTorch's MPS build; using cpu instead")
    count, dev_kind, label = (backends.xpu, "xpu", "Intel XPU") if kind == "xpu" else (backends.cuda, "cuda", gpu)
    if kind == "rocm" and backends.cuda and not backends.hip:
        return "cpu", "asked for 'rocm', but this PyTorch is a CUDA build (torch.version.hip is None); using cpu instead"
    if count == 0:
        what = "Intel XPU" if kind == "xpu" else "CUDA or ROCm GPU"
        return "cpu", f"asked for {request!r}, but PyTorch sees no {what} here; using cpu instead"
    i = index or 0
    if i >= count:
        return f"{dev_kind}:0", f"asked for {request!r}, but only {count} {label} device(s) exist (0..{count - 1}); using {dev_kind}:0 instead"
    name = f" ({backends.names[i]})" if dev_kind == "cuda" and i < len(backends.names) else ""
    return f"{dev_kind}:{i}", f"using {dev_kind}:{i}{name}, a {label} device"


def torch_device(request: str = "auto", *, verbose: bool = False) -> Any:
    """A ``torch.device`` for ``request`` (one of TORCH_REQUESTS); prints why when it falls back.

    >>> torch_device("cpu")
    device(type='cpu')
    """
    import torch
    device, why = choose_torch_device(request, probe_torch(torch))
    if verbose or why.startswith("asked"):
        print(f"PyTorch: {why}")
    return torch.device(device)


def tf_physical_devices(tf: Any = None) -> list[tuple[str, str]]:
    """List (device type, name) pairs, e.g. ``('CPU', '/physical_device:CPU:0')``."""
    if tf is None:
        from helpers.reproducibility import import_tensorflow
        tf = import_tensorflow()
    return [(d.device_type, d.name) for d in tf.config.list_physical_devices()]


def choose_tf_device(request: str, physical: list[tuple[str, str]]) -> tuple[str, str]:
    """Pure decision for TensorFlow: return (device name, one-line explanation)."""
    try:
        kind, index = _split(request, TF_REQUESTS)
    except ValueError as err:
        raise ValueError(f"{err}. TensorFlow calls every accelerator (CUDA, ROCm, Apple Metal) 'GPU'.") from None
    gpus = sum(1 for t, _ in physical if t == "GPU")
    if kind == "cpu":
        return "/CPU:0", "using /CPU:0, as asked"
    if gpus == 0:
        return "/CPU:0", ("auto: TensorFlow sees no GPU; using /CPU:0" if kind == "auto" else
                          f"asked for {request!r}, but TensorFlow sees no GPU here; using /CPU:0 instead")
    i = index or 0
    if i >= gpus:
        return "/GPU:0", f"asked for {request!r}, but only {gpus} GPU(s) exist (0..{gpus - 1}); using /GPU:0 instead"
    return f"/GPU:{i}", f"using /GPU:{i}" + (" (auto)" if kind == "auto" else "")


def tf_device(request: str = "auto", *, verbose: bool = False) -> str:
    """A device name for ``with tf.device(...)`` (one of TF_REQUESTS); prints why when it falls back."""
    name, why = choose_tf_device(request, tf_physical_devices())
    if verbose or why.startswith("asked"):
        print(f"TensorFlow: {why}")
    return name


def supports_float64(device: Any) -> bool:
    """False for Apple's MPS, which has no float64; True elsewhere."""
    return str(device).split(":")[0] != "mps"


def describe(backends: TorchBackends | None = None, physical: list[tuple[str, str]] | None = None) -> list[str]:
    """Plain-language lines: what PyTorch and TensorFlow can use here."""
    b = backends if backends is not None else probe_torch()
    found = [f"{b.cuda} {f'ROCm {b.hip}' if b.hip else 'CUDA'} GPU(s): {', '.join(b.names)}"] * bool(b.cuda)
    found += ["Apple MPS"] * b.mps + [f"{b.xpu} Intel XPU(s)"] * bool(b.xpu)
    torch_line = "PyTorch: CPU + " + "; ".join(found) if found else "PyTorch: CPU only (no CUDA, ROCm, MPS or XPU device found)"
    devs = physical if physical is not None else tf_physical_devices()
    kinds = sorted({t for t, _ in devs})
    counts = ", ".join(f"{sum(t == k for t, _ in devs)} {k}" for k in kinds)
    return [torch_line, f"TensorFlow: {counts}"]
