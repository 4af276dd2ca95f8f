"""The sentences around a verdict, in the reader's language: the calendar-year basis it is given on,
the years left out and why, and how provisional its last years are.

The analysis package answers with structured results (``CalendarYears``, ``Revisions``); this
module turns them into the page's Swedish or English, with numbers written the reader's way. The
pages, the follow-up report and the API all take their wording from here.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mineralstrategi.analysis import CalendarYears, Frequency, IncompleteYear, Revisions
from mineralstrategi.analysis.wording import is_percentage_unit, number, significant, year_span


def language() -> str:
    return "en" if (get_language() or "sv").startswith("en") else "sv"


def basis_text(calendar: CalendarYears) -> str:
    """'The verdict is on calendar-year means of monthly values.' ('' for annual values)."""
    if calendar.frequency is Frequency.MONTHLY:
        return _("The verdict is on calendar-year means of monthly values.")
    if calendar.frequency is Frequency.QUARTERLY:
        return _("The verdict is on calendar-year means of quarterly values.")
    return ""


def incomplete_text(year: IncompleteYear) -> str:
    """'only 4 of 12 months of 2026'."""
    values = {"present": year.present, "needed": year.needed, "year": year.year}
    if year.frequency is Frequency.MONTHLY:
        return _("only %(present)s of %(needed)s months of %(year)s") % values
    return _("only %(present)s of %(needed)s quarters of %(year)s") % values


def left_out_text(calendar: CalendarYears) -> str:
    """The incomplete years left out, and why ('' when none was)."""
    if not calendar.incomplete or not calendar.ok:
        return ""
    listed = "; ".join(incomplete_text(year) for year in calendar.incomplete)
    return _("Left out, since a calendar-year mean needs every period of the year: %(years)s.") % {
        "years": listed
    }


def no_year_text(calendar: CalendarYears) -> str:
    """Why there is no calendar year to judge: 'No complete calendar year: only 4 of 12 months of
    2026.', or that there are no observations."""
    if calendar.incomplete:
        listed = "; ".join(incomplete_text(year) for year in calendar.incomplete)
        return _(
            "No complete calendar year: %(years)s. A calendar-year mean needs every month or "
            "quarter of the year."
        ) % {"years": listed}
    return _("No observations.")


def basis_sentence(calendar: CalendarYears) -> str:
    """The basis and the years left out, as one line under a verdict ('' for plain years)."""
    return " ".join(part for part in (basis_text(calendar), left_out_text(calendar)) if part)


def band_text(revisions: Revisions | None, unit: str) -> str:
    """'Provisional 2022–2023: the end value may still move by ±45 personer (±2.1 %) as years
    are added.' or why it cannot be measured ('' when there is nothing to say)."""
    if revisions is None:
        return ""
    lang = language()
    if not revisions.ok:
        if revisions.years_available is not None:
            return _(
                "How provisional the last years are cannot be measured: %(years)s years of data, "
                "%(needed)s needed."
            ) % {"years": revisions.years_available, "needed": revisions.years_needed}
        return ""
    if not revisions.provisional_years:
        return _("Not provisional: the end values did not move when years were added.")
    percent = revisions.largest_percent
    if is_percentage_unit(unit):  # a move of a percentage is in points, not in per cent of it
        unit, percent = str(_("percentage points")), None
    values = {
        "years": year_span(revisions.provisional_years),
        "amount": f"{significant(revisions.largest, lang, 2)} {unit}".strip(),
        "percent": "" if percent is None else number(percent, lang, 1),
    }
    if percent is None:
        text = _(
            "Provisional %(years)s: the end value may still move by ±%(amount)s as years are added."
        )
    else:
        text = _(
            "Provisional %(years)s: the end value may still move by ±%(amount)s (±%(percent)s %%) "
            "as years are added."
        )
    return text % values
