"""What a caption of figures drawn from the approved initiatives must say, read from the database
independently of the selectors, for the caption tests of the site map and the roll-up."""

from django.db.models import Max, Min
from django.utils import timezone

from mineralstrategi.implementation.models import ProgressUpdate


def expected_as_of_and_period(initiatives) -> tuple[str, str]:
    """("YYYY-MM-DD" of the latest report or change, "first–last" years) of the initiatives."""
    approved = initiatives.filter(approved_at__isnull=False)
    changed = timezone.localdate(approved.aggregate(m=Max("updated_at"))["m"])
    reported = ProgressUpdate.objects.filter(initiative__in=approved).aggregate(m=Max("date"))["m"]
    as_of = max(d for d in (changed, reported) if d is not None)
    years = approved.aggregate(first=Min("start_date"), last=Max("end_date"))
    return as_of.isoformat(), f"{years['first'].year}–{years['last'].year}"


def caption_text(element) -> str:
    return " ".join(element.get_text(" ").split())
