"""The form renderer (settings.FORM_RENDERER): Django's Jinja2 templates of its widgets where
Django ships them, its Django templates for the rest.

A widget rendered by the template engine cost about a third of a form page's CPU (a 25-section
answer form renders 75 of them; issue #19, benchmarks/RESULTS.md); Django's Jinja2 twins of the
same templates write the same HTML at about half the cost. Apps' own widgets (the admin's, with
templates under `templates/` only) have no twin and are rendered as before.
"""

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class JinjaFirstRenderer(BaseRenderer):
    def __init__(self):
        self.fast = Jinja2()
        self.fallback = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return self.fast.get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
