from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "mineralstrategi.consultation"
    verbose_name = _("Consultation")

    def ready(self):
        # Adoption asks whether a version has been through a compiled consultation; the strategy
        # app below this one learns it from the reader registered here.
        from mineralstrategi.strategy.selectors import CHANGE_SOURCE_READERS
        from mineralstrategi.strategy.services import REMISS_READERS

        from .selectors import applied_proposals, rounds_for_adoption

        if rounds_for_adoption not in REMISS_READERS:
            REMISS_READERS.append(rounds_for_adoption)
        # The section history and the version comparison tell which changes came from a
        # consultee's proposed wording.
        if applied_proposals not in CHANGE_SOURCE_READERS:
            CHANGE_SOURCE_READERS.append(applied_proposals)
