"""/specialists/me/notifications/: which emails always come, and the switches
for the others."""

import pytest

from specialists.models import Specialist
from tests.factories import make_specialist, make_verified_user
from tests.html import parse_html

URL = "/specialists/me/notifications/"


@pytest.fixture
def owner_client(client, db):
    user = make_verified_user(email="rowan@example.org")
    client.specialist = make_specialist(user=user, slug="rowan")
    client.force_login(user)
    return client


def test_anonymous_visitor_gets_the_specialist_profile_prompt(client, db):
    main = parse_html(client.get(URL).content).find("main")

    assert main.find("h1").text == (
        "To create your specialist profile, please log in to your account."
    )


def test_an_account_without_a_profile_has_no_such_page(client, db):
    client.force_login(make_verified_user())

    assert client.get(URL).status_code == 404


def test_page_says_which_emails_always_come_and_shows_the_switches_on(
    owner_client, django_assert_max_num_queries
):
    # 5, plus the account menu's check for a specialist profile.
    with django_assert_max_num_queries(6):
        response = owner_client.get(URL)

    page = parse_html(response.content)
    always = page.find("section", aria_labelledby="always-title").text
    assert "A visitor booked a free consultation with you." in always
    assert "cancelled their consultation or moved it" in always
    assert "A reminder the day before each consultation." in always
    for name in ["email_review_updates", "email_new_messages"]:
        box = page.find("input", name=name)
        assert box.attrs["type"] == "checkbox"
        assert "checked" in box.attrs
        assert box.attrs["aria-describedby"] == f"id_{name}_helptext"
    # Nothing on the page switches off the emails about bookings.
    assert len(page.find("form", action=URL).find_all("input")) == 3


def test_unticking_turns_emails_off_and_ticking_turns_them_on_again(owner_client):
    updated_at = owner_client.specialist.updated_at

    response = owner_client.post(URL, {}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "Your email settings have been saved." in response.content.decode()
    specialist = Specialist.objects.get(slug="rowan")
    assert not specialist.email_review_updates
    assert not specialist.email_new_messages
    # A change of settings is not a change of the public profile.
    assert specialist.updated_at == updated_at

    owner_client.post(URL, {"email_new_messages": "on"})

    specialist.refresh_from_db()
    assert not specialist.email_review_updates
    assert specialist.email_new_messages


def test_a_specialist_changes_only_their_own_settings(owner_client):
    other = make_specialist(slug="other")

    owner_client.post(URL, {})

    other.refresh_from_db()
    assert other.email_review_updates and other.email_new_messages


def test_the_dashboard_links_to_the_page(owner_client):
    page = parse_html(owner_client.get("/specialists/me/").content)

    assert page.find("a", href=URL).text == "Email notifications"
