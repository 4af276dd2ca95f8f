# The stored search vectors of what is already in the database (PostgreSQL only: SQLite's search
# reads the texts). The kinds, fields and weights are those of portal/search.py (SOURCES) as they
# stand at this migration, copied here so that the migration keeps working whatever the code
# becomes; a later change of them is followed by `mineralstrategi manage search_rebuild`.

from django.db import migrations
from django.db.models import Value
from django.utils import translation

BATCH = 500

# kind -> (model, ((field, weight), ...)); related fields as "a__b"
KINDS = {
    "strategy": ("strategy.Strategy", (("title", "A"), ("summary", "C"))),
    "section": ("strategy.Section", (("title", "A"), ("body_markdown", "C"))),
    "news": ("portal.NewsArticle", (("title", "A"), ("lead", "B"), ("body_markdown", "C"))),
    "event": (
        "portal.Event",
        (("title", "A"), ("lead", "B"), ("place", "B"), ("programme_markdown", "C")),
    ),
    "initiative": ("implementation.Initiative", (("title", "A"), ("description", "C"))),
    "indicator": ("indicators.Indicator", (("name", "A"), ("definition", "B"), ("method", "C"))),
    "organisation": ("organisations.Organisation", (("name", "A"), ("description", "C"))),
    "municipality": (
        "organisations.Municipality",
        (("short_name", "A"), ("name", "A"), ("county__name", "B")),
    ),
    "site": (
        "cluster.Site",
        (("name", "A"), ("commodities", "B"), ("operator_name", "B"), ("description", "C")),
    ),
    "answer": (
        "consultation.Answer",
        (("consultee__organisation__name", "A"), ("comment", "C")),
    ),
}


def _value(obj, path):
    for name in path.split("__"):
        obj = getattr(obj, name, None)
        if obj is None:
            return ""
    return str(obj)


def _text(obj, kind, name):
    value = _value(obj, name)
    if (kind, name) != ("site", "commodities"):
        return value
    from mineralstrategi.cluster.models import COMMODITY_WORDS

    codes = [code.strip().lower() for code in value.split(",")]
    with translation.override("sv"):
        return " ".join([value, *(str(COMMODITY_WORDS[c]) for c in codes if c in COMMODITY_WORDS)])


def fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.search import SearchVector

    SearchDocument = apps.get_model("portal", "SearchDocument")

    def document(kind, fields, obj):
        vector = None
        for name, weight in fields:
            part = SearchVector(Value(_text(obj, kind, name)), weight=weight, config="swedish")
            vector = part if vector is None else vector + part
        return SearchDocument(kind=kind, object_id=obj.pk, vector=vector)

    for kind, (label, fields) in KINDS.items():
        related = sorted({name.rsplit("__", 1)[0] for name, _w in fields if "__" in name})
        objects = apps.get_model(label)._default_manager.select_related(*related).order_by("pk")
        batch = []
        for obj in objects.iterator(chunk_size=BATCH):
            batch.append(document(kind, fields, obj))
            if len(batch) == BATCH:
                SearchDocument.objects.bulk_create(batch)
                batch = []
        SearchDocument.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_searchdocument"),
        ("strategy", "0005_working_drafts"),
        ("cluster", "0002_list_query_indexes"),
        ("consultation", "0007_outcome_dispositions"),
        ("implementation", "0003_list_query_indexes"),
        ("indicators", "0009_commodity_as_the_source_describes_it"),
        ("organisations", "0005_apitoken_expiry_scopes"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
