"""Every strategy has its working draft: those saved in the admin before it made one get theirs
(their draft page answered 404 and their implementation pages failed without it)."""

from django.db import migrations


def add_missing_drafts(apps, schema_editor):
    Strategy = apps.get_model("strategy", "Strategy")
    StrategyVersion = apps.get_model("strategy", "StrategyVersion")
    with_draft = StrategyVersion.objects.filter(number__isnull=True).values("strategy_id")
    without = Strategy.objects.exclude(pk__in=with_draft)
    StrategyVersion.objects.bulk_create(StrategyVersion(strategy=s) for s in without)


class Migration(migrations.Migration):
    dependencies = [("strategy", "0004_strategy_lead")]

    operations = [migrations.RunPython(add_missing_drafts, migrations.RunPython.noop)]
