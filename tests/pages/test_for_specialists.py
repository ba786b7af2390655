"""The "For specialists" page: the way in for a specialist who wants to join."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_specialist, make_verified_user
from tests.html import parse_html

# The seed's specialist-facing text, word for word.
SEED_TEXT = [
    "Potential benefits of a free initial consultation",
    "During this first session: potential clients have the chance to learn more "
    "about you and your approach before agreeing to work together.",
    "Offering a free consultation will help you build trust with the client. It "
    "shows them that you want to give them a chance to make sure you are the right "
    "person to help them before they move forward. Additionally, you should also be "
    "confident that you can support your clients and that the client has problems "
    "that you can help them cope with. Also, you can avoid any ethical difficult "
    "situations about charging a client for a session in which you choose not to "
    "proceed based on fit.",
    "We've found that people are more likely to proceed with therapy after a free "
    "consultation, as it lowers the barrier to starting the process. Many people "
    "starting therapy are apprehensive about the unknown, even if they've had "
    'sessions before. Our culture associates a "risk-free" mindset with free '
    "offers, helping people feel more comfortable during the initial conversation "
    "with a specialist.",
    "Another key advantage for Specialist",
]
# Adapted: the seed promises an advertising campaign the site does not run.
ADAPTED = (
    "Specialists offering free initial consultations are featured first in our "
    "directory and on the articles about their topics, giving you greater visibility."
)


def main_of(response):
    return parse_html(response.content).find("main")


def words(text):
    return re.sub(r"\s+", " ", text).strip()


def start_buttons(main):
    return [a for a in main.find_all("a") if "button" in a.classes]


def test_page_carries_the_seed_text_word_for_word(client, db):
    response = client.get("/for-specialists/")

    assert response.status_code == 200
    text = words(main_of(response).text)
    for passage in SEED_TEXT:
        assert passage in text
    assert ADAPTED in text
    assert "advertising campaign" not in text


def test_page_says_what_joining_involves(client, db):
    text = words(main_of(client.get("/for-specialists/")).text)

    assert "What joining involves" in text
    for step in ["An account", "A profile", "Review by our staff", "weekly hours"]:
        assert step in text
    for way in ["video", "phone", "in person"]:
        assert way in text


def test_anonymous_visitor_has_one_button_to_the_gated_profile_form(client, db):
    main = main_of(client.get("/for-specialists/"))

    [button] = start_buttons(main)
    assert button.attrs["href"] == "/specialists/new/"
    assert button.text == "Create your specialist profile"
    # With JavaScript the same prompt opens in a dialog on this page.
    assert button.attrs["data-gate"] == (
        "To create your specialist profile, please log in to your account."
    )


def test_the_button_leads_anonymous_visitors_to_the_prompt_and_back(client, db):
    gate = main_of(client.get("/specialists/new/"))

    assert words(gate.find("h1").text) == (
        "To create your specialist profile, please log in to your account."
    )
    hrefs = [a.attrs["href"] for a in gate.find_all("a")]
    assert "/accounts/login/?next=/specialists/new/" in hrefs
    assert "/accounts/signup/?next=/specialists/new/" in hrefs


def test_a_logged_in_user_without_a_profile_is_sent_to_create_one(client, db):
    client.force_login(make_verified_user())

    [button] = start_buttons(main_of(client.get("/for-specialists/")))

    assert button.attrs["href"] == "/specialists/new/"
    assert "data-gate" not in button.attrs
    assert client.get("/specialists/new/").status_code == 200  # the form itself


def test_a_specialist_is_sent_to_their_dashboard_instead(client, db):
    specialist = make_specialist(user=make_verified_user())
    client.force_login(specialist.user)

    [button] = start_buttons(main_of(client.get("/for-specialists/")))

    assert button.attrs["href"] == "/specialists/me/"
    assert button.text == "Go to your specialist dashboard"


@pytest.mark.parametrize("path", ["/", "/privacy/", "/articles/"])
def test_every_page_links_to_the_page_for_specialists(client, db, path):
    footer = parse_html(client.get(path).content).find("footer")

    links = {a.text: a.attrs["href"] for a in footer.find_all("a")}
    assert links["For specialists"] == "/for-specialists/"


def test_the_page_is_in_the_sitemap(client, db):
    assert b"/for-specialists/</loc>" in client.get("/sitemap.xml").content


def test_the_page_costs_one_query_for_anonymous_visitors(
    client, db, django_assert_max_num_queries
):
    # The page cache's check of the public content version, nothing else.
    with django_assert_max_num_queries(1):
        client.get("/for-specialists/")


def specialist_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return [q["sql"] for q in queries if 'FROM "specialists_specialist"' in q["sql"]]


def test_the_account_menu_links_to_the_dashboard_for_a_specialist_only(client, db):
    specialist = make_specialist(user=make_verified_user())
    client.force_login(specialist.user)

    menu = parse_html(client.get("/privacy/").content).find("header")
    links = {words(a.text): a.attrs["href"] for a in menu.find_all("a")}
    assert links["Dashboard"] == "/specialists/me/"

    client.force_login(make_verified_user())
    menu = parse_html(client.get("/privacy/").content).find("header")
    assert "/specialists/me/" not in [a.attrs["href"] for a in menu.find_all("a")]


def test_the_account_menu_costs_one_query_when_logged_in_and_none_otherwise(client, db):
    assert specialist_queries(client, "/privacy/") == []

    client.force_login(make_verified_user())
    assert len(specialist_queries(client, "/privacy/")) == 1
