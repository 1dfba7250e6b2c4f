"""pytest plumbing for the whole repository, notebooks included: nbval's kernels talk over Unix sockets.

With TCP, a kernel can die at start with "Address already in use": jupyter_client picks its ports a moment
before the kernel binds them, and with several test workers starting kernels at once that was an
intermittent failure. tools/nbrun.py (over_unix_sockets) explains it, and uses the same for `make execute`
and `make bench`. On Windows nothing changes.

Figures that notebooks save during the tests go to a temporary folder (helpers.plotting.save reads
T2A_FIGURES_DIR; kernels inherit it), so that a test run leaves the committed figures/ untouched.
"""

import os
import sys
import tempfile
from pathlib import Path

import nbval.kernel

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))
from nbrun import over_unix_sockets  # noqa: E402

nbval.kernel.KernelManager = over_unix_sockets(nbval.kernel.KernelManager)  # what its start_new_kernel() uses

os.environ.setdefault("T2A_FIGURES_DIR", tempfile.mkdtemp(prefix="t2a-figures-"))
