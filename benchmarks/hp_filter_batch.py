"""Batch HP filter against a loop over statsmodels' hpfilter: speed and agreement.

    python benchmarks/hp_filter_batch.py [--series 10000] [--months 300] [--sample 500]

Makes ``--series`` random-walk log-price series of ``--months`` months (seeded), filters them all with
``mineralstrategi.analysis.cycle.hp_filter_batch`` (lambda 129,600), and loops statsmodels'
``hpfilter`` over the first ``--sample`` of them. The statsmodels time for all series is extrapolated
linearly from the sample (each call is independent and the same size, so the time per series is
constant); the agreement is checked on the sampled series. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np
import scipy
import statsmodels
from statsmodels.tsa.filters.hp_filter import hpfilter

from mineralstrategi.analysis.cycle import _hp_cholesky, hp_filter_batch

LAMBDA = 129600.0


def _best_of(runs: int, action) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=300)
    parser.add_argument("--sample", type=int, default=500)
    args = parser.parse_args()

    rng = np.random.default_rng(20241203)
    steps = rng.normal(0.0, 0.06, size=(args.series, args.months))
    prices = 4.0 + np.cumsum(steps, axis=1)  # log prices, one series per row

    _hp_cholesky.cache_clear()  # time the factorisation too
    batch_seconds = _best_of(
        3, lambda: (_hp_cholesky.cache_clear(), hp_filter_batch(prices, LAMBDA))
    )
    batch = hp_filter_batch(prices, LAMBDA)

    sample = prices[: args.sample]
    start = time.perf_counter()
    reference = np.array([hpfilter(row, LAMBDA)[1] for row in sample])
    sample_seconds = time.perf_counter() - start
    statsmodels_seconds = sample_seconds / args.sample * args.series

    max_difference = float(np.max(np.abs(batch.trend[: args.sample] - reference)))
    speedup = statsmodels_seconds / batch_seconds

    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"statsmodels {statsmodels.__version__}"
    )
    print()
    print("| what | time |")
    print("|---|---|")
    print(
        f"| statsmodels `hpfilter`, loop over {args.sample} series (measured) | {sample_seconds:.2f} s |"
    )
    print(
        f"| statsmodels `hpfilter`, {args.series:,} series (extrapolated) | {statsmodels_seconds:.1f} s |"
    )
    print(
        f"| `hp_filter_batch`, {args.series:,} series x {args.months} months (best of 3) "
        f"| {batch_seconds * 1000:.0f} ms |"
    )
    print(f"| speed-up | {speedup:.0f}x |")
    print(
        f"| largest difference of trend on the {args.sample} sampled series | {max_difference:.1e} |"
    )
    if max_difference > 1e-8 or speedup < 20:
        raise SystemExit("FAILED: the batch filter must agree to 1e-8 and be at least 20x faster")


if __name__ == "__main__":
    main()
