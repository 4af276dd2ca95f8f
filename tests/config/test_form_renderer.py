"""The form renderer (issue #19): Django's Jinja2 templates of its widgets where it has them,
its Django templates for the rest (the admin's widgets), writing the same HTML."""

import re

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.jinja2 import Template as JinjaTemplate

from mineralstrategi.config.form_renderer import JinjaFirstRenderer


class Sample(forms.Form):
    stance = forms.ChoiceField(
        choices=[("", "—"), ("support", "Tillstyrker"), ("object", "Avstyrker")]
    )
    comment = forms.CharField(widget=forms.Textarea, required=False, max_length=4000)
    attachment = forms.FileField(required=False)
    agreed = forms.BooleanField(required=False)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)


def spaced_out(html: str) -> str:
    """The HTML with the white space between tags taken out (the two engines differ there)."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def test_the_site_renders_widgets_from_jinja2_templates():
    renderer = get_default_renderer()

    assert isinstance(renderer, JinjaFirstRenderer)
    assert isinstance(renderer.get_template("django/forms/widgets/select.html"), JinjaTemplate)


def test_widgets_without_a_jinja2_template_are_rendered_as_before():
    renderer = get_default_renderer()
    template = renderer.get_template(AdminSplitDateTime.template_name)

    assert isinstance(template, DjangoTemplate)


def test_the_html_is_the_same_as_the_template_engines():
    data = {"stance": "object", "comment": "<b>För</b> & emot", "when": "2026-12-07"}
    for bound in (None, data):
        ours = Sample(bound)
        django = Sample(bound, renderer=DjangoTemplates())
        assert isinstance(ours.renderer, JinjaFirstRenderer)
        assert spaced_out(ours.render()) == spaced_out(django.render())
    assert "&lt;b&gt;För&lt;/b&gt; &amp; emot" in Sample(data).render()
