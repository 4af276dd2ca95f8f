"""Fixtures for the ingest tests."""

from pathlib import Path

import pytest
from ingest_helpers import write_pink_sheet


@pytest.fixture(scope="session")
def pink_sheet(tmp_path_factory) -> Path:
    return write_pink_sheet(
        tmp_path_factory.mktemp("pinksheet") / "CMO-Historical-Data-Monthly.xlsx"
    )
