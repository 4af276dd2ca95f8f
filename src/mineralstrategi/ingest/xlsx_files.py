"""XLSX workbooks: checked for safety before openpyxl opens them, then streamed row by row.

`read_xlsx` reads a sheet in one of the table layouts (Open SDG, long; see `tabular`); the World
Bank's monthly commodity price workbook has its own reader (`pink_sheet`).

Safety, before any XML is parsed: the file must be under a size limit, be a zip archive with
`xl/workbook.xml`, and its central directory must not promise more than a limit of unpacked bytes,
members or expansion ratio (a zip bomb). Python's zipfile never inflates a member beyond the size
the directory declares, so the declared sizes are a real bound.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl

from mineralstrategi.ingest.records import FileRejected, Observation, ParseStream
from mineralstrategi.ingest.tabular import (
    Row,
    classify_header,
    expected_header_text,
    header_names,
    observations_from_rows,
)

MAX_WORKBOOK_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
HEADER_SEARCH_ROWS = 30
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_workbook_container(
    path: Path,
    max_bytes: int = MAX_WORKBOOK_BYTES,
    *,
    max_unpacked: int = MAX_UNPACKED_BYTES,
    max_ratio: int = MAX_RATIO,
) -> list[str]:
    """Refuse what is not a safe .xlsx workbook; return the sheet names it declares."""
    size = path.stat().st_size
    if size > max_bytes:
        raise FileRejected(f"the workbook is {_size(size)}; the limit is {_size(max_bytes)}")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE_SIGNATURE:
        raise FileRejected(
            "this is an old .xls workbook or an encrypted .xlsx; save it as an unencrypted .xlsx"
        )
    if not zipfile.is_zipfile(path):
        raise FileRejected("the file is not an .xlsx workbook (it is not a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_zip_sizes(members, max_unpacked, max_ratio)
            names = {member.filename for member in members}
            if "xl/workbook.xml" not in names:
                raise FileRejected("the zip archive is not an .xlsx workbook (no xl/workbook.xml)")
            workbook_xml = archive.read("xl/workbook.xml")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as fault:
        reason = fault.strerror if isinstance(fault, OSError) and fault.strerror else fault
        raise FileRejected(f"the workbook's zip archive is damaged: {reason}") from None
    return [
        _xml_unescape(name)
        for name in re.findall(rb'<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"', workbook_xml)
    ]


def _check_zip_sizes(members: list[zipfile.ZipInfo], max_unpacked: int, max_ratio: int) -> None:
    if len(members) > MAX_MEMBERS:
        raise FileRejected(f"the workbook holds {len(members)} files; the limit is {MAX_MEMBERS}")
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_unpacked:
        raise FileRejected(
            f"the workbook would unpack to {_size(unpacked)}; the limit is "
            f"{_size(max_unpacked)} (a zip bomb?)"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size >= RATIO_CHECKED_FROM_BYTES and ratio > max_ratio:
            raise FileRejected(
                f"{member.filename} in the workbook expands {ratio:.0f} times; the limit is "
                f"{max_ratio} (a zip bomb?)"
            )


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 1_000_000 else f"{count / 1e3:.0f} kB"


def _xml_unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'")):
        text = text.replace(entity, char)
    return text.replace("&amp;", "&")


@contextmanager
def _quiet_openpyxl():
    """openpyxl warns about workbook features it ignores (data validation, styles): not faults."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        yield


@contextmanager
def open_workbook(path: Path) -> Iterator[openpyxl.Workbook]:
    """The workbook opened for reading, closed again on leaving; a damaged one is refused."""
    with _quiet_openpyxl():
        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as fault:  # noqa: BLE001 — openpyxl raises many kinds on a damaged file
            raise FileRejected(f"the workbook cannot be opened: {_describe(fault)}") from None
        try:
            yield workbook
        finally:
            workbook.close()


def worksheet_rows(workbook: openpyxl.Workbook, sheet: str | None) -> Iterator[Row]:
    """Rows of one sheet (the first when None) as (row number, cell values)."""
    if sheet is not None and sheet not in workbook.sheetnames:
        raise FileRejected(
            f"the workbook has no sheet {sheet!r} (its sheets: {', '.join(workbook.sheetnames)})"
        )
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    # Read every row, not only those inside the size the writing program declared
    # (some declare "A1" for a full sheet, and openpyxl would stop there).
    worksheet.reset_dimensions()
    row_number = 0
    with _quiet_openpyxl():
        try:
            for row_number, cells in enumerate(worksheet.iter_rows(values_only=True), 1):  # noqa: B007
                yield row_number, cells
        except Exception as fault:  # noqa: BLE001 — as above, while the sheet is read
            raise FileRejected(
                f"the sheet is damaged after row {row_number}: {_describe(fault)}"
            ) from None


def _sheet_rows(path: Path, sheet: str | None) -> Iterator[Row]:
    """Rows of one sheet of the workbook at `path` (the first when None)."""
    with open_workbook(path) as workbook:
        rows = worksheet_rows(workbook, sheet)
        try:
            yield from rows
        finally:
            rows.close()


def _describe(fault: Exception) -> str:
    return f"{type(fault).__name__}: {fault}"[:200]


def read_xlsx(path: Path, stream: ParseStream) -> Iterator[Observation]:
    """Observations from the first sheet of a workbook in the Open SDG or long layout.

    Title rows above the header are allowed: the header is the first row that names a layout.
    """
    stream.meta["sheets"] = check_workbook_container(path)
    rows = _sheet_rows(path, None)
    try:
        for row_number, cells in rows:
            names = header_names(cells)
            layout = classify_header(names)
            if layout in ("csv", "opensdg-csv"):
                yield from observations_from_rows((row_number, cells), rows, layout, stream)
                return
            if row_number >= HEADER_SEARCH_ROWS:
                break
        raise FileRejected(
            f"no header row in the first {HEADER_SEARCH_ROWS} rows of the first sheet: "
            f"{expected_header_text()}"
        )
    finally:
        rows.close()
