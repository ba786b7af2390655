from datetime import timedelta

import pytest
from django.utils import timezone

from helplines import country as reader_country
from helplines.models import Line
from tests.factories import make_country, make_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def countries():
    gb = make_country("GB", emergency_number="999")
    de = make_country("DE", emergency_number="112")
    make_line(gb, name="Samaritans", phone="116 123")
    make_line(de, name="TelefonSeelsorge", phone="0800 111 0 111")
    make_line(None, name="Find A Helpline", phone="", website="https://example.org/")
    return gb, de


def test_visitor_sees_lines_of_the_country_they_chose(client, countries):
    response = client.post("/help-now/", {"country": "DE"})
    assert response.status_code == 303
    assert response["Location"] == "/help-now/"
    assert response.cookies[reader_country.cookie_name()].value == "DE"

    # The choice beats the browser's language.
    page = client.get("/help-now/", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert "Support lines in Germany" in page.content.decode()
    assert "TelefonSeelsorge" in page.content.decode()
    assert "Samaritans" not in page.content.decode()


def test_country_comes_from_the_browser_language_region(client, countries):
    response = client.get("/help-now/", HTTP_ACCEPT_LANGUAGE="fr-FR,en-GB;q=0.8")
    html = response.content.decode()
    assert response.status_code == 200
    # France is not on the list: the next region the browser names is.
    assert "Support lines in United Kingdom" in html
    assert "because of your browser's language settings" in html
    assert 'href="tel:999"' in html
    assert 'href="tel:116123"' in html
    assert "Accept-Language" in response["Vary"]


def test_without_a_country_visitor_gets_the_picker_and_international_list(
    client, countries
):
    response = client.get("/help-now/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose your country" in html
    assert "International list" in html
    assert "Find A Helpline" in html
    assert "Samaritans" not in html
    assert '<option value="DE">Germany</option>' in html


def test_a_forged_cookie_falls_back_to_the_language(client, countries):
    client.cookies[reader_country.cookie_name()] = "<script>"
    html = client.get("/help-now/", HTTP_ACCEPT_LANGUAGE="de-DE").content.decode()
    assert "Support lines in Germany" in html


def test_choosing_another_country_forgets_the_choice(client, countries):
    client.post("/help-now/", {"country": "DE"})
    response = client.post("/help-now/", {"country": ""})
    assert response.status_code == 303
    assert response.cookies[reader_country.cookie_name()].value == ""
    html = client.get("/help-now/").content.decode()
    assert "International list" in html


def test_an_unknown_country_is_refused_with_the_picker(client, countries):
    response = client.post("/help-now/", {"country": "XX"})
    assert response.status_code == 400
    assert reader_country.cookie_name() not in response.cookies
    assert "Select a valid choice" in response.content.decode()


def test_a_line_checked_more_than_a_year_ago_is_hidden(client, countries):
    gb, _ = countries
    stale = timezone.localdate() - timedelta(days=366)
    make_line(gb, name="Stale line", last_checked=stale)
    make_line(gb, name="Switched off line", is_active=False)
    make_line(gb, name="Checked a year ago today", last_checked=stale + timedelta(1))
    html = client.get("/help-now/", HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert "Samaritans" in html
    assert "Checked a year ago today" in html
    assert "Stale line" not in html
    assert "Switched off line" not in html
    assert list(Line.objects.due_for_check()) == [Line.objects.get(name="Stale line")]


def test_text_and_chat_lines_get_sms_links(client):
    us = make_country("US", emergency_number="911")
    make_line(
        us,
        name="Hotline",
        phone="1-800-799-7233",
        sms="88788",
        sms_body="START",
        chat_url="https://example.org/chat",
    )
    html = client.get("/help-now/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert 'href="tel:18007997233"' in html
    assert 'href="sms:88788?body=START"' in html
    assert "Text START to 88788" in html
    assert 'href="https://example.org/chat"' in html


@pytest.mark.parametrize("lines", [1, 10])
def test_help_now_page_queries_do_not_grow_with_lines(
    client, django_assert_max_num_queries, lines
):
    gb = make_country("GB")
    for _ in range(lines):
        make_line(gb)
    with django_assert_max_num_queries(3):
        response = client.get("/help-now/", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert response.status_code == 200


def test_language_regions_are_read_in_order_of_preference():
    header = "de;q=0.9, en-GB;q=0.8, pt-BR, zh-Hant-TW;q=0.5, es-419, fr-CA;q=0"
    assert reader_country.language_regions(header) == ["BR", "GB", "TW"]
    assert reader_country.language_regions("en-US;q=nonsense, en-IE") == ["IE"]
