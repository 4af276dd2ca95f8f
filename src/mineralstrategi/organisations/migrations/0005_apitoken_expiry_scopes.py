"""API keys get an expiry date, scopes and the address they were last used from. Existing keys
keep every scope and work for a year from their creation, and at least 30 days from now (a key
older than that would otherwise stop at once): no integration breaks before its holder has seen
the date on the keys page and renewed the key or made a narrower one."""

import datetime

import django.utils.timezone
from django.db import migrations, models

import mineralstrategi.organisations.models

ALL_SCOPES = ["read", "import", "write"]


def existing_keys_valid_a_year(apps, schema_editor):
    ApiToken = apps.get_model("organisations", "ApiToken")
    now = django.utils.timezone.now()
    keys = list(ApiToken.objects.all())
    for key in keys:
        a_year = (key.created_at or now) + datetime.timedelta(days=365)
        key.expires_at = max(a_year, now + datetime.timedelta(days=30))
        key.scopes = ALL_SCOPES
    ApiToken.objects.bulk_update(keys, ["expires_at", "scopes"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0004_invitations_audited_memberships"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="scopes",
            field=models.JSONField(default=list, verbose_name="scopes"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="last_used_from",
            field=models.GenericIPAddressField(
                blank=True, null=True, verbose_name="last used from"
            ),
        ),
        migrations.RunPython(existing_keys_valid_a_year, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(
                default=mineralstrategi.organisations.models.api_key_default_expiry,
                verbose_name="expires",
            ),
        ),
    ]
