"""Tasks for the drills of tests/ops/test_leases_processes.py, run by real worker processes."""

import os
import signal
import time
from pathlib import Path

from django_tasks import task


@task()
def slow(folder: str, seconds: str) -> int:
    """Say when it starts and finishes, in files named after the worker's process."""
    Path(folder, f"started-{os.getpid()}").touch()
    time.sleep(float(seconds))
    Path(folder, f"finished-{os.getpid()}").touch()
    return os.getpid()


@task()
def fatal(folder: str) -> None:
    """Kill the worker running it, as a host that dies does."""
    Path(folder, f"attempt-{os.getpid()}").touch()
    os.kill(os.getpid(), signal.SIGKILL)
