"""A quarterly indicator is judged on the means of its complete calendar years, and says so."""

import pandas as pd
import pytest

from .test_import_service import run


def test_quarters_are_judged_on_calendar_year_means(client, employment, write_csv, soup):
    quarters = pd.period_range("2012Q1", "2025Q1", freq="Q")
    rows = [
        ["25", f"{q.year}-Q{q.quarter}", round(1000 * 1.01 ** (q.year - 2012) + 30 * (q.quarter == 3), 1)]
        for q in quarters
    ]  # fmt: skip
    run(write_csv(rows), employment)
    frame = pd.DataFrame(rows, columns=["geo", "period", "value"])
    means = frame.groupby(frame.period.str[:4].astype(int)).value.mean().loc[:2024]
    observed = (means[2024] / means[2015]) ** (1 / 9) - 1

    (status,) = client.get(f"/api/indicators/{employment.code}/status").json()
    assert status["ok"] and status["observed_rate"] == pytest.approx(observed, rel=1e-9)
    assert status["calendar"]["observed_frequency"] == "quarterly"
    assert (
        status["calendar"]["basis"]
        == "Bedömningen gäller kalenderårsmedelvärden av kvartalsvärden."
    )
    assert [y["text"] for y in status["calendar"]["left_out"]] == ["bara 1 av 4 kvartal av 2025"]

    page = soup(client.get("/en" + employment.get_absolute_url()))
    basis = page.select_one(".status-table .verdict-basis").text
    assert basis == (
        "The verdict is on calendar-year means of quarterly values. Left out, since a calendar-year "
        "mean needs every period of the year: only 1 of 4 quarters of 2025."
    )
