"""The bounded memo that keeps pure analysis results between renders."""

import math
import threading

import pandas as pd
import pytest

from mineralstrategi.analysis.memo import Memo, series_key


def test_a_result_is_computed_once_per_key():
    memo = Memo(maxsize=10)
    calls = []

    def compute():
        calls.append(1)
        return "result"

    assert memo.get_or_compute(("a", 1), compute) == "result"
    assert memo.get_or_compute(("a", 1), compute) == "result"
    assert memo.get_or_compute(("a", 2), compute) == "result"
    assert len(calls) == 2
    assert (memo.hits, memo.misses) == (1, 2)


def test_the_least_recently_used_result_goes_first():
    memo = Memo(maxsize=2)
    memo.get_or_compute("a", lambda: 1)
    memo.get_or_compute("b", lambda: 2)
    memo.get_or_compute("a", lambda: 99)  # a hit: "b" is now the oldest
    memo.get_or_compute("c", lambda: 3)

    assert len(memo) == 2
    assert memo.get_or_compute("a", lambda: 99) == 1
    assert memo.get_or_compute("b", lambda: 20) == 20  # dropped, so computed again


def test_it_refuses_a_size_below_one():
    with pytest.raises(ValueError, match="maxsize"):
        Memo(maxsize=0)


def test_threads_sharing_it_keep_its_bound():
    memo = Memo(maxsize=50)

    def work(offset):
        for i in range(500):
            memo.get_or_compute((offset + i) % 80, lambda i=i: i)

    threads = [threading.Thread(target=work, args=(n * 7,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(memo) <= 50
    assert memo.hits + memo.misses == 2000


def test_series_key_is_the_values_in_period_order_with_one_spelling_of_missing():
    assert series_key({2021: 2, 2020: 1.5}) == ((2020, 1.5), (2021, 2.0))
    assert series_key({2020: float("nan")}) == series_key({2020: None}) == ((2020, None),)
    assert series_key(pd.Series({2020: math.nan, 2019: 3})) == ((2019, 3.0), (2020, None))
    assert series_key({2020: 1.0}) != series_key({2020: 1.0000001})
