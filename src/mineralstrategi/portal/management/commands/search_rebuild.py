from django.core.management.base import BaseCommand
from django.db import connection, transaction

from mineralstrategi.portal.search_index import documents_rebuild


class Command(BaseCommand):
    help = (
        "Write every stored search vector of the site search anew (PostgreSQL; on SQLite the "
        "search reads the texts and nothing is stored). Needed after a change of what a kind "
        "of content is searched by (portal/search.py, SOURCES)."
    )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Nothing to do: only PostgreSQL stores search vectors.")
            return
        with transaction.atomic():
            written = documents_rebuild()
        self.stdout.write(f"Search documents written: {written}.")
