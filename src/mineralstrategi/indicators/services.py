"""Writes: importing observations and commodity prices from statistics files.

An import is all or nothing per file: the records are written in batches inside one transaction
as they stream from the parser, and the first fault anywhere rolls the whole file back; so does any
other failure (a database error, a killed worker), which leaves a failed job saying why. It is
idempotent: records are matched on their natural key (indicator × place × breakdown × period, or
commodity × month), so the same file twice creates and updates nothing.

A file may hold several contents (SCB's ContentsCode, Kolada's kpi, Open SDG's series): an
indicator takes one, chosen in the preview (`ImportJob.content`); a file with several and none
chosen is refused, naming them. The import keeps a summary of what the file held (`ImportJob.summary`)
and the indicator the labels of its disaggregations, so that every value is shown and named.
"""

import hashlib
import logging
import math
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mineralstrategi import ingest
from mineralstrategi.indicators.faults import fault_dict, fault_english
from mineralstrategi.ingest.dimensions import (
    MAX_KEY_LENGTH,
    breakdown_from_key,
    headline_key,
)
from mineralstrategi.ingest.estimate import estimate_records
from mineralstrategi.ingest.summary import (
    SummaryCollector,
    content_metadata,
    frequency_of,
    summarise,
)
from mineralstrategi.notifications import kinds
from mineralstrategi.notifications import services as notifications
from mineralstrategi.organisations.models import Organisation
from mineralstrategi.services import acting_user, failure_text, require, with_history_user

from .commodities import commodity_fields
from .files import local_path
from .models import (
    Commodity,
    Dimension,
    Direction,
    GeographyLevel,
    ImportJob,
    Indicator,
    IndicatorLink,
    Observation,
    PricePoint,
    Target,
)
from .progress import import_progress_at

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
IMPORTS_FOLDER = "imports"  # of the default storage: the uploaded files
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


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _upsert_observations(
    indicator: Indicator,
    records: list[tuple[ingest.Observation, str]],
    job: ImportJob,
    counts: ImportCounts,
) -> None:
    """Write (record, breakdown key) pairs: create the new, update the changed."""
    keyed = {}
    for record, breakdown in records:
        key = (record.geography_level, record.geography_code, breakdown, record.period)
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
    that the log names every bad row at once. Any other failure (a database error, a bug) rolls
    the file back too and leaves the job failed with the reason, never running.
    """
    counts = ImportCounts()
    stream = ingest.parse(path, job.format or None, display_name=job.file_name)
    collector = SummaryCollector()
    with_history_user(job, job.started_by)  # the worker acts for whoever started the import
    job.status = ImportJob.Status.RUNNING
    job.running_since = timezone.now()
    job.save(update_fields=["status", "running_since"])
    try:
        with transaction.atomic():
            _write(job, stream, collector, counts, progress)
            if job.kind == ImportJob.Kind.OBSERVATIONS and not stream.error_count:
                _check_contents(job, stream, collector)
            if stream.error_count or job.dry_run or counts.rows_read == 0:
                raise ImportAborted
            if job.kind == ImportJob.Kind.OBSERVATIONS:
                indicator_disaggregations_merge(job.indicator, stream.dimensions.as_list())
                indicator_summary_refresh(job.indicator)
                _notify_new_values(job, counts)
    except ImportAborted:
        pass
    except Exception as failure:  # noqa: BLE001 - any failure must end the job, with its reason
        logger.exception("import %s failed", job.pk)
        return _fail(job, stream, collector, failure)
    return _finish(job, stream, counts, collector)


def _notify_new_values(job: ImportJob, counts: ImportCounts) -> None:
    """One notification per import to the indicator's followers, when it brought new or changed
    values (the same file again brings none)."""
    changed = counts.created + counts.updated
    if not changed:
        return
    notifications.notify(
        kinds.INDICATOR_VALUES,
        about=job.indicator,
        actor=job.started_by,
        subjects=[job.indicator],
        params={"indicator": job.indicator.name, "count": changed},
        url=job.indicator.get_absolute_url(),
    )


def _write(job, stream, collector: SummaryCollector, counts: ImportCounts, progress) -> None:
    expected = _expected_record_type(job)
    for batch in _batches(stream, BATCH_SIZE):
        counts.rows_read += len(batch)
        if not stream.error_count and not isinstance(batch[0], expected):
            stream.error(None, None, _wrong_kind_message(job, batch[0]))
        if stream.error_count:
            continue
        if job.kind == ImportJob.Kind.PRICES:
            _upsert_prices(batch, job, counts)
        else:
            wanted = _wanted_observations(job, batch, stream, collector)
            if job.indicator is None and wanted and not stream.error_count:
                job.indicator = _indicator_from_file(job, stream, wanted[0][0])
            if not stream.error_count:
                _upsert_observations(job.indicator, wanted, job, counts)
        if progress:
            progress(counts.rows_read)


def _wanted_observations(
    job: ImportJob, batch: list, stream: ingest.ParseStream, collector: SummaryCollector
) -> list[tuple[ingest.Observation, str]]:
    """The batch's records of the chosen content, each with its breakdown key (every record is
    summed up, so the log says what was left out)."""
    wanted = []
    for record in batch:
        breakdown = collector.add(record)
        if job.content and record.measure != job.content:
            continue
        if len(breakdown) > MAX_KEY_LENGTH:
            stream.error(
                None,
                None,
                f"the breakdown {breakdown[:80]}… is {len(breakdown)} characters long; "
                f"at most {MAX_KEY_LENGTH} can be stored",
            )
            continue
        wanted.append((record, breakdown))
    return wanted


def _check_contents(job: ImportJob, stream, collector: SummaryCollector) -> None:
    """A fault when the chosen content is not in the file, or when the file holds several
    contents and none was chosen (they would overwrite one another)."""
    contents = collector.contents
    if job.content and job.content not in contents:
        stream.error(
            None,
            None,
            f"the file has no content {content_text(job.content)}; it has "
            f"{_contents_listed(contents)}",
        )
    elif not job.content and len(contents) > 1:
        stream.error(
            None,
            None,
            f"the file holds {len(contents)} contents, {_contents_listed(contents)}: choose the "
            "one to import (in the preview, or with --content on the command line)",
        )


def content_text(key: str) -> str:
    """A content's canonical key as a person reads it: "ContentsCode=000007SF"."""
    return ", ".join(f"{d}={c}" for d, c in breakdown_from_key(key).items()) or "(none)"


