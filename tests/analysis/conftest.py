"""The World Bank monthly metal prices (The Pink Sheet, CC BY 4.0), as the analysis tests use them."""

from pathlib import Path

import pandas as pd
import pytest

PINK_SHEET = (
    Path(__file__).resolve().parent.parent / "data" / "CMO-Historical-Data-Monthly_metals.csv"
)


@pytest.fixture(scope="session")
def metal_prices() -> pd.DataFrame:
    """Nominal monthly prices, one column per metal, indexed by monthly periods 1960-01..2024-11."""
    frame = pd.read_csv(PINK_SHEET)
    frame.index = pd.PeriodIndex(frame.pop("month"), freq="M")
    return frame


@pytest.fixture(scope="session")
def iron_ore(metal_prices) -> pd.Series:
    return metal_prices["iron_ore_usd_per_dmtu"]
