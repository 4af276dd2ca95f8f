from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "mineralstrategi.consultation"
    verbose_name = _("Consultation")

    def ready(self):
        # Adoption asks whether a version has been through a compiled consultation; the strategy
        # app below this one learns it from the reader registered here.
        from mineralstrategi.organisations import profiles
        from mineralstrategi.strategy.selectors import CHANGE_SOURCE_READERS
        from mineralstrategi.strategy.services import REMISS_READERS

        from .selectors import (
            applied_proposals,
            municipality_answers,
            organisation_answers,
            rounds_for_adoption,
        )

        if rounds_for_adoption not in REMISS_READERS:
            REMISS_READERS.append(rounds_for_adoption)
        # The section history and the version comparison tell which changes came from a
        # consultee's proposed wording.
        if applied_proposals not in CHANGE_SOURCE_READERS:
            CHANGE_SOURCE_READERS.append(applied_proposals)
        # The pages of organisations and municipalities list their consultation answers.
        template = "consultation/_profile_answers.html"
        profiles.register("organisation", template, organisation_answers)
        profiles.register("municipality", template, municipality_answers)
