"""The records a parser yields, the faults it reports, and the lazy stream that carries both.

A parser is a generator over one file. It yields records one at a time (so a file of a million
rows is never held as a million Python objects) and reports every bad row or field to its
`ParseStream` as it goes; a fault that makes the rest of the file unreadable is raised as
`FileRejected` and ends the stream with that fault recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from mineralstrategi.ingest.dimensions import Dimensions
from mineralstrategi.ingest.faults import Fault, gettext_noop, render, template_of

GeographyLevel = Literal["nation", "county", "municipality", "site"]

#: The code every parser gives the whole country, whatever the source calls it ("00", "0000").
NATION_CODE = "SE"

#: At most this many faults are kept one by one; the rest are only counted (a file of garbage
#: must not fill the memory with a million messages).
DEFAULT_MAX_ERRORS = 10_000
#: The same fault (field and message) is listed for this many rows; the rest are summed up in one
#: line, so that one wrong code on 400 rows reads as one fault, not a page of them.
SAME_FAULT_LISTED = 1


@dataclass(frozen=True, slots=True)
class Observation:
    """One value of an indicator for one place and one period.

    `period` is normalised: "2019" (year), "2019-Q3" (quarter) or "2019-07" (month). `value` is
    None when the source marks it missing. `dimensions` holds the record's disaggregations (sex,
    age group …) by the source's own dimension id and category code, without the totals, so the
    headline figure has none; `measure` is the canonical text of what it measures (SCB's
    ContentsCode, Kolada's kpi …; see `dimensions.breakdown_key`), "" when the file does not say.
    """

    geography_code: str
    geography_level: GeographyLevel
    period: str
    value: float | None
    provisional: bool = False
    estimated: bool = False
    status: str = ""
    dimensions: dict[str, str] = field(default_factory=dict)
    measure: str = ""


@dataclass(frozen=True, slots=True)
class MethodBreak:
    """The first month a price series is measured a new way, with the source's words for it."""

    month: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class PriceSeries:
    """A commodity price series as its file describes it; every price point of it refers to it.

    `code` is the series' key (lower case, e.g. "iron_ore"); `currency` is "USD", "US cents" or
    None for an index (then `unit` is its base, e.g. "2010=100"). A file that only names its
    columns (a tidy CSV) leaves the rest empty; the World Bank's workbook fills in its name,
    group, description, original sources and the method breaks its description states.
    """

    code: str
    unit: str
    currency: str | None
    name: str = ""
    group: str = ""
    group_name: str = ""
    description: str = ""
    original_sources: str = ""
    source: str = ""
    breaks: tuple[MethodBreak, ...] = ()
    column: str = ""

    @property
    def unit_label(self) -> str:
        """The unit as pages show it: "USD/mt", "US cents/kg", or an index's base "2010=100"."""
        return f"{self.currency}/{self.unit}" if self.currency else self.unit

    @property
    def described(self) -> bool:
        """Whether the file names the series (and so may update what is stored about it)."""
        return bool(self.name)


@dataclass(frozen=True, slots=True)
class PricePoint:
    """One monthly price of a commodity, e.g. copper in USD per metric ton for 2024-11."""

    series: PriceSeries
    month: str
    value: float | None

    @property
    def commodity(self) -> str:
        return self.series.code

    @property
    def unit(self) -> str:
        return self.series.unit

    @property
    def currency(self) -> str | None:
        return self.series.currency


Record = Observation | PricePoint


@dataclass(frozen=True, slots=True)
class RowError:
    """A fault in a file, with where it is: row (1-based, as a spreadsheet shows it) and field."""

    file: str
    row: int | None
    field: str | None
    message: str
    repeats: int = 0  # a summing-up line: the fault recurs on this many rows from `row` on
    #: The message as a template (marked for translation) and its parameters; a parameter may be
    #: a nested fault {"template", "params"}. Without a template the message is its own.
    template: str = ""
    params: dict | None = None

    def as_dict(self) -> dict:
        """The fault as stored (JSON): where it is, its template and parameters, the English."""
        return {
            "file": self.file,
            "row": self.row,
            "field": self.field,
            "repeats": self.repeats,
            "template": self.template or self.message,
            "params": self.params or {},
            "text": str(self),
        }

    def __str__(self) -> str:
        place = [self.file]
        if self.row is not None and not self.repeats:
            place.append(f"row {self.row}")
        if self.field is not None:
            place.append(f"field {self.field!r}")
        return f"{', '.join(place)}: {self.message}"


class FileRejected(Exception):
    """The file as a whole cannot be read (wrong kind, unsafe, no usable header …)."""

    def __init__(self, message: str | Fault, *, row: int | None = None, field: str | None = None):
        self.template, self.params = template_of(message)
        message = str(message)
        super().__init__(message)
        self.message = message
        self.row = row
        self.field = field


@dataclass
class ParseResult:
    """A whole file parsed: its records (kept only by `collect`), faults and counts."""

    file: str
    format: str
    records: list[Record]
    errors: list[RowError]
    error_count: int
    record_count: int
    meta: dict
    dimensions: Dimensions = field(default_factory=Dimensions)
    unlisted: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def unlisted_error_count(self) -> int:
        """Faults beyond the listed ones (only counted, to bound the memory)."""
        return self.unlisted


ParserFunction = Callable[[Path, "ParseStream"], Iterator[Record]]


class ParseStream(Iterator[Record]):
    """The records of one file, read lazily; faults and counts fill in while it is read.

    Iterate it once. `errors`, `error_count`, `record_count`, `meta` and `dimensions` (what each
    dimension of the file is, declared by its parser) are complete when the iteration has ended
    (`finished`).
    """

    def __init__(
        self,
        path: Path,
        format: str,
        parser: ParserFunction,
        *,
        display_name: str | None = None,
        max_errors: int = DEFAULT_MAX_ERRORS,
    ):
        self.path = path
        self.file = display_name or path.name
        self.format = format
        self.errors: list[RowError] = []
        self.error_count = 0
        self.record_count = 0
        self.meta: dict = {}
        self.dimensions = Dimensions()
        self._same: dict[tuple, list] = {}  # (field, message) -> [count, first row, last row]
        self._templates: dict[str, tuple[str, dict]] = {}  # message -> (template, params)
        self._accounted = 0  # faults listed one by one or summed up in a line
        self.finished = False
        self._max_errors = max_errors
        self._parser = parser
        self._records: Iterator[Record] | None = None

    def error(self, row: int | None, field: str | None, message: str | Fault) -> None:
        """Report one fault; parsers call this and go on with the next row.

        `message` is a plain English text or a `Fault` (a template with its parameters).
        """
        self.error_count += 1
        template, params = template_of(message)
        message = str(message)
        self._templates.setdefault(message, (template, params))
        same = self._same.setdefault((field, message), [0, None, None])
        same[0] += 1
        if same[0] > SAME_FAULT_LISTED:
            if same[1] is None:
                same[1] = row
            same[2] = row
            return
        if len(self.errors) < self._max_errors:
            self.errors.append(RowError(self.file, row, field, message, 0, template, params))
            self._accounted += 1

    def _sum_up_repeats(self) -> None:
        """One line for each fault that recurs beyond the ones listed."""
        for (where, message), (count, first, last) in self._same.items():
            more = count - SAME_FAULT_LISTED
            if more <= 0 or len(self.errors) >= self._max_errors:
                continue
            template, params = self._templates.get(message, (message, {}))
            inner = {"template": template, "params": params}
            if first is not None and last != first:
                summary = gettext_noop(
                    "the same fault in %(more)s more rows (rows %(first)s–%(last)s): %(fault)s"
                )
            elif first is not None:
                summary = gettext_noop(
                    "the same fault in %(more)s more rows (row %(first)s): %(fault)s"
                )
            else:
                summary = gettext_noop("the same fault in %(more)s more rows: %(fault)s")
            values = {"more": more, "first": first, "last": last, "fault": inner}
            values = {key: value for key, value in values.items() if f"%({key})s" in summary}
            text = render(summary, values)
            self.errors.append(RowError(self.file, first, where, text, more, summary, values))
            self._accounted += more
        self._same.clear()

    def __iter__(self) -> ParseStream:
        return self

    def __next__(self) -> Record:
        if self.finished:
            raise StopIteration
        if self._records is None:
            self._records = self._parser(self.path, self)
        try:
            record = next(self._records)
        except StopIteration:
            self.finished = True
            self._sum_up_repeats()
            raise
        except FileRejected as rejected:
            self.finished = True
            fault = Fault(rejected.template, **rejected.params)
            self.error(rejected.row, rejected.field, fault)
            self._sum_up_repeats()
            raise StopIteration from None
        self.record_count += 1
        return record

    def collect(self) -> ParseResult:
        """Read the rest of the file and keep every record (for files that fit in memory)."""
        return self._result(list(self))

    def drain(self) -> ParseResult:
        """Read the rest of the file for its counts and faults only, keeping no record."""
        for _ in self:
            pass
        return self._result([])

    @property
    def unlisted_error_count(self) -> int:
        """Faults neither listed nor summed up (beyond the limit of listed faults)."""
        return self.error_count - self._accounted

    def _result(self, records: list[Record]) -> ParseResult:
        return ParseResult(
            file=self.file,
            format=self.format,
            records=records,
            errors=self.errors,
            error_count=self.error_count,
            record_count=self.record_count,
            meta=self.meta,
            dimensions=self.dimensions,
            unlisted=self.unlisted_error_count,
        )
