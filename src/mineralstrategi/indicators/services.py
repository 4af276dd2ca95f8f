"""Writes: importing observations and commodity prices from statistics files.

An import is all or nothing per file: the records are written in batches inside one transaction
as they stream from the parser, and the first fault anywhere rolls the whole file back. It is
idempotent: records are matched on their natural key (indicator × place × breakdown × period, or
commodity × month), so the same file twice creates and updates nothing.
"""

import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from mineralstrategi import ingest
from mineralstrategi.ingest.estimate import estimate_records

from .commodities import commodity_fields
from .models import Commodity, ImportJob, Indicator, Observation, PricePoint

BATCH_SIZE = 5000
ProgressCallback = Callable[[int], None]  # called with the number of records read so far


class ImportAborted(Exception):
    """Raised inside the import transaction to roll it back."""


@dataclass
class ImportCounts:
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    errors: list[str] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def breakdown_key(dimensions: dict[str, str]) -> str:
    """The other breakdowns of a record as one stable string; the totals get ''.

    A dimension whose value is a total ("T" for both sexes in Kolada, "Total") is left out,
    so the total of any source lands on the same row.
    """
    parts = [
        f"{key}={value}"
        for key, value in sorted(dimensions.items())
        if value not in {"T", "Total", "total", "Totalt", "_T"}
    ]
    return ";".join(parts)[:200]


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _upsert_observations(
    indicator: Indicator, records: list[ingest.Observation], job: ImportJob, counts: ImportCounts
) -> None:
    keyed = {}
    for record in records:
        key = (
            record.geography_level,
            record.geography_code,
            breakdown_key(record.dimensions),
            record.period,
        )
        keyed[key] = record  # a later row for the same key wins, as in the file
    existing = {
        (o.geo_level, o.geo_code, o.breakdown, o.period): o
        for o in Observation.objects.filter(
            indicator=indicator,
            geo_code__in={key[1] for key in keyed},
            period__in={key[3] for key in keyed},
        ).only("id", "geo_level", "geo_code", "breakdown", "period", "value", "provisional", "estimated")
    }  # fmt: skip
    to_create, to_update = [], []
    for key, record in keyed.items():
        wanted = (record.value, record.provisional, record.estimated)
        current = existing.get(key)
        if current is None:
            to_create.append(
                Observation(
                    indicator=indicator,
                    geo_level=key[0],
                    geo_code=key[1],
                    breakdown=key[2],
                    period=key[3],
                    value=record.value,
                    provisional=record.provisional,
                    estimated=record.estimated,
                    import_job=job,
                )
            )
        elif (current.value, current.provisional, current.estimated) != wanted:
            current.value, current.provisional, current.estimated = wanted
            current.import_job = job
            to_update.append(current)
        else:
            counts.unchanged += 1
    Observation.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Observation.objects.bulk_update(
        to_update, ["value", "provisional", "estimated", "import_job"], batch_size=BATCH_SIZE
    )
    counts.created += len(to_create)
    counts.updated += len(to_update)


def _commodities_for(records: list[ingest.PricePoint]) -> dict[str, Commodity]:
    """The records' commodities, created as their file describes them; a file that describes
    its series (the World Bank's workbook) also brings stored ones up to date with it."""
    series = {r.commodity: r.series for r in records}
    commodities = {c.code: c for c in Commodity.objects.filter(code__in=series)}
    for code, one in series.items():
        wanted = commodity_fields(one)
        current = commodities.get(code)
        if current is None:
            commodities[code] = Commodity.objects.create(code=code, **wanted)
        elif one.described and any(getattr(current, k) != v for k, v in wanted.items()):
            for key, value in wanted.items():
                setattr(current, key, value)
            current.save(update_fields=list(wanted))
    return commodities


def _upsert_prices(records: list[ingest.PricePoint], job: ImportJob, counts: ImportCounts) -> None:
    commodities = _commodities_for(records)
    keyed = {(r.commodity, r.month): r for r in records}
    existing = {
        (p.commodity.code, p.month): p
        for p in PricePoint.objects.filter(
            commodity__in=commodities.values(), month__in={key[1] for key in keyed}
        ).select_related("commodity")
    }
    to_create, to_update = [], []
    for key, record in keyed.items():
        current = existing.get(key)
        if current is None:
            to_create.append(
                PricePoint(
                    commodity_id=commodities[key[0]].pk,
                    month=key[1],
                    value=record.value,
                    import_job=job,
                )
            )
        elif current.value != record.value:
            current.value, current.import_job = record.value, job
            to_update.append(current)
        else:
            counts.unchanged += 1
    PricePoint.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    PricePoint.objects.bulk_update(to_update, ["value", "import_job"], batch_size=BATCH_SIZE)
    counts.created += len(to_create)
    counts.updated += len(to_update)


def _expected_record_type(job: ImportJob):
    return ingest.PricePoint if job.kind == ImportJob.Kind.PRICES else ingest.Observation


