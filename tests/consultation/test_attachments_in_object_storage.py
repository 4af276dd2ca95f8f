"""Attachments with MEDIA_STORAGE=s3: uploaded with a draft answer into the bucket, and streamed
from it only to those who may read the draft. Against a real S3-protocol server (moto's, started
by tests/conftest.py)."""

from django.urls import reverse

from mineralstrategi.consultation.models import Attachment

from .conftest import pdf_file
from .test_views import answer_url, form_data


def test_an_attachment_is_kept_in_the_bucket_and_given_to_its_organisation_only(
    client, skelleftea_consultee, officer, kiruna_officer, sections, s3_media, settings
):
    client.force_login(officer)
    uploaded = pdf_file("yttrande.pdf")
    client.post(
        answer_url(skelleftea_consultee), form_data(sections, action="save", attachment=uploaded)
    )

    attachment = Attachment.objects.get()
    assert s3_media.names() == [attachment.file.name]
    assert attachment.file.name.startswith(f"consultation/{skelleftea_consultee.round_id}/")
    assert not settings.MEDIA_ROOT.exists()  # nothing on this server's disk
    url = reverse(
        "consultation:attachment",
        kwargs={"pk": skelleftea_consultee.round_id, "attachment": attachment.pk},
    )
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    pdf = b"".join(download.streaming_content)
    assert pdf.startswith(b"%PDF") and pdf == s3_media.read(attachment.file.name)

    client.force_login(kiruna_officer)  # another consultee's officer: the draft is not theirs
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).url.startswith(reverse("login"))
