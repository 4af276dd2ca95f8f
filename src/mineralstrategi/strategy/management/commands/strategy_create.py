"""`mineralstrategi manage strategy_create --name NAME --county CODE [--county CODE …] --lead
ORGANISATION_SLUG --period 2026-2035`: set up a strategy with its working draft, through the same
service as the pages and the API. The command line acts for the platform (no user); the new
strategy's slug is the last line printed."""

import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mineralstrategi.strategy import services

#: The service's field names as this command's options.
OPTIONS = {
    "title": "name",
    "start_year": "period",
    "end_year": "period",
    "counties": "county",
    "partnership": "partner",
}
PERIOD = re.compile(r"^\s*(\d{4})\s*[-–]\s*(\d{4})\s*$")


def period_years(text: str) -> tuple[int, int]:
    match = PERIOD.match(text)
    if not match:
        raise CommandError(f"--period: {text!r} is not a period like 2026-2035")
    return int(match.group(1)), int(match.group(2))


class Command(BaseCommand):
    help = "Set up a strategy (with its working draft); prints its slug on the last line."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The strategy's name")
        parser.add_argument(
            "--county", action="append", required=True, help="A county code it covers (repeat)"
        )
        parser.add_argument("--lead", required=True, help="The lead organisation's slug")
        parser.add_argument(
            "--partner", action="append", default=[], help="A further partner's slug (repeat)"
        )
        parser.add_argument("--period", required=True, help="First and last year, e.g. 2026-2035")
        parser.add_argument("--slug", default="", help="Its address (default: from the name)")
        start = parser.add_mutually_exclusive_group()
        start.add_argument("--copy-from", default="", help="Copy this strategy's sections (slug)")
        start.add_argument("--outline", type=Path, help="A Markdown or DOCX outline to import")
        parser.add_argument(
            "--copy-texts", action="store_true", help="With --copy-from: the texts too"
        )

    def handle(self, *args, **options):
        start_year, end_year = period_years(options["period"])
        try:
            references = services.setup_references(
                county_codes=options["county"],
                lead_slug=options["lead"],
                partner_slugs=options["partner"],
                copy_from_slug=options["copy_from"],
            )
            outline = None
            if options["outline"] is not None:
                path = options["outline"]
                outline = services.outline_read(path.name, path.read_bytes())
            strategy = services.strategy_create(
                title=options["name"],
                slug=options["slug"],
                start_year=start_year,
                end_year=end_year,
                copy_texts=options["copy_texts"],
                outline=outline,
                **references,
            )
        except ValidationError as error:
            raise CommandError(
                "; ".join(
                    f"--{OPTIONS.get(field, field).replace('_', '-')}: {' '.join(messages)}"
                    for field, messages in error.message_dict.items()
                )
            ) from None
        except OSError as error:
            raise CommandError(f"--outline: {error}") from None
        sections = services.strategy_draft(strategy).sections.count()
        self.stdout.write(
            f"Strategy “{strategy.title}” set up with its working draft ({sections} sections)."
        )
        self.stdout.write(strategy.slug)
