"""The server errors the form fuzzing (test_fuzz_forms.py) found, each kept
as a plain test of the input that caused it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_staff, make_user


@pytest.mark.parametrize("next_url", ["a b", "account", "javascript:alert(1)"])
def test_resending_verification_with_a_next_that_is_no_path_goes_to_the_email_page(
    client, db, next_url
):
    client.force_login(make_user())

    response = client.post("/account/verify/resend/", {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/email/"


def test_a_markdown_upload_without_an_image_is_a_400_with_the_error(
    client, db, settings
):
    settings.ADMIN_REQUIRES_TWO_FACTOR = False
    client.force_login(make_staff())

    response = client.post("/markdownx/upload/", {})

    assert response.status_code == 400
    assert response.json()["image"] == ["This field is required."]


def test_a_markdown_upload_that_is_no_image_is_a_400_for_a_plain_form_post(
    client, db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(make_staff())
    text = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")

    response = client.post("/markdownx/upload/", {"image": text})

    assert response.status_code == 400
    assert response.json() == {"__all__": ["Upload a JPEG, PNG or WebP image."]}
