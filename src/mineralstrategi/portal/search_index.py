"""The stored search vectors of the site search on PostgreSQL (`SearchDocument`), kept current.

What a kind's vector holds is the rule of `portal/search.py` (`SOURCES`: the fields and their
weights, `field_text` for each field's text); this module only writes it:

- every save of a searched object writes its document, every delete deletes it (post_save,
  post_delete); a save whose `update_fields` name no searched field writes nothing;
- a save of an object whose fields another kind searches through a relation (a county's name in
  its municipalities', an organisation's name in its remiss answers') writes the documents of
  those objects;
- rows written past save() are told by their service with `services.rows_written` (the copies
  of a frozen version's sections, the geography's bulk inserts);
- `documents_rebuild()` writes every document anew: the data generator calls it, and an operator
  after changing a kind's fields (`mineralstrategi manage search_rebuild`).

On SQLite nothing is written: its search reads the fields themselves.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Model, QuerySet, Value
from django.db.models.signals import post_delete, post_save

from mineralstrategi.services import rows_written

from .models import SearchDocument
from .search import CONFIG, SOURCES, Source, field_text

BATCH = 500


def _active() -> bool:
    return connection.vendor == "postgresql"


def vector_of(texts: Iterable[tuple[str, str]]):
    """The expression of a stored vector from (text, weight) pairs, each text weighted as one
    field, as PostgreSQL's to_tsvector would make it from the columns."""
    from django.contrib.postgres.search import SearchVector

    vector = None
    for text, weight in texts:
        part = SearchVector(Value(text), weight=weight, config=CONFIG)
        vector = part if vector is None else vector + part
    return vector


def _related_paths(source: Source) -> list[str]:
    return sorted({name.rsplit("__", 1)[0] for name, _weight in source.fields if "__" in name})


def documents_write(source: Source, objects: Iterable[Model]) -> int:
    """Write (insert or replace) the documents of the objects of one source."""
    documents = [
        SearchDocument(
            kind=source.kind,
            object_id=obj.pk,
            vector=vector_of((field_text(obj, source, name), w) for name, w in source.fields),
        )
        for obj in objects
    ]
    SearchDocument.objects.bulk_create(
        documents,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["vector"],
    )
    return len(documents)


def documents_refresh(source: Source, pks: Iterable[int] | QuerySet | None = None) -> int:
    """Write the documents of the source's objects with these keys (all objects: None), read
    afresh with the relations their fields go through."""
    if not _active():
        return 0
    objects = source.model._default_manager.select_related(*_related_paths(source)).order_by("pk")
    if pks is not None:
        objects = objects.filter(pk__in=pks if isinstance(pks, QuerySet) else list(pks))
    written = 0
    batch = []
    for obj in objects.iterator(chunk_size=BATCH):
        batch.append(obj)
        if len(batch) == BATCH:
            written += documents_write(source, batch)
            batch = []
    return written + documents_write(source, batch)


def documents_rebuild() -> int:
    """Every document anew, those of deleted objects gone."""
    if not _active():
        return 0
    SearchDocument.objects.all().delete()
    return sum(documents_refresh(source) for source in SOURCES)


# --- Keeping them current -----------------------------------------------------------------------


@dataclass(frozen=True)
class Dependency:
    """Objects of `source` whose documents hold fields of `model`, found by `path` from the
    source's model (`consultee__organisation` for an organisation's remiss answers)."""

    source: Source
    path: str
    fields: frozenset[str]  # the fields of `model` that the documents hold


def _first_fields(names: Iterable[str]) -> frozenset[str]:
    return frozenset(name.split("__", 1)[0] for name in names)


@cache
def _dependencies() -> dict[type[Model], list[Dependency]]:
    """For every model that a source reaches through a relation, who depends on it."""
    found = defaultdict(list)
    for source in SOURCES:
        by_path = defaultdict(set)
        for name, _weight in source.fields:
            parts = name.split("__")
            for index in range(1, len(parts)):
                by_path["__".join(parts[:index])].add("__".join(parts[index:]))
        for path, rest in by_path.items():
            model = source.model
            for part in path.split("__"):
                model = model._meta.get_field(part).related_model
            found[model].append(Dependency(source, path, _first_fields(rest)))
    return dict(found)


def _sources_of(model) -> list[Source]:
    return [source for source in SOURCES if source.model is model]


def _touches(update_fields, fields: frozenset[str]) -> bool:
    return update_fields is None or bool(set(update_fields) & fields)


def _saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or not _active():
        return
    for source in _sources_of(sender):
        if _touches(update_fields, _first_fields(name for name, _w in source.fields)):
            documents_write(source, [instance])
    for dependency in _dependencies().get(sender, []):
        if _touches(update_fields, dependency.fields):
            _dependents_refresh(dependency, [instance.pk])


def _deleted(sender, instance, **kwargs):
    if not _active():
        return
    kinds = [source.kind for source in _sources_of(sender)]
    SearchDocument.objects.filter(kind__in=kinds, object_id=instance.pk).delete()


def _written(sender, pks, **kwargs):
    if not _active() or not pks:
        return
    for source in _sources_of(sender):
        documents_refresh(source, pks)
    for dependency in _dependencies().get(sender, []):
        _dependents_refresh(dependency, pks)


def _dependents_refresh(dependency: Dependency, pks: list) -> None:
    model = dependency.source.model
    dependents = model._default_manager.filter(**{f"{dependency.path}__in": pks})
    documents_refresh(dependency.source, dependents.values_list("pk", flat=True))


def connect() -> None:
    """Called once by PortalConfig.ready."""
    models = {source.model for source in SOURCES} | set(_dependencies())
    for model in models:
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-saved-{model._meta.label}")
    for model in {source.model for source in SOURCES}:
        post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"search-deleted-{model._meta.label}"
        )
    rows_written.connect(_written, dispatch_uid="search-rows-written")