def _contents_listed(contents: dict) -> str:
    return "; ".join(
        f"{content_text(key)} ({content.records} values)" for key, content in contents.items()
    )


def _indicator_from_file(job: ImportJob, stream, first: ingest.Observation) -> Indicator:
    """Create the job's new indicator from the file's own metadata (label, unit, source, table,
    updated date) and the settings the job carries (code, owner, dimension, direction)."""
    wanted = job.new_indicator or {}
    metadata = content_metadata(stream, job.content or first.measure, job.file_name)
    indicator = Indicator(
        code=wanted["code"],
        name=(wanted.get("name") or metadata["name"])[:200],
        definition=metadata["definition"],
        unit=(wanted.get("unit") or metadata["unit"])[:60],
        dimension=wanted.get("dimension") or Dimension.ECONOMIC,
        desired_direction=wanted.get("desired_direction") or Direction.INCREASE,
        source_organisation=metadata["source"][:200],
        source_table=metadata["table"][:200],
        frequency=frequency_of(first.period),
        source_updated=parse_datetime(metadata["updated"]) if metadata["updated"] else None,
        owner=Organisation.objects.get(pk=wanted["owner"]),
    )
    with_history_user(indicator, job.started_by).save()
    return indicator


def indicator_disaggregations_merge(indicator: Indicator, dimensions: list[dict]) -> None:
    """Add the disaggregations of a file (with their categories' labels) to the indicator's."""
    known = {d["id"]: d for d in indicator.disaggregations}
    for dimension in dimensions:
        if dimension["role"] != "disaggregation":
            continue
        entry = known.setdefault(
            dimension["id"], {"id": dimension["id"], "label": "", "categories": []}
        )
        entry["label"] = dimension["label"] or entry["label"] or dimension["id"]
        if dimension["total"]:
            entry["total"], entry["total_label"] = dimension["total"], dimension["total_label"]
        labels = {c["id"]: c for c in entry["categories"]}
        for category in dimension["categories"]:
            if category["id"] in labels:
                labels[category["id"]]["label"] = category["label"]
            else:
                entry["categories"].append(dict(category))
    indicator.disaggregations = list(known.values())
    Indicator.objects.filter(pk=indicator.pk).update(disaggregations=indicator.disaggregations)


