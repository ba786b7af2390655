"""A NUL byte in any part of an address, or in a query string, is a 400,
never a 500 or a page: PostgreSQL refuses NUL in text, the file system in
paths. The routes come from the URLconf and the query parameters from the
pages' own GET forms, so a new route or filter is tried too."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from consultations.models import Booking
from tests.factories import (
    make_bookable_specialist,
    make_booking,
    make_staff,
    make_verified_user,
)
from tests.html import parse_html

NUL = "%00"
NUL_TEXT = "a\x00b"
# A route's parameter (<converter:name>) or a regex group, named or not.
PARAMETER = re.compile(r"<(?:[^>:]+:)?[^>]+>|\((?:\?P<[^>]+>)?(?:[^()]|\([^()]*\))*\)")


def routes(patterns=None, prefix=""):
    """Every route in the URLconf, as its pattern text."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, pattern)
        elif isinstance(entry, URLPattern):
            yield pattern


def with_nul(route):
    """The route with a NUL byte inside every parameter; a route without
    parameters gets one added to its end."""
    path = route.replace("^", "").replace("$", "").replace("\\", "")
    if PARAMETER.search(path):
        return "/" + PARAMETER.sub(f"a{NUL}b", path)
    return "/" + path + NUL


ROUTES = sorted(set(routes()))


@pytest.fixture
def people(db):
    specialist = make_bookable_specialist(user=make_verified_user())
    return {
        "anonymous": None,
        "user": make_verified_user(),
        "specialist": specialist.user,
        "staff": make_staff(is_superuser=True),
    }


def test_every_route_of_the_urlconf_is_tried():
    urls = [with_nul(route) for route in ROUTES]

    assert "/consultations/manage/a%00b/cancel/" in urls
    assert "/specialists/a%00b/book/" in urls
    assert "/media/a%00b" in urls
    assert "/admin/articles/article/a%00b/history/a%00b/" in urls
    assert "/privacy/%00" in urls
    assert all(NUL in url for url in urls)
    assert len(urls) > 100  # the site's, allauth's and the admin's


@pytest.mark.parametrize("who", ["anonymous", "user", "specialist", "staff"])
def test_a_nul_byte_in_any_route_is_a_400(client, people, who, settings):
    settings.ADMIN_REQUIRES_TWO_FACTOR = False
    if people[who]:
        client.force_login(people[who])

    answers = {url: client.get(url).status_code for url in map(with_nul, ROUTES)}

    assert {url: status for url, status in answers.items() if status != 400} == {}


def get_form_names(client, url):
    """The field names of the page's GET forms (its filters and pickers)."""
    response = client.get(url)
    assert response.status_code == 200, url
    forms = [
        form
        for form in parse_html(response.content).find_all("form")
        if form.attrs.get("method", "get").lower() == "get"
    ]
    return sorted(
        {
            field.attrs["name"]
            for form in forms
            for field in form.iter()
            if field.tag in {"input", "select", "textarea"} and field.attrs.get("name")
        }
    )


@pytest.fixture
def query_pages(people):
    specialist = people["specialist"].specialist
    token = "a-private-manage-token"
    make_booking(specialist, manage_token_hash=Booking.hash_token(token))
    return {
        "anonymous": [
            "/specialists/",
            "/questions/",
            "/articles/",
            f"/specialists/{specialist.slug}/book/",
            f"/consultations/manage/{token}/",
            "/accounts/login/",
        ],
        "specialist": ["/specialists/me/consultations/"],
        "staff": ["/admin/articles/article/", "/admin/specialists/specialist/"],
    }


@pytest.mark.parametrize("who", ["anonymous", "specialist", "staff"])
def test_a_nul_byte_in_a_query_string_is_a_400(client, people, query_pages, who):
    if people[who]:
        client.force_login(people[who])
    tried = {}
    for page in query_pages[who]:
        names = get_form_names(client, page) or ["q"]
        for name in [*names, "next", "page"]:
            url = f"{page}?{urlencode({name: NUL_TEXT})}"
            tried[url] = client.get(url).status_code

    assert len(tried) > 2 * len(query_pages[who])  # the forms' names were read
    assert {url: status for url, status in tried.items() if status != 400} == {}
