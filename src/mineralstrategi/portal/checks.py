"""Deployment checks of the portal's legal pages (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_data_controller(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.MINERALSTRATEGI.get("DATA_CONTROLLER"):
        return []
    return [
        checks.Warning(
            "DATA_CONTROLLER is not set: the privacy notice (/om/personuppgifter/) cannot name "
            "who is responsible for the personal data the site keeps.",
            hint="Set DATA_CONTROLLER to the organisation that runs the site, e.g. "
            "“Region Västerbotten”, and PRIVACY_EMAIL to its data protection officer.",
            id="mineralstrategi.W003",
        )
    ]