def import_run(
    job: ImportJob, path: Path, *, progress: ProgressCallback | None = None
) -> ImportJob:
    """Parse the job's file and write it, all or nothing. Returns the job with its log filled in.

    After the first fault nothing more is written, but the rest of the file is still read so
    that the log names every bad row at once.
    """
    counts = ImportCounts()
    stream = ingest.parse(path, job.format or None, display_name=job.file_name)
    expected = _expected_record_type(job)
    job._history_user = job.started_by  # the worker acts for whoever started the import
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])
    try:
        with transaction.atomic():
            for batch in _batches(stream, BATCH_SIZE):
                counts.rows_read += len(batch)
                if not stream.error_count and not isinstance(batch[0], expected):
                    stream.error(None, None, _wrong_kind_message(job, batch[0]))
                if stream.error_count:
                    continue
                if job.kind == ImportJob.Kind.PRICES:
                    _upsert_prices(batch, job, counts)
                else:
                    _upsert_observations(job.indicator, batch, job, counts)
                if progress:
                    progress(counts.rows_read)
            if stream.error_count or job.dry_run or counts.rows_read == 0:
                raise ImportAborted
            if job.kind == ImportJob.Kind.OBSERVATIONS:
                indicator_summary_refresh(job.indicator)
    except ImportAborted:
        pass
    return _finish(job, stream, counts)


def indicator_summary_refresh(indicator: Indicator) -> None:
    """Store the indicator's count of observations, its first and last period, and the last
    period that has a value (what a follow-up's default year comes from)."""
    rows = Observation.objects.filter(indicator=indicator)
    summary = rows.aggregate(count=Count("id"), first=Min("period"), last=Max("period"))
    last_value = rows.filter(value__isnull=False).aggregate(last=Max("period"))["last"]
    Indicator.objects.filter(pk=indicator.pk).update(
        observation_count=summary["count"],
        first_period=summary["first"] or "",
        last_period=summary["last"] or "",
        last_value_period=last_value or "",
    )


def _wrong_kind_message(job: ImportJob, record) -> str:
    if job.kind == ImportJob.Kind.PRICES:
        return "the file holds indicator observations, not commodity prices"
    return "the file holds commodity prices, not indicator observations"


def _finish(job: ImportJob, stream: ingest.ParseStream, counts: ImportCounts) -> ImportJob:
    job.format = stream.format
    job.rows_read = counts.rows_read
    job.errors = [str(error) for error in stream.errors]
    if stream.unlisted_error_count:
        job.errors.append(f"… and {stream.unlisted_error_count} more faults")
    if counts.rows_read == 0 and not stream.error_count:
        job.errors.append(f"{job.file_name}: the file holds no records")
    if job.errors:
        job.status = ImportJob.Status.REJECTED
        job.refused = max(stream.error_count, 1)
        job.created = job.updated = job.unchanged = 0
    else:
        job.status = ImportJob.Status.CHECKED if job.dry_run else ImportJob.Status.DONE
        job.created, job.updated, job.unchanged = counts.created, counts.updated, counts.unchanged
    job.progress = 100
    job.finished_at = timezone.now()
    job.save()
    return job


def import_store_upload(upload) -> Path:
    """Keep an uploaded file under MEDIA_ROOT/imports with a name of our own, for the worker."""
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{Path(upload.name).suffix[:10]}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


def import_create(
    *,
    path: Path,
    file_name: str,
    kind: str,
    indicator: Indicator | None = None,
    format: str | None = None,
    dry_run: bool = False,
    user=None,
) -> ImportJob:
    """Record a file to import; `import_run` (directly or as a background task) does the work."""
    if kind == ImportJob.Kind.OBSERVATIONS and indicator is None:
        raise ValueError("an import of observations needs an indicator")
    return ImportJob.objects.create(
        expected_records=_estimate(path, format),
        kind=kind,
        indicator=indicator,
        file_name=file_name,
        stored_file=str(path),
        sha256=file_sha256(path),
        format=format or "",
        dry_run=dry_run,
        started_by=user if user is not None and user.is_authenticated else None,
    )


def _estimate(path: Path, format: str | None) -> int | None:
    try:
        return estimate_records(path, format or ingest.detect_format(path))
    except ingest.FileRejected:
        return None


def previous_import_of_same_file(job: ImportJob) -> ImportJob | None:
    return (
        ImportJob.objects.filter(
            sha256=job.sha256, indicator=job.indicator, kind=job.kind, status=ImportJob.Status.DONE
        )
        .exclude(pk=job.pk)
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def indicator_link_add(*, indicator: Indicator, section) -> tuple:
    """Link the indicator to a strategy section (a direction or goal) by the section's stable key,
    so the link holds in every version of the strategy. Linking twice changes nothing."""
    from django.core.exceptions import ValidationError

    from .models import IndicatorLink

    if section.kind not in ("direction", "goal"):
        raise ValidationError("An indicator follows up a direction or a goal, not a %(kind)s.",
                              params={"kind": section.kind})  # fmt: skip
    return IndicatorLink.objects.get_or_create(
        indicator=indicator, strategy=section.version.strategy, section_key=section.key
    )
