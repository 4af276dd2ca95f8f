"""Figures of the fuzz test: per operation, the requests made, their status codes and time,
printed in the terminal summary (so CI's log tells how much was fuzzed and what it reached)."""

import time
from collections import Counter, defaultdict
from contextlib import contextmanager

import pytest

FUZZ_RUNS = pytest.StashKey[dict]()


@pytest.fixture
def fuzz_tally(request):
    """`with fuzz_tally(label) as record: record(call())` counts one request and its status."""
    runs = request.config.stash.setdefault(FUZZ_RUNS, defaultdict(lambda: [Counter(), 0.0]))

    @contextmanager
    def tally(label: str):
        started = time.perf_counter()
        statuses = runs[label][0]
        try:
            yield lambda response: statuses.update([response.status_code])
        finally:
            runs[label][1] += time.perf_counter() - started

    return tally


def pytest_terminal_summary(terminalreporter, config):
    runs = config.stash.get(FUZZ_RUNS, None)
    if not runs:
        return
    terminalreporter.section("schemathesis: requests per operation")
    for label, (statuses, seconds) in sorted(runs.items()):
        codes = " ".join(f"{code}:{count}" for code, count in sorted(statuses.items()))
        terminalreporter.write_line(f"{statuses.total():5d} {seconds:6.1f} s  {label}  ({codes})")
    total = sum(statuses.total() for statuses, _ in runs.values())
    terminalreporter.write_line(f"{total} requests in {len(runs)} operation runs")
