"""Pure statistics for the indicator follow-up: progress status, trend and cycle, prices, lags.

Plain Python on numpy, pandas, scipy and statsmodels. It imports nothing from Django nor from any
other part of the project, so it is fast to test and usable from a notebook. Every public function
answers with a result dataclass carrying ``ok`` and, when it cannot judge, a ``reason`` in plain
English that names what is wrong and where; it never raises on bad data.
"""
