"""Public pages served from each worker's memory (core/pagecache.py): which
requests share them, how the store stays bounded, conditional GETs, and
"two users, one cache"."""

import re

import pytest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.utils.cache import patch_cache_control

from consultations import services as booking_services
from core import pagecache
from tests.factories import (
    make_answer,
    make_article,
    make_bookable_specialist,
    make_question,
    make_verified_user,
)

PUBLIC_PAGES = [
    "/",
    "/articles/",
    "/articles/{article}/",
    "/specialists/",
    "/specialists/?free=on&topic=&format=video",
    "/specialists/?q=rowan",
    "/specialists/?page=50",
    "/specialists/rowan/",
    "/specialists/rowan/book/",
    "/consultations/free/",
    "/questions/",
    "/questions/{question}/",
    "/for-specialists/",
    "/privacy/",
]


@pytest.fixture
def site(db):
    specialist = make_bookable_specialist(slug="rowan", display_name="Rowan Example")
    question = make_question(title="How do I answer my manager?")
    make_answer(question, specialist=specialist)
    return {
        "specialist": specialist,
        "article": make_article(slug="first-steps").slug,
        "question": question.pk,
    }


@pytest.mark.parametrize("address", PUBLIC_PAGES)
def test_every_public_page_is_served_from_memory_after_one_query(
    client, site, address, django_assert_num_queries
):
    url = address.format(**site)
    first = client.get(url)
    assert first.status_code == 200
    # Kept pages hold no CSRF token: none of these pages carries one for an
    # anonymous visitor, which is why kept pages never swap tokens.
    assert b"csrfmiddlewaretoken" not in first.content

    with django_assert_num_queries(1):  # the public content version
        second = client.get(url)

    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_matching_if_none_match_gets_a_304_without_the_page(client, site):
    etag = client.get("/specialists/").headers["ETag"]

    again = client.get("/specialists/", HTTP_IF_NONE_MATCH=etag)
    other = client.get("/specialists/", HTTP_IF_NONE_MATCH='"something-else"')

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert other.status_code == 200