def indicator_summary_refresh(indicator: Indicator) -> None:
    """Store the indicator's count of observations, its first and last period, the last period
    that has a value (what a follow-up's default year comes from), the number of observations of
    each series and the series shown first."""
    rows = Observation.objects.filter(indicator=indicator)
    summary = rows.aggregate(count=Count("id"), first=Min("period"), last=Max("period"))
    last_value = rows.filter(value__isnull=False).aggregate(last=Max("period"))["last"]
    series = dict(rows.order_by().values_list("breakdown").annotate(n=Count("id")))
    disaggregations = Indicator.objects.values_list("disaggregations", flat=True).get(
        pk=indicator.pk
    )
    order = {d["id"]: [c["id"] for c in d["categories"]] for d in disaggregations}
    Indicator.objects.filter(pk=indicator.pk).update(
        observation_count=summary["count"],
        first_period=summary["first"] or "",
        last_period=summary["last"] or "",
        last_value_period=last_value or "",
        series_counts=series,
        headline_breakdown=headline_key(series, order),
    )


def _wrong_kind_message(job: ImportJob, record) -> str:
    if job.kind == ImportJob.Kind.PRICES:
        return "the file holds indicator observations, not commodity prices"
    return "the file holds commodity prices, not indicator observations"


def _finish(
    job: ImportJob, stream: ingest.ParseStream, counts: ImportCounts, collector: SummaryCollector
) -> ImportJob:
    job.format = stream.format
    job.rows_read = counts.rows_read
    job.summary = collector.finish(stream).as_dict() if collector.contents else {}
    job.errors = [error.as_dict() for error in stream.errors]
    if count := stream.unlisted_error_count:
        template = gettext_noop("… and %(count)s more faults")
        job.errors.append(fault_dict(template, f"… and {count} more faults", count=count))
    if counts.rows_read == 0 and not stream.error_count:
        template = gettext_noop("%(file)s: the file holds no records")
        text = f"{job.file_name}: the file holds no records"
        job.errors.append(fault_dict(template, text, file=job.file_name))
    if job.errors:
        job.status = ImportJob.Status.REJECTED
        job.refused = max(stream.error_count, 1)
        job.created = job.updated = job.unchanged = 0
    else:
        job.status = ImportJob.Status.CHECKED if job.dry_run else ImportJob.Status.DONE
        job.created, job.updated, job.unchanged = counts.created, counts.updated, counts.unchanged
    return _saved(job)


def _fail(
    job: ImportJob, stream: ingest.ParseStream, collector: SummaryCollector, failure: Exception
) -> ImportJob:
    """End a job that failed for another reason than a fault of its file: say why."""
    job.format = stream.format if stream.format != "auto" else job.format
    job.status = ImportJob.Status.FAILED
    job.created = job.updated = job.unchanged = 0
    job.summary = collector.finish(stream).as_dict() if collector.contents else {}
    reason = failure_text(failure)
    job.errors = [f"{job.file_name}: the import failed and nothing was written: {reason}"]
    return _saved(job)


def import_file_lost(job: ImportJob) -> ImportJob:
    """End a job whose file is no longer kept (removed, or imported from another server's disk)."""
    job.status = ImportJob.Status.FAILED
    job.errors = [
        f"{job.file_name}: the file is no longer kept; nothing was written. Upload it again."
    ]
    return _saved(job)


