"""An article's image is served to whoever may read the article, and to nobody else."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from mineralstrategi.portal import services


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "#08519c").save(buffer, "PNG")
    return SimpleUploadedFile("gruva.png", buffer.getvalue(), content_type="image/png")


def test_a_published_articles_image_is_shown_and_served(client, editor, settings, tmp_path, soup):
    settings.MEDIA_ROOT = tmp_path
    article = services.article_save(
        user=editor, title="Ny testbädd", status="published",
        published_at=timezone.now() - timedelta(hours=1), image=png(), image_alt="Ett gruvschakt",
    )  # fmt: skip

    image = soup(client.get(article.get_absolute_url())).select_one(".article-image img")
    assert image["alt"] == "Ett gruvschakt"
    response = client.get(image["src"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    response.close()


def test_a_drafts_image_is_not_served_to_the_public(client, editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = services.article_save(
        user=editor, title="Utkast med bild", image=png(), image_alt="Ett gruvschakt"
    )

    assert client.get(f"/nyheter/{draft.slug}/bild/").status_code == 404
    client.force_login(editor)
    response = client.get(f"/nyheter/{draft.slug}/bild/")
    assert response.status_code == 200
    response.close()