def test_a_changed_page_gets_a_new_etag_and_no_304(
    client, site, django_capture_on_commit_callbacks
):
    etag = client.get("/specialists/rowan/").headers["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        site["specialist"].city = "Potsdam"
        site["specialist"].save()

    response = client.get("/specialists/rowan/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert b"Potsdam" in response.content
    assert response["ETag"] != etag


def test_a_logged_in_users_pages_carry_no_etag_and_are_never_kept(client, site):
    client.force_login(make_verified_user())

    for address in PUBLIC_PAGES:
        response = client.get(address.format(**site))
        assert "ETag" not in response
        assert "no-store" in response["Cache-Control"]

    assert pagecache.plain_pages.page_count() == 0
    assert pagecache.queried_pages.page_count() == 0


def test_two_users_and_an_anonymous_visitor_never_see_each_others_pages(
    site, django_capture_on_commit_callbacks
):
    alice, bob = Client(), Client()
    alice.force_login(make_verified_user(name="Alice Private", email="alice@x.org"))
    bob.force_login(make_verified_user(name="Bob Private", email="bob@x.org"))
    visitor = Client()
    # A visitor who has just booked: the session holds the booking.
    booker = Client()
    slot = booking_services.free_slots(site["specialist"])[0]
    with django_capture_on_commit_callbacks(execute=True):
        booked = booker.post(
            "/specialists/rowan/book/",
            {
                "slot": slot.isoformat(),
                "token": "form-token-1",
                "tz": "Europe/Berlin",
                "name": "Carol Booker",
                "email": "carol@x.org",
                "preferred_format": "video",
                "contact_preferences": "Email only",
                "note": "",
                "consent": "on",
            },
        )
    assert booked["Location"] == "/consultations/booked/"
    assert b"carol@x.org" in booker.get("/consultations/booked/").content

    seen = {}
    for _ in range(2):  # the second round would be served from memory
        for address in PUBLIC_PAGES:
            url = address.format(**site)
            for name, who in [
                ("alice", alice),
                ("visitor", visitor),
                ("bob", bob),
                ("booker", booker),
            ]:
                seen.setdefault(name, []).append(who.get(url).content.decode())

    def pages_of(name):
        return "\n".join(seen[name])

    # Each user's pages carry their own Log out form and its CSRF token.
    for name in ("alice", "bob"):
        assert all("Log out" in page for page in seen[name]), name
    tokens = {
        name: set(
            re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', pages_of(name))
        )
        for name in seen
    }
    assert tokens["alice"] and tokens["bob"] and not tokens["visitor"]
    for name in seen:
        others = set().union(*(tokens[other] for other in seen if other != name))
        assert not others & set(re.findall(r"\w{64}", pages_of(name))), name
    for name, secrets in [
        ("visitor", ["Alice", "Bob", "Carol", "@x.org", "Log out"]),
        ("alice", ["Bob", "bob@", "Carol", "carol@"]),
        ("bob", ["Alice", "alice@", "Carol", "carol@"]),
        ("booker", ["Alice", "alice@", "Bob", "bob@"]),
    ]:
        for secret in secrets:
            assert secret not in pages_of(name), (name, secret)
    # Only the anonymous visitor's pages were kept.
    assert (
        pagecache.plain_pages.page_count() + pagecache.queried_pages.page_count()
        == (len(PUBLIC_PAGES))
    )


def test_arbitrary_query_strings_do_not_grow_the_store_beyond_its_bound(
    client, site, monkeypatch
):
    monkeypatch.setattr(pagecache.queried_pages, "max_pages", 5)
    client.get("/specialists/")

    for n in range(20):
        client.get(f"/specialists/?q=word{n}")
        client.get(f"/specialists/?utm_source=campaign{n}")
        client.get(f"/articles/?n={n}")

    assert pagecache.queried_pages.page_count() == 5
    # The last five searches; never a parameter no view reads.
    assert [key[3] for key in pagecache.queried_pages.entries] == [
        f"q=word{n}" for n in range(15, 20)
    ]
    # A flood of searches never pushes out the pages without a query string.
    assert pagecache.plain_pages.page_count() == 1


def test_the_store_stays_within_its_bytes(client, site, monkeypatch):
    size = len(client.get("/specialists/?q=one").content)
    monkeypatch.setattr(pagecache.queried_pages, "max_bytes", int(size * 2.5))

    for n in range(10):
        client.get(f"/specialists/?q=word{n}")

    assert pagecache.queried_pages.page_count() == 2
    assert pagecache.queried_pages.size <= size * 2.5


def test_one_visitors_query_string_never_reaches_another_visitor(client, site):
    client.get("/specialists/?q=rowan&utm_campaign=only-mine")
    client.get("/specialists/?q=rowan&q=twice")

    page = client.get("/specialists/?q=rowan").content.decode()

    assert "only-mine" not in page
    assert "twice" not in page
    assert [key[3] for key in pagecache.queried_pages.entries] == ["q=rowan"]


def test_a_cookie_the_cache_does_not_know_gets_a_fresh_page(
    client, site, django_assert_max_num_queries
):
    client.get("/specialists/")
    client.cookies["something"] = "else"

    with django_assert_max_num_queries(20) as queries:
        client.get("/specialists/")

    assert len(queries) > 1


def test_the_slot_picker_is_kept_per_browser_time_zone(
    client, site, django_assert_num_queries
):
    client.cookies["tz"] = "Asia/Tokyo"
    tokyo = client.get("/specialists/rowan/book/").content
    client.cookies["tz"] = "Not/A_Zone"  # unknown: the specialist's zone
    berlin = client.get("/specialists/rowan/book/").content
    assert b"shown in <strong>Tokyo" in tokyo
    assert b"shown in <strong>Berlin" in berlin

    client.cookies["tz"] = "Asia/Tokyo"
    with django_assert_num_queries(1):
        assert client.get("/specialists/rowan/book/").content == tokyo
    del client.cookies["tz"]
    with django_assert_num_queries(1):
        assert client.get("/specialists/rowan/book/").content == berlin


def test_a_page_with_a_chosen_slot_is_never_kept(client, site):
    slot = booking_services.free_slots(site["specialist"])[0]

    first = client.get("/specialists/rowan/book/", {"slot": slot.isoformat()})
    second = client.get("/specialists/rowan/book/", {"slot": slot.isoformat()})

    # The details form: a CSRF token and a one-time booking token each time.
    assert b"csrfmiddlewaretoken" in first.content
    assert first.content != second.content
    assert pagecache.queried_pages.page_count() == 0


def test_head_is_served_from_memory(client, site, django_assert_num_queries):
    client.get("/questions/")

    with django_assert_num_queries(1):
        response = client.head("/questions/")

    assert response.status_code == 200


def private(response):
    patch_cache_control(response, private=True, no_store=True)


def sets_a_cookie(response):
    response.set_cookie("chosen", "1")


@pytest.mark.parametrize("make_personal", [private, sets_a_cookie])
def test_a_response_that_is_private_or_sets_a_cookie_is_never_kept(
    rf, db, make_personal
):
    response = HttpResponse("Someone's page")
    make_personal(response)
    middleware = pagecache.PageCacheMiddleware(lambda request: response)

    assert middleware(rf.get("/privacy/")) is response

    assert pagecache.plain_pages.page_count() == 0


def test_a_page_that_asked_for_a_csrf_token_is_never_kept(rf, db):
    def view(request):
        return HttpResponse(get_token(request))

    pagecache.PageCacheMiddleware(view)(rf.get("/privacy/"))

    assert pagecache.plain_pages.page_count() == 0
