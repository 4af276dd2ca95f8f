"""Follow-up report PDFs with MEDIA_STORAGE=s3: made by the task into the bucket and streamed
from it to those who may read the strategy's follow-up, and to nobody else. Against a real
S3-protocol server (moto's, started by tests/conftest.py)."""

from django.urls import reverse

from mineralstrategi.organisations.models import Role
from mineralstrategi.reports.models import FollowupReport
from tests.strategy.conftest import make_strategy


def test_a_report_pdf_is_kept_in_the_bucket_and_given_to_the_partnership_only(
    client,
    region_vasterbotten,
    kiruna,
    make_member,
    s3_media,
    settings,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    strategy = make_strategy(region_vasterbotten)  # nothing adopted: its follow-up is not public
    requester = make_member(region_vasterbotten, Role.STRATEGY_EDITOR)
    client.force_login(requester)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:report_request", args=[strategy.slug]), {"year": 2025})
    run_tasks()

    report = FollowupReport.objects.get()
    assert report.status == FollowupReport.Status.DONE, report.error
    assert s3_media.names() == [f"reports/{report.token.hex}.pdf"] == [report.stored_file.name]
    assert not settings.MEDIA_ROOT.exists()  # nothing on this server's disk
    url = reverse("reports:download", args=[report.token])
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    pdf = b"".join(download.streaming_content)
    assert pdf.startswith(b"%PDF") and pdf == s3_media.read(report.stored_file.name)

    client.force_login(make_member(kiruna, Role.STRATEGY_EDITOR, username="outsider"))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).url.startswith(reverse("login"))
