"""Re-run notebooks top to bottom and store their outputs: ``make execute``.

Outputs are regenerated, never hand-edited. A notebook with an unexpected
error is left unchanged and the command fails.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient.exceptions import CellExecutionError

from nbrun import client, prepare, tidy_outputs, use_this_python


def main(paths: list[str]) -> int:
    use_this_python()
    failed = 0
    for name in paths:
        path = Path(name)
        nb = nbformat.read(path, as_version=4)
        prepare(nb)
        start = time.perf_counter()
        try:
            client(nb, path).execute()
        except CellExecutionError as err:
            print(f"FAILED  {path}: {str(err)[:2000]}")
            failed += 1
            continue
        tidy_outputs(nb)
        nbformat.validate(nb)
        nbformat.write(nb, path)
        print(f"ok      {path}  ({time.perf_counter() - start:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