def _saved(job: ImportJob) -> ImportJob:
    if job.indicator is not None and not Indicator.objects.filter(pk=job.indicator.pk).exists():
        job.indicator = None  # a new indicator whose import was rolled back does not exist
    job.progress = 100
    job.finished_at = timezone.now()
    job.save()
    return job


# Said of a job whose worker went silent: its task, queued again by the leases of ops.leases,
# may yet run it (`import_stalled`).
STALLED = "the worker stopped during the import"


def import_stalled(job: ImportJob) -> bool:
    """Whether the job was failed by `import_stalled_fail` rather than by its own run: a task
    of it queued again after its worker was lost may still run it, and then it says how it went."""
    return job.status == ImportJob.Status.FAILED and any(
        STALLED in fault_english(error) for error in job.errors
    )


def import_abandon(job_id: int, *, reason: str) -> None:
    """Fail a job whose task failed without finishing it (`services.on_task_failure`): the task
    raised, or every worker that ran it stopped. Its rows were rolled back with it."""
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update()
            .filter(pk=job_id, status__in=[ImportJob.Status.PENDING, ImportJob.Status.RUNNING])
            .first()
        )
        if job is not None:
            job.status = ImportJob.Status.FAILED
            job.created = job.updated = job.unchanged = 0
            job.errors = [f"{job.file_name}: the import failed and nothing was written: {reason}"]
            _saved(with_history_user(job, None))


def import_files_delete(*, older_than) -> int:
    """Delete from the default storage the uploaded files of the imports that finished before
    `older_than` (the job and its log stay). An import from the command line read the
    operator's own file and keeps none. Returns how many files were deleted."""
    jobs = ImportJob.objects.filter(finished_at__lt=older_than).exclude(stored_file="")
    deleted = 0
    for pk, stored_file in jobs.values_list("pk", "stored_file"):
        default_storage.delete(stored_file)
        deleted += 1
        ImportJob.objects.filter(pk=pk).update(stored_file="")
    return deleted


def imports_unconfirmed_end(*, created_before) -> int:
    """End the uploads whose preview was never confirmed, uploaded before `created_before`: the
    file is deleted from the default storage and the job failed with the reason (nothing was
    written). A job confirmed and waiting for the worker is left alone. Returns how many."""
    from django_tasks_db.models import DBTaskResult

    from .tasks import import_file

    waiting = ImportJob.objects.filter(
        status=ImportJob.Status.PENDING, created_at__lt=created_before
    )
    queued = {
        (task.get("args") or [None])[0]
        for task in DBTaskResult.objects.filter(task_path=import_file.module_path)
        .exclude(finished_at__isnull=False)
        .values_list("args_kwargs", flat=True)
    }
    ended = 0
    for job in waiting.exclude(pk__in=[pk for pk in queued if pk is not None]):
        if job.stored_file:
            default_storage.delete(job.stored_file.name)
            job.stored_file = ""
        job.status = ImportJob.Status.FAILED
        job.errors = [
            f"{job.file_name}: the upload was not confirmed in its preview within the days it is "
            "kept, so it was removed; nothing was written. Upload it again."
        ]
        _saved(job)
        ended += 1
    return ended


def import_stalled_fail(job: ImportJob, *, after_seconds: int) -> bool:
    """Mark a job failed whose worker stopped (killed, or its host lost) while it ran: it has
    been running longer than `after_seconds` without a sign of progress. Its transaction was
    rolled back with the worker, so nothing of it was written. Returns whether it was stalled."""
    if job.status != ImportJob.Status.RUNNING or job.running_since is None:
        return False
    last_sign = max(filter(None, [job.running_since, import_progress_at(job.pk)]))
    if (timezone.now() - last_sign).total_seconds() < after_seconds:
        return False
    with transaction.atomic():
        stalled = (
            ImportJob.objects.select_for_update()
            .filter(pk=job.pk, status=ImportJob.Status.RUNNING)
            .first()
        )
        if stalled is not None:
            stalled.status = ImportJob.Status.FAILED
            stalled.errors = [
                f"{job.file_name}: {STALLED} (no progress for "
                f"{after_seconds // 60} minutes); nothing was written. Start the import again."
            ]
            _saved(stalled)  # saved, not updated: the change is audited
    job.refresh_from_db()
    return stalled is not None


