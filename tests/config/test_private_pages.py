"""Pages with personal data tell browsers and proxies to keep no copy
(config.middleware.private_pages_not_stored); pages that are the same for
everyone stay cacheable."""

import pytest

from tests.factories import (
    make_booking,
    make_conversation,
    make_specialist,
    make_verified_user,
)


def directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


def assert_not_stored(response):
    assert response.status_code == 200, response.status_code
    assert {"private", "no-store"} <= directives(response)


@pytest.mark.parametrize(
    "url", ["/account/data/", "/account/name/", "/account/delete/", "/messages/"]
)
def test_account_pages_and_inbox_are_not_stored(client, db, url):
    client.force_login(make_verified_user())

    assert_not_stored(client.get(url))


def test_conversation_is_not_stored(client, db):
    conversation = make_conversation()
    client.force_login(conversation.user)

    assert_not_stored(client.get(f"/messages/{conversation.pk}/"))


def test_data_download_is_not_stored(client, db):
    client.force_login(make_verified_user())

    response = client.get("/account/data/download/")

    assert response.status_code == 200
    assert "no-store" in directives(response)


@pytest.mark.parametrize(
    "url",
    ["/specialists/me/", "/specialists/me/edit/", "/specialists/me/consultations/"],
)
def test_specialist_dashboard_and_manage_pages_are_not_stored(client, db, url):
    specialist = make_specialist(user=make_verified_user())
    client.force_login(specialist.user)

    assert_not_stored(client.get(url))


def test_public_page_seen_by_someone_logged_in_is_not_stored(client, db):
    # The header shows their unread messages.
    client.force_login(make_verified_user())

    assert_not_stored(client.get("/"))


def test_booked_page_of_an_anonymous_visitor_is_not_stored(client, db):
    booking = make_booking()
    session = client.session
    session["booked"] = booking.pk
    session.save()

    assert_not_stored(client.get("/consultations/booked/"))


def test_private_link_page_of_an_anonymous_visitor_is_not_stored(client, db):
    booking = make_booking()
    token = booking.new_manage_token()
    booking.save()

    assert_not_stored(client.get(f"/consultations/manage/{token}/"))


@pytest.mark.parametrize("url", ["/", "/articles/", "/specialists/"])
def test_public_pages_for_anonymous_visitors_may_be_cached(client, db, url):
    response = client.get(url)

    assert response.status_code == 200
    assert "no-store" not in directives(response)
