"""Ids that are not numbers, or that a database cannot hold (beyond 64 bits),
are an invalid choice or a 404, never a 500."""

import pytest

from core.models import Topic
from specialists.models import Specialist
from tests.factories import (
    make_article,
    make_specialist,
    make_staff,
    make_verified_user,
)
from tests.html import parse_html

HUGE_ID = "1" * 24  # > 2**63


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_24_digit_topic_id_on_the_profile_form_is_an_invalid_choice(client, db):
    client.force_login(make_verified_user())

    response = client.post(
        "/specialists/new/",
        {
            "display_name": "Dr Rowan Example",
            "headline": "Clinical psychologist",
            "offers_video": "on",
            "video_link": "https://meet.example.org/rowan",
            "time_zone": "Europe/Berlin",
            "topics": [HUGE_ID],
            "languages": ["-" + HUGE_ID],
        },
    )

    assert response.status_code == 200
    page = parse_html(response.content)
    errors = " ".join(ul.text for ul in page.find_all("ul", class_="errorlist"))
    assert f"Select a valid choice. {HUGE_ID} is not one of the available" in errors
    assert not Specialist.objects.exists()


def test_a_24_digit_topic_id_in_the_article_admin_is_an_invalid_choice(client, db):
    client.force_login(make_staff(is_superuser=True))
    article = make_article()
    topic = Topic.objects.create(name="Work", slug="work")

    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        {
            "title": article.title,
            "slug": article.slug,
            "summary": article.summary,
            "body": article.body,
            "topics": [str(topic.pk), HUGE_ID],
            "status": article.status,
            "published_at_0": "2026-01-01",
            "published_at_1": "10:00",
            "references-TOTAL_FORMS": "0",
            "references-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert b"is not one of the available choices" in response.content
    assert not article.topics.exists()


@pytest.mark.parametrize(
    "path", ["abc/history/", "{pk}/history/abc/", "{pk}/history/1.5/"]
)
def test_an_article_history_address_with_a_word_for_an_id_is_a_404(
    client, db, path, settings
):
    settings.ADMIN_REQUIRES_TWO_FACTOR = False
    client.force_login(make_staff(is_superuser=True))
    article = make_article()

    response = client.get("/admin/articles/article/" + path.format(pk=article.pk))

    assert response.status_code == 404


@pytest.mark.parametrize("user_id", [" ", "abc", HUGE_ID])
def test_a_specialist_in_the_admin_with_a_bad_user_id_is_shown_again_with_an_error(
    client, db, settings, user_id
):
    settings.ADMIN_REQUIRES_TWO_FACTOR = False
    client.force_login(make_staff(is_superuser=True))
    specialist = make_specialist()

    response = client.post(
        f"/admin/specialists/specialist/{specialist.pk}/change/",
        {"user": user_id, "slug": specialist.slug, "display_name": "Changed"},
    )

    assert response.status_code == 200
    assert b"Select a valid choice." in response.content
    specialist.refresh_from_db()
    assert specialist.display_name != "Changed"