def import_store_upload(upload) -> str:
    """Keep an uploaded file in the default storage under imports/ with a name of our own (its
    suffix kept: it helps to tell the format), for the preview and the worker on whichever
    server they run; its name there."""
    name = f"{IMPORTS_FOLDER}/{uuid.uuid4().hex}{Path(upload.name).suffix[:10]}"
    return default_storage.save(name, upload)


def import_create(
    *,
    stored_file: str = "",
    path: Path | None = None,
    file_name: str,
    kind: str,
    indicator: Indicator | None = None,
    new_indicator: dict | None = None,
    content: str = "",
    format: str | None = None,
    dry_run: bool = False,
    user=None,
) -> ImportJob:
    """Record a file to import; `import_run` (directly or as a background task) does the work.

    The file is `stored_file`, its name in the default storage (an upload, `import_store_upload`),
    or `path`, a file on this machine that the caller imports at once (the command line, the
    demo). Observations go into `indicator`, or into one the import creates from the file's
    metadata with `new_indicator` (see `indicator_new_settings`); `content` chooses one content
    of a file that holds several."""
    if kind == ImportJob.Kind.OBSERVATIONS and (indicator is None) == (new_indicator is None):
        raise ValueError("an import of observations needs an indicator or a new indicator")
    if bool(stored_file) == (path is not None):
        raise ValueError("an import needs a stored file or a path, not both")
    with local_path(stored_file) if stored_file else nullcontext(path) as local:
        expected_records, sha256 = _estimate(local, format), file_sha256(local)
    return ImportJob.objects.create(
        expected_records=expected_records,
        kind=kind,
        indicator=indicator,
        new_indicator=new_indicator,
        content=content,
        file_name=file_name,
        stored_file=stored_file,
        sha256=sha256,
        format=format or "",
        dry_run=dry_run,
        started_by=acting_user(user),
    )


def import_confirm(job: ImportJob, *, content: str = "", dry_run: bool = False) -> ImportJob:
    """Record what the person chose in the preview: the content of a file with several, and
    whether to check only. A content that is not a canonical key is refused here; one the file
    does not hold is refused by the import, naming the file's contents."""
    if content:
        try:
            breakdown_from_key(content)
        except ValueError:
            raise ValidationError(f"{content[:80]!r} is not a content of a file") from None
    job.content = content[: ImportJob._meta.get_field("content").max_length]
    job.dry_run = dry_run
    job.save(update_fields=["content", "dry_run"])  # saved, not updated: the change is audited
    return job


def indicator_new_settings(
    *,
    code: str,
    owner: Organisation | None = None,
    name: str = "",
    dimension: str = "",
    desired_direction: str = "",
) -> dict:
    """The settings of an indicator an import is to create, checked; the rest comes from the
    file. Without an owner it is the organisation that is responsible for most indicators (the
    one that runs the follow-up), or the only organisation there is."""
    try:
        validate_slug(code)
    except ValidationError:
        raise ValidationError(
            f"{code!r} is not a code: use letters, digits, hyphens and underscores"
        ) from None
    if len(code) > Indicator._meta.get_field("code").max_length:
        raise ValidationError(f"the code {code!r} is longer than 40 characters")
    if Indicator.objects.filter(code=code).exists():
        raise ValidationError(f"an indicator with the code {code!r} exists already")
    if dimension and dimension not in Dimension.values:
        raise ValidationError(f"{dimension!r} is not one of {', '.join(Dimension.values)}")
    if desired_direction and desired_direction not in Direction.values:
        raise ValidationError(f"{desired_direction!r} is not one of {', '.join(Direction.values)}")
    owner = owner or _default_owner()
    if owner is None:
        raise ValidationError(
            "no organisation is responsible for any indicator yet, so none is chosen for the new "
            "one: name its responsible organisation (owner, by its slug)"
        )
    return {
        "code": code,
        "owner": owner.pk,
        "name": name,
        "dimension": dimension or Dimension.ECONOMIC,
        "desired_direction": desired_direction or Direction.INCREASE,
    }


