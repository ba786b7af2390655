"""The "If you are in danger now" block, where distress is likely."""

import pytest
from django.core.cache import cache

from core import pagecache
from helplines.models import Line
from tests.consultations.test_booking import (  # noqa: F401 (fixture)
    booking_data,
    first_free_slot,
    specialist,
)
from tests.factories import make_country, make_line, make_question, make_verified_user
from tests.messaging.test_messages import client_for, people, send  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def uk():
    uk = make_country("GB", emergency_number="999")
    make_line(uk, name="Samaritans", phone="116 123")
    make_line(uk, name="Second crisis line")
    make_line(uk, name="Refuge", kind=Line.Kind.DOMESTIC_ABUSE, phone="0808 2000 247")
    make_line(uk, name="Childline", kind=Line.Kind.YOUNG_PEOPLE)
    return uk


def block(html):
    start = html.index('<aside class="danger-now"')
    return html[start : html.index("</aside>", start)]


def test_article_ends_with_the_readers_emergency_number_and_two_lines(
    client, seed_article, uk
):
    html = client.get(
        seed_article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-GB"
    ).content.decode()
    shown = block(html)
    assert "If you are in danger now" in shown
    assert 'href="tel:999"' in shown
    # The first line of each kind: crisis, then domestic abuse.
    assert "Samaritans" in shown
    assert "Refuge" in shown
    assert "Second crisis line" not in shown
    assert "Childline" not in shown
    assert 'href="/help-now/"' in shown


def test_without_a_country_the_block_points_to_help_now(client, seed_article, uk):
    html = client.get(seed_article.get_absolute_url()).content.decode()
    shown = block(html)
    assert "Call your local emergency number" in shown
    assert "Samaritans" not in shown


def test_free_consultation_page_says_it_is_not_an_emergency_service(client, uk):
    html = client.get(
        "/consultations/free/", HTTP_ACCEPT_LANGUAGE="en-GB"
    ).content.decode()
    assert "A first consultation is not an emergency service." in html
    assert 'href="tel:116123"' in block(html)


def test_question_form_shows_the_block(client, uk):
    client.force_login(make_verified_user())
    response = client.get("/questions/ask/", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert response.status_code == 200
    assert 'href="tel:999"' in block(response.content.decode())


def test_every_page_links_help_now_from_the_quick_exit_area(client):
    html = client.get("/").content.decode()
    exit_bar = html[html.index('<div class="exit-bar">') :]
    exit_bar = exit_bar[: exit_bar.index("</div>")]
    assert 'href="/help-now/"' in exit_bar


def test_block_costs_at_most_two_queries(client, uk, django_assert_max_num_queries):
    # The free consultation page, counted with and without the block's country.
    client.get("/consultations/free/")
    pagecache.clear()  # both rendered, not served from the page cache
    with django_assert_max_num_queries(11) as without:
        client.get("/consultations/free/")
    with django_assert_max_num_queries(len(without) + 2):
        client.get("/consultations/free/", HTTP_ACCEPT_LANGUAGE="en-GB")


def test_the_block_is_under_a_question_the_reader_asked_only(client, uk):
    question = make_question()
    url = f"/questions/{question.pk}/"
    client.force_login(question.author)
    assert 'href="tel:999"' in block(
        client.get(url, HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    )
    client.force_login(make_verified_user())
    assert "danger-now" not in client.get(url).content.decode()


def test_the_block_is_under_the_messages_the_person_sent(uk, people):  # noqa: F811
    person = client_for(people["person"])
    url = send(person, "Hello")["Location"]
    html = person.get(url, HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert 'href="tel:999"' in block(html)
    # The specialist's side of the thread is not where the person in distress is.
    their_specialist = client_for(people["specialist"].user)
    assert "danger-now" not in their_specialist.get(url).content.decode()


def test_booking_confirmation_shows_the_block(client, uk, specialist):  # noqa: F811
    cache.clear()  # booking rate limits live in the database cache
    slot = first_free_slot(specialist)
    client.post("/specialists/rowan/book/", booking_data(slot))
    html = client.get(
        "/consultations/booked/", HTTP_ACCEPT_LANGUAGE="en-GB"
    ).content.decode()
    assert "It is not an emergency service." in html
    assert 'href="tel:999"' in block(html)
