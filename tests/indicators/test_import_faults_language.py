"""The faults an import finds are shown in the reader's language, translated when read."""

import re

from django.urls import reverse
from django.utils import timezone, translation

from mineralstrategi.indicators.faults import fault_english, fault_text
from mineralstrategi.indicators.models import ImportJob, Observation

ENGLISH = re.compile(r"\b(row|rows|field|is not a number|is not a Swedish|the same fault)\b")


def _faults(page) -> str:
    return page.select_one(".form-errors").get_text(" ", strip=True)


def test_a_refused_import_shows_its_faults_in_swedish_and_under_en_in_english(
    client, employment, editor, write_csv, soup, django_capture_on_commit_callbacks, run_tasks
):
    client.force_login(editor)
    rows = [["25", 2020, 100], ["25", 2021, "många"], ["9999", 2021, 5], ["25", 2022, "många"]]
    with write_csv(rows).open("rb") as handle:
        preview_url = client.post(
            reverse("indicators:import"), {"file": handle, "target": employment.code, "format": ""}
        ).url
    job = ImportJob.objects.get()

    preview = _faults(soup(client.get(preview_url)))
    assert "rad 3, fält 'value': 'många' är inte ett tal" in preview
    assert "'9999' är inte en svensk geografikod" in preview
    assert not ENGLISH.search(preview), preview

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("indicators:import_confirm", args=[job.pk]))
    run_tasks()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REJECTED and not Observation.objects.exists()

    swedish = _faults(soup(client.get(reverse("indicators:import_detail", args=[job.pk]))))
    assert "rad 3, fält 'value': 'många' är inte ett tal" in swedish
    assert "samma fel på ytterligare rader (antal: 1, rad 5): 'många' är inte ett tal" in swedish
    assert not ENGLISH.search(swedish), swedish

    with translation.override("en"):
        english_url = reverse("indicators:import_detail", args=[job.pk])
    assert english_url.startswith("/en/")
    english = _faults(soup(client.get(english_url)))
    assert "row 3, field 'value': 'många' is not a number" in english
    assert "the same fault in 1 more rows (row 5): 'många' is not a number" in english

    # The command line and the API keep the English words, whatever the language.
    with translation.override("sv"):
        assert any("row 3, field 'value': 'många' is not a number" in e for e in job.errors_english)


def test_a_fault_stored_as_plain_text_before_still_shows_as_it_is(client, employment, editor, soup):
    client.force_login(editor)
    old = "data.csv, row 3, field 'value': 'x' is not a number"
    job = ImportJob.objects.create(
        file_name="data.csv", indicator=employment, status=ImportJob.Status.REJECTED,
        errors=[old], started_by=editor, finished_at=timezone.now(),
    )  # fmt: skip
    assert old in _faults(soup(client.get(reverse("indicators:import_detail", args=[job.pk]))))
    assert fault_text(old) == fault_english(old) == old


def test_a_translation_that_does_not_fit_its_parameters_falls_back_to_the_english():
    fault = {"file": "f.csv", "row": 2, "field": None, "template": "%(value)s is not a number",
             "params": {"wrong": 1}, "text": "f.csv, row 2: 'x' is not a number"}  # fmt: skip
    with translation.override("sv"):
        assert fault_text(fault) == "f.csv, row 2: 'x' is not a number"
