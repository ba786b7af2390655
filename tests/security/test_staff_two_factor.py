"""Staff privileges outside the admin follow the admin's rule: with
ADMIN_REQUIRES_TWO_FACTOR, a staff member without two-factor authentication
is treated like anyone else."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from specialists.models import Specialist
from tests.factories import (
    jpeg_bytes,
    make_article,
    make_specialist,
    make_staff,
    make_user,
)

AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def two_factor_required(db, settings, tmp_path):
    settings.ADMIN_REQUIRES_TWO_FACTOR = True
    settings.MEDIA_ROOT = tmp_path


def staff_with_two_factor():
    staff = make_staff()
    TOTP.activate(staff, generate_totp_secret())
    return staff


def upload(client):
    image = SimpleUploadedFile("photo.jpg", jpeg_bytes(), content_type="image/jpeg")
    return client.post("/markdownx/upload/", {"image": image}, **AJAX)


def test_staff_without_two_factor_get_404_for_an_unpublished_profile(
    client, two_factor_required
):
    make_specialist(slug="not-yet", status=Specialist.Status.PENDING)
    client.force_login(make_staff())

    assert client.get("/specialists/not-yet/").status_code == 404


def test_staff_with_two_factor_see_an_unpublished_profile(client, two_factor_required):
    make_specialist(slug="not-yet", status=Specialist.Status.PENDING)
    client.force_login(staff_with_two_factor())

    response = client.get("/specialists/not-yet/")

    assert response.status_code == 200
    assert "Preview: this page is not public" in response.content.decode()


def test_staff_without_two_factor_get_404_for_a_draft_article(
    client, two_factor_required
):
    make_article(slug="draft", status=Article.Status.DRAFT, published_at=None)
    client.force_login(make_staff())

    assert client.get("/articles/draft/").status_code == 404


def test_staff_with_two_factor_see_a_draft_article(client, two_factor_required):
    make_article(slug="draft", status=Article.Status.DRAFT, published_at=None)
    client.force_login(staff_with_two_factor())

    assert client.get("/articles/draft/").status_code == 200


def test_staff_without_two_factor_cannot_upload_images(
    client, two_factor_required, tmp_path
):
    client.force_login(make_staff())

    assert upload(client).status_code == 403
    assert not any(tmp_path.rglob("*.*"))


def test_staff_with_two_factor_can_upload_images(client, two_factor_required):
    client.force_login(staff_with_two_factor())

    assert upload(client).status_code == 200


def test_staff_without_two_factor_and_unverified_email_cannot_preview(
    client, two_factor_required
):
    # A staff account from before verification was mandatory.
    client.force_login(make_user(is_staff=True))

    response = client.post("/markdownx/markdownify/", {"content": "**hi**"})

    assert response.status_code == 403


def test_staff_with_two_factor_can_preview(client, two_factor_required):
    client.force_login(staff_with_two_factor())

    response = client.post("/markdownx/markdownify/", {"content": "**hi**"})

    assert response.status_code == 200
    assert "<strong>hi</strong>" in response.content.decode()