def _default_owner() -> Organisation | None:
    busiest = (
        Organisation.objects.annotate(n=Count("indicators")).filter(n__gt=0).order_by("-n", "pk")
    )
    if found := busiest.first():
        return found
    only = list(Organisation.objects.all()[:2])
    return only[0] if len(only) == 1 else None


def import_content_find(path: Path, format: str | None, wanted: str) -> str:
    """The content of a file a person names ("ContentsCode=000007SF", "000007SF" or its label),
    as its canonical key; ValidationError listing the file's contents when none matches."""
    stream = ingest.parse(path, format)
    contents = summarise(stream).contents
    pairs = dict(part.partition("=")[::2] for part in wanted.split(",") if "=" in part)
    for content in contents:
        categories = content.categories
        labels = {
            stream.dimensions.by_id[d].categories.get(c, c).casefold()
            for d, c in categories.items()
            if d in stream.dimensions.by_id
        }
        if (pairs and pairs == categories) or wanted in categories.values():
            return content.key
        if wanted.casefold() in labels:
            return content.key
    listed = "; ".join(content_text(c.key) for c in contents) or "none"
    raise ValidationError(f"the file has no content {wanted!r}; its contents: {listed}")


def _estimate(path: Path, format: str | None) -> int | None:
    try:
        return estimate_records(path, format or ingest.detect_format(path))
    except (ingest.FileRejected, OSError):
        return None  # the import's parse says what is wrong with the file


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
    if section.kind not in ("direction", "goal"):
        raise ValidationError("An indicator follows up a direction or a goal, not a %(kind)s.",
                              params={"kind": section.kind})  # fmt: skip
    return IndicatorLink.objects.get_or_create(
        indicator=indicator, strategy=section.version.strategy, section_key=section.key
    )


# --- Targets and baselines, kept in the indicator's pages (issue #22) -------------------------

#: The levels a target is set for: places named in the organisations' geography.
TARGET_LEVELS = (GeographyLevel.NATION, GeographyLevel.COUNTY, GeographyLevel.MUNICIPALITY)
TARGET_YEARS = (1900, 2200)
MAX_YEARS_AVERAGED = 10


@dataclass(frozen=True)
class TargetInput:
    """A target as typed: the place (level and code), the baseline and the target."""

    geo_level: str
    geo_code: str
    baseline_year: int
    baseline_value: float
    target_year: int
    target_value: float
    baseline_years_averaged: int = 1


def target_years_error(baseline_year: int, target_year: int) -> str | None:
    """Why the years do not do, None when the target year comes after the baseline year."""
    if target_year > baseline_year:
        return None
    return _("The target year (%(target)d) must come after the baseline year (%(baseline)d).") % {
        "target": target_year,
        "baseline": baseline_year,
    }


