"""Lagged correlation of an indicator's cycle with a price cycle, with an honest confidence band.

Lag convention: at lag k the indicator in year t is paired with the price in year t - k, so a
positive k means the price leads the indicator by k years (the usual case: prices move first,
employment and investment follow).

Confidence band. Under the hypothesis that the two series are unrelated, the sample cross-
correlation of two white-noise series has standard error 1/sqrt(n), hence the familiar +-1.96/sqrt(n).
Cycles are not white noise: an HP or band-pass cycle is strongly autocorrelated, and two unrelated
autocorrelated series produce large sample cross-correlations by chance. We therefore use Bartlett's
(1955) formula for the variance of the cross-correlation of two independent stationary series,

    var r_xy(k) ~ (1 / n_k) * sum_j rho_xx(j) * rho_yy(j),   j = -J..J,

with the sample autocorrelations of each cycle and the sum truncated at J = floor(n / 4) (at least 1),
as in Box, Jenkins and Reinsel, *Time Series Analysis*, ch. 12 (the white-noise band is reported too).
The band is a test of "no relation", at each lag separately; scanning seven lags makes one chance
excursion likely, which the explanation says.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mineralstrategi.analysis._series import (
    SeriesLike,
    annual_series,
    constant_reason,
    gap_reason,
    too_short_reason,
)
from mineralstrategi.analysis.cycle import MIN_YEARS
from mineralstrategi.analysis.wording import number

MIN_OBSERVATIONS = MIN_YEARS
Z_95 = 1.959963984540054


@dataclass(frozen=True)
class LaggedCorrelation:
    ok: bool
    reason: str = ""
    lags: tuple[int, ...] = ()
    correlations: tuple[float, ...] = ()
    band: tuple[float, ...] = ()
    white_noise_band: tuple[float, ...] = ()
    observations: tuple[int, ...] = ()
    bartlett_factor: float | None = None
    best_lag: int | None = None
    best_correlation: float | None = None
    significant: bool = False
    band_method: str = "bartlett"
    explanation_en: str = ""
    explanation_sv: str = ""
    notes: tuple[str, ...] = ()

    @classmethod
    def refused(cls, reason: str) -> LaggedCorrelation:
        return cls(ok=False, reason=reason)

    def at(self, lag: int) -> float:
        return self.correlations[self.lags.index(lag)]

    @property
    def strongest_leading_lag(self) -> int | None:
        """The lag of 0..max (price leading, or the same year) with the largest absolute
        correlation: the lag a cycle adjustment uses, since a price that follows the indicator is
        no cause to adjust for. On a tie the longer lag."""
        leading = [
            (abs(r), lag) for lag, r in zip(self.lags, self.correlations, strict=True) if lag >= 0
        ]
        return max(leading)[1] if leading else None

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "correlation": self.correlations,
                "band": self.band,
                "white_noise_band": self.white_noise_band,
                "observations": self.observations,
            },
            index=pd.Index(self.lags, name="lag"),
        )


def checked_cycle(
    series: SeriesLike, name: str, minimum: int = MIN_OBSERVATIONS
) -> pd.Series | str:
    """An annual cycle fit for correlating: years without gaps, enough of them, not constant."""
    checked = annual_series(series, name)
    if not checked.ok:
        return checked.reason
    values = checked.series
    return (
        gap_reason(values, name)
        or too_short_reason(len(values), minimum, name)
        or constant_reason(values, name)
        or values
    )


def lagged_correlation(
    indicator_cycle: SeriesLike,
    price_cycle: SeriesLike,
    max_lag: int = 3,
    indicator_name: str = "indicator cycle",
    price_name: str = "price cycle",
    min_observations: int = MIN_OBSERVATIONS,
) -> LaggedCorrelation:
    """Cross-correlations at lags -max_lag..+max_lag with Bartlett 95 % bands."""
    if not 0 <= max_lag <= 10:
        return LaggedCorrelation.refused(f"max_lag must be between 0 and 10, not {max_lag}")
    y = checked_cycle(indicator_cycle, indicator_name, min_observations)
    x = checked_cycle(price_cycle, price_name, min_observations)
    for checked in (y, x):
        if isinstance(checked, str):
            return LaggedCorrelation.refused(checked)
    factor, factor_note = _bartlett_factor(y.to_numpy(), x.to_numpy())
    lags = tuple(range(-max_lag, max_lag + 1))
    correlations, bands, white, counts = [], [], [], []
    for lag in lags:
        pairs = _pairs(y, x, lag)
        if len(pairs["y"]) < min_observations:
            return LaggedCorrelation.refused(
                f"at lag {lag:+d} the two cycles overlap in {len(pairs['y'])} years, "
                f"need at least {min_observations}"
            )
        if constant_reason(pairs["y"]) or constant_reason(pairs["x"]):
            return LaggedCorrelation.refused(
                f"at lag {lag:+d} one of the cycles is constant over the years they share"
            )
        correlations.append(float(np.corrcoef(pairs["y"], pairs["x"])[0, 1]))
        count = len(pairs["y"])
        counts.append(count)
        white.append(Z_95 / np.sqrt(count))
        bands.append(Z_95 * np.sqrt(factor / count))
    best = int(np.argmax(np.abs(correlations)))
    result = LaggedCorrelation(
        ok=True,
        lags=lags,
        correlations=tuple(correlations),
        band=tuple(bands),
        white_noise_band=tuple(white),
        observations=tuple(counts),
        bartlett_factor=factor,
        best_lag=lags[best],
        best_correlation=correlations[best],
        significant=abs(correlations[best]) > bands[best],
        notes=(factor_note,) if factor_note else (),
    )
    return _explained(result, indicator_name, price_name)


def _pairs(y: pd.Series, x: pd.Series, lag: int) -> dict[str, pd.Series]:
    """The indicator in year t beside the price in year t - lag, over the years both have.

    Both series are unbroken runs of years (``checked_cycle``), so the overlap is one run too and
    is cut out by position: no index alignment, which the lag search and every pseudo-real-time
    cut repeat many times."""
    first = max(int(y.index[0]), int(x.index[0]) + lag)
    last = min(int(y.index[-1]), int(x.index[-1]) + lag)
    if last < first:
        empty = pd.Series([], dtype=float)
        return {"y": empty, "x": empty}
    years = pd.RangeIndex(first, last + 1)
    y_start, x_start = first - int(y.index[0]), first - lag - int(x.index[0])
    count = last - first + 1
    return {
        "y": pd.Series(y.to_numpy()[y_start : y_start + count], index=years),
        "x": pd.Series(x.to_numpy()[x_start : x_start + count], index=years),
    }


def _bartlett_factor(y: np.ndarray, x: np.ndarray) -> tuple[float, str]:
    n = min(len(y), len(x))
    truncation = max(1, n // 4)
    from statsmodels.tsa.stattools import (
        acf,  # imported where used: statsmodels and scipy take seconds to load (see __init__)
    )

    rho_y = acf(y, nlags=truncation, fft=False)
    rho_x = acf(x, nlags=truncation, fft=False)
    factor = float(1.0 + 2.0 * np.sum(rho_y[1:] * rho_x[1:]))
    if factor < 1.0:
        # negative products shrink the band below white noise; we do not claim that precision
        return (
            1.0,
            "the autocorrelations would narrow the band below the white-noise band; it was kept at that",
        )
    return factor, ""


def _explained(r: LaggedCorrelation, indicator: str, price: str) -> LaggedCorrelation:
    from dataclasses import replace

    band = r.band[r.lags.index(r.best_lag)]
    years = abs(r.best_lag)
    if r.best_lag > 0:
        lead_en = f"the price leads by {years} year{'s' if years != 1 else ''}"
        lead_sv = f"priset leder med {years} år"
    elif r.best_lag == 0:
        lead_en, lead_sv = "the same year", "samma år"
    else:
        lead_en = f"the indicator leads by {years} year{'s' if years != 1 else ''}"
        lead_sv = f"indikatorn leder med {years} år"

    def two(value: float, lang: str, signed: bool = False) -> str:
        return number(value, lang, 2, signed)

    en = (
        f"The {indicator} moves most closely with the {price} at lag {number(r.best_lag, 'en', signed=r.best_lag != 0)} ({lead_en}): "
        f"correlation {two(r.best_correlation, 'en', True)}, "
        + ("outside the 95 % band for unrelated series" if r.significant
           else "inside the 95 % band, so it could be chance")
        + f" (±{two(band, 'en')}, Bartlett, allowing for the cycles' own persistence; the "
        f"white-noise band would be ±{two(r.white_noise_band[0], 'en')}). With {len(r.lags)} lags "
        "looked at, one may cross the band by chance."
    )  # fmt: skip
    sv = (
        f"Indikatorns cykel följer priscykeln närmast vid förskjutningen "
        f"{number(r.best_lag, 'sv', signed=r.best_lag != 0)} ({lead_sv}): korrelationen är "
        f"{two(r.best_correlation, 'sv', True)}, "
        + ("utanför 95 %-bandet för orelaterade serier" if r.significant
           else "inom 95 %-bandet, så den kan vara en slump")
        + f" (±{two(band, 'sv')}, Bartlett, med hänsyn till cyklernas egen tröghet; bandet för "
        f"vitt brus vore ±{two(r.white_noise_band[0], 'sv')}). Med {len(r.lags)} förskjutningar "
        "prövade kan någon korsa bandet av en slump."
    )  # fmt: skip
    return replace(r, explanation_en=en, explanation_sv=sv)
