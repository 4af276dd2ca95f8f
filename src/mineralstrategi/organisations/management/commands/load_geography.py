from django.core.management.base import BaseCommand

from mineralstrategi.organisations.services import geography_load


class Command(BaseCommand):
    help = "Create or update the 21 counties and 290 municipalities (idempotent)."

    def handle(self, *args, **options):
        result = geography_load()
        self.stdout.write(
            f"Counties: {result.counties_created} created, {result.counties_updated} updated. "
            f"Municipalities: {result.municipalities_created} created, "
            f"{result.municipalities_updated} updated. "
            f"Municipal organisations created: {result.organisations_created}, "
            f"renamed: {result.organisations_renamed}."
        )
