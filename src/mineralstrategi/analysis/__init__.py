"""Pure statistics for the indicator follow-up: progress status, trend and cycle, prices, lags.

Plain Python on numpy, pandas, scipy and statsmodels. It imports nothing from Django nor from any
other part of the project, so it is fast to test and usable from a notebook. Every public function
answers with a result dataclass carrying ``ok`` and, when it cannot judge, a ``reason`` in plain
English that names what is wrong and where; it never raises on bad data.

statsmodels and scipy are imported inside the functions that use them, not at the top of the
modules: together they take about 3.5 s to import, which every process that loads the platform
(a web worker, the task worker, each command of the CLI) would pay before it could answer.
"""

from mineralstrategi.analysis._series import Frequency
from mineralstrategi.analysis.adjust import (
    CycleAdjustment,
    Names,
    PriceScenario,
    cycle_adjust,
    price_scenario,
)
from mineralstrategi.analysis.calendar import CalendarYears, IncompleteYear, calendar_year_means
from mineralstrategi.analysis.correlation import LaggedCorrelation, lagged_correlation
from mineralstrategi.analysis.cycle import (
    HP_LAMBDA,
    BatchDecomposition,
    BreakMethod,
    Decomposition,
    cf_decompose,
    hp_decompose,
    hp_filter_batch,
    hp_lambda,
    stl_decompose,
)
from mineralstrategi.analysis.prices import (
    IRON_ORE_BREAKS,
    PriceBreak,
    PriceCycle,
    PriceSeries,
    annual_price_cycle,
    annualise_monthly,
    deflate,
    log_prices,
)
from mineralstrategi.analysis.revisions import (
    Revisions,
    adjusted_revisions,
    cut_years,
    trend_revisions,
)
from mineralstrategi.analysis.status import (
    Base,
    Direction,
    GrowthMethod,
    ProgressStatus,
    Status,
    Target,
    progress_status,
)
from mineralstrategi.analysis.wording import is_percentage_unit

__all__ = [
    "HP_LAMBDA",
    "IRON_ORE_BREAKS",
    "Base",
    "BatchDecomposition",
    "BreakMethod",
    "CalendarYears",
    "CycleAdjustment",
    "Decomposition",
    "Direction",
    "Frequency",
    "GrowthMethod",
    "IncompleteYear",
    "LaggedCorrelation",
    "Names",
    "PriceBreak",
    "PriceCycle",
    "PriceScenario",
    "PriceSeries",
    "ProgressStatus",
    "Revisions",
    "Status",
    "Target",
    "annual_price_cycle",
    "adjusted_revisions",
    "annualise_monthly",
    "calendar_year_means",
    "cf_decompose",
    "cut_years",
    "cycle_adjust",
    "deflate",
    "hp_decompose",
    "hp_filter_batch",
    "hp_lambda",
    "is_percentage_unit",
    "lagged_correlation",
    "log_prices",
    "price_scenario",
    "progress_status",
    "stl_decompose",
    "trend_revisions",
]
