"""The "If you are in danger now" block, where distress is likely."""

import pytest

from helplines.models import Line
from tests.factories import make_country, make_line

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
    start = html.index('<aside class="cta danger-now"')
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
    from tests.factories import make_verified_user

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
    with django_assert_max_num_queries(10) as without:
        client.get("/consultations/free/")
    with django_assert_max_num_queries(len(without) + 2):
        client.get("/consultations/free/", HTTP_ACCEPT_LANGUAGE="en-GB")
