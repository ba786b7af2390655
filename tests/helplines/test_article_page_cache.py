"""The article page cache keeps one page per reader country, never one for all."""

import pytest

from core import pagecache
from helplines import country as reader_country
from tests.factories import make_country, make_line

URL = "/articles/complex-roots-of-harassment/"


@pytest.fixture
def two_countries(db):
    make_line(make_country("GB", emergency_number="999"), name="Samaritans")
    make_line(make_country("DE", emergency_number="112"), name="TelefonSeelsorge")


def test_each_country_gets_its_own_kept_page(
    client, seed_article, two_countries, django_assert_num_queries
):
    british = client.get(URL, HTTP_ACCEPT_LANGUAGE="en-GB").content
    german = client.get(URL, HTTP_ACCEPT_LANGUAGE="de-DE").content
    unknown = client.get(URL).content
    assert b"Samaritans" in british and b"TelefonSeelsorge" not in british
    assert b"TelefonSeelsorge" in german and b"Samaritans" not in german
    assert b"Samaritans" not in unknown and b"TelefonSeelsorge" not in unknown

    # Served from memory (the one version query), each to its own country.
    with django_assert_num_queries(1):
        assert client.get(URL, HTTP_ACCEPT_LANGUAGE="de-DE").content == german
    with django_assert_num_queries(1):
        assert client.get(URL, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content == british
    with django_assert_num_queries(1):
        assert client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content == unknown


def test_a_readers_chosen_country_is_not_served_to_others(
    client, seed_article, two_countries
):
    client.cookies[reader_country.cookie_name()] = "DE"
    assert b"TelefonSeelsorge" in client.get(URL, HTTP_ACCEPT_LANGUAGE="en-GB").content
    client.cookies.pop(reader_country.cookie_name())
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en-GB").content
    assert b"Samaritans" in page and b"TelefonSeelsorge" not in page


def test_made_up_regions_do_not_multiply_kept_pages(
    client, seed_article, two_countries
):
    for region in ["XA", "XB", "XC", "QQ", "ZZ"]:
        client.get(URL, HTTP_ACCEPT_LANGUAGE=f"en-{region}")
    assert pagecache.plain_pages.page_count() == 1


def test_kept_page_says_it_varies_with_language_and_cookie(
    client, seed_article, two_countries
):
    client.get(URL, HTTP_ACCEPT_LANGUAGE="en-GB")
    again = client.get(URL, HTTP_ACCEPT_LANGUAGE="en-GB")
    assert "Accept-Language" in again["Vary"]
    assert "Cookie" in again["Vary"]
