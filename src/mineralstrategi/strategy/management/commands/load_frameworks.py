from django.core.management.base import BaseCommand

from mineralstrategi.strategy.services import frameworks_load


class Command(BaseCommand):
    help = "Load the reference frameworks (UN SDGs and the example frameworks). Idempotent."

    def handle(self, *args, **options):
        result = frameworks_load()
        self.stdout.write(
            f"Frameworks created: {result.frameworks_created}; items created: "
            f"{result.items_created}, updated: {result.items_updated}."
        )