def _target_errors(indicator: Indicator, data: TargetInput, *, exclude_pk=None) -> dict:
    """What is wrong with the target, by field, in words that name the field's value."""
    from .selectors import place_name

    errors: dict[str, str] = {}
    code = (data.geo_code or "").strip()
    if data.geo_level not in TARGET_LEVELS:
        errors["geo_level"] = _("A target is set for the nation, a county or a municipality.")
    elif place_name(data.geo_level, code) is None:
        errors["geo_code"] = {
            GeographyLevel.NATION: _("The nation's code is SE, not “%(code)s”."),
            GeographyLevel.COUNTY: _("There is no county with the code “%(code)s”."),
            GeographyLevel.MUNICIPALITY: _("There is no municipality with the code “%(code)s”."),
        }[data.geo_level] % {"code": code}
    low, high = TARGET_YEARS
    for name, year in (("baseline_year", data.baseline_year), ("target_year", data.target_year)):
        if not low <= year <= high:
            errors[name] = _("The year must be between %(low)d and %(high)d.") % {
                "low": low,
                "high": high,
            }
    years_given = "baseline_year" not in errors and "target_year" not in errors
    if years_given and (message := target_years_error(data.baseline_year, data.target_year)):
        errors["target_year"] = message
    if not 1 <= data.baseline_years_averaged <= MAX_YEARS_AVERAGED:
        errors["baseline_years_averaged"] = _(
            "Average between 1 and %(most)d years for the base."
        ) % {"most": MAX_YEARS_AVERAGED}
    for name, value in (
        ("baseline_value", data.baseline_value),
        ("target_value", data.target_value),
    ):
        if not math.isfinite(value):
            errors[name] = _("Write a number, e.g. 12,5.")
    if not errors.keys() & {"geo_level", "geo_code"}:
        taken = Target.objects.filter(indicator=indicator, geo_level=data.geo_level, geo_code=code)
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        if taken.exists():
            errors["geo_code"] = _(
                "%(place)s already has a target for this indicator: change or remove that one."
            ) % {"place": place_name(data.geo_level, code)}
    return errors


def _target_fields(data: TargetInput) -> dict:
    return {
        "geo_level": data.geo_level,
        "geo_code": data.geo_code.strip(),
        "baseline_year": data.baseline_year,
        "baseline_value": data.baseline_value,
        "baseline_years_averaged": data.baseline_years_averaged,
        "target_year": data.target_year,
        "target_value": data.target_value,
    }


@transaction.atomic
def target_create(indicator: Indicator, *, user, data: TargetInput) -> Target:
    """A new target and baseline for one place of the indicator (one per place), audited."""
    require(user, "indicators.set_targets", indicator)
    if errors := _target_errors(indicator, data):
        raise ValidationError(errors)
    target = Target(indicator=indicator, **_target_fields(data))
    with_history_user(target, user).save()
    return target


@transaction.atomic
def target_update(target: Target, *, user, data: TargetInput) -> Target:
    require(user, "indicators.set_targets", target.indicator)
    if errors := _target_errors(target.indicator, data, exclude_pk=target.pk):
        raise ValidationError(errors)
    for name, value in _target_fields(data).items():
        setattr(target, name, value)
    with_history_user(target, user).save()
    return target


@transaction.atomic
def target_delete(target: Target, *, user) -> None:
    require(user, "indicators.set_targets", target.indicator)
    with_history_user(target, user).delete()


# --- Links to a strategy's directions and goals, by the strategy's editors ------------------------


@transaction.atomic
def indicator_link_create(indicator: Indicator, *, user, section) -> IndicatorLink:
    """Link the indicator to a direction or goal of a strategy's working draft, by the section's
    stable key (so the link holds in every version): the strategy's editors decide."""
    strategy = section.version.strategy
    require(user, "strategy.edit_draft", strategy)
    if section.version.is_frozen:
        raise ValidationError({"section": _("Choose a section of the strategy's working draft.")})
    if section.kind not in ("direction", "goal"):
        raise ValidationError(
            {"section": _("An indicator follows up a direction or a goal, not “%(title)s”.")
             % {"title": section.title}}
        )  # fmt: skip
    if IndicatorLink.objects.filter(
        indicator=indicator, strategy=strategy, section_key=section.key
    ).exists():
        raise ValidationError(
            {
                "section": _("The indicator already follows up “%(title)s”.")
                % {"title": section.title}
            }
        )
    link = IndicatorLink(indicator=indicator, strategy=strategy, section_key=section.key)
    with_history_user(link, user).save()
    return link


@transaction.atomic
def indicator_link_delete(link: IndicatorLink, *, user) -> None:
    require(user, "strategy.edit_draft", link.strategy)
    with_history_user(link, user).delete()
