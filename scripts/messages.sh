#!/usr/bin/env bash
# Refresh the Swedish catalogue from the code and templates, then compile it (needs GNU gettext).
# Translate the new empty msgstr entries in src/mineralstrategi/locale/sv/LC_MESSAGES/django.po,
# run this again, and commit both the .po and the .mo.
set -euo pipefail
cd "$(dirname "$0")/../src/mineralstrategi"
export DJANGO_SETTINGS_MODULE=mineralstrategi.config.settings PYTHONPATH=..
django-admin makemessages -l sv --no-obsolete -i "static/*" -i "*/static/*"
django-admin compilemessages
