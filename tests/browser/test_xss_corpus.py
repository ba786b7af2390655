"""The XSS corpus in a real browser, with the Content-Security-Policy
bypassed so that only the escaping and the sanitiser stand in the way: on
every page that shows a field holding the payloads, and in the Markdown
editor's live preview, no script runs (window.__xss stays undefined, no
alert) and no request leaves the live server (conftest's watch)."""

from urllib.parse import urlsplit

import pytest

from consultations.models import Booking
from messaging.models import Message
from tests.browser.test_accounts_journey import log_in
from tests.factories import (
    make_answer,
    make_article,
    make_bookable_specialist,
    make_booking,
    make_conversation,
    make_question,
    make_verified_user,
)
from tests.security.xss_payloads import PAYLOADS

CORPUS = "\n\n".join(PAYLOADS)


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = make_verified_user(name=PAYLOADS[0][:50])
    specialist = make_bookable_specialist(
        user=make_verified_user(),
        slug="rowan",
        display_name=PAYLOADS[9][:100],
        headline=PAYLOADS[11][:200],
        bio=CORPUS[:5000],
    )
    conversation = make_conversation(user=person, specialist=specialist)
    for payload in PAYLOADS:
        Message.objects.create(conversation=conversation, sender=person, body=payload)
    question = make_question(
        author=person, is_anonymous=False, title=PAYLOADS[3][:150], body=CORPUS
    )
    make_answer(question, specialist=specialist, body=CORPUS)
    booking = make_booking(specialist)
    Booking.objects.filter(pk=booking.pk).update(
        name=PAYLOADS[1][:100], note=CORPUS[:1000], contact_preferences=CORPUS[:200]
    )
    article = make_article(slug="corpus", body=CORPUS, summary=PAYLOADS[5][:300])
    return {
        "person": person,
        "specialist": specialist,
        "pages": {
            None: [
                "/specialists/",
                "/specialists/rowan/",
                "/questions/",
                f"/questions/{question.pk}/",
                f"/articles/{article.slug}/",
            ],
            "specialist": [
                "/messages/",
                f"/messages/{conversation.pk}/",
                "/specialists/me/consultations/",
            ],
            "person": ["/messages/", f"/messages/{conversation.pk}/"],
        },
    }


def open_without_csp(new_page):
    page = new_page(bypass_csp=True)
    page.dialogs = []
    page.on(
        "dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss())
    )
    return page


def assert_nothing_ran(page):
    assert page.evaluate("typeof window.__xss") == "undefined", page.url
    assert page.dialogs == [], page.url


def forgive_broken_images(page, server):
    """Payloads like <img src=x> leave an image that is not there: Chromium
    logs its 404. That is no script running; every other error still counts."""
    page.watch.console_errors = [
        error
        for error in page.watch.console_errors
        if not (
            error.startswith(
                "Failed to load resource: the server responded with a status of 404"
            )
            and urlsplit(server).netloc in error
        )
    ]


@pytest.mark.parametrize("who", [None, "specialist", "person"])
def test_no_payload_runs_or_calls_another_host_on_any_page(
    new_page, live_server, world, who
):
    page = open_without_csp(new_page)
    if who:
        user = world["specialist"].user if who == "specialist" else world["person"]
        log_in(page, live_server, user)

    for path in world["pages"][who]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
        assert_nothing_ran(page)
    forgive_broken_images(page, live_server.url)


def test_no_payload_runs_in_the_markdown_editors_live_preview(
    new_page, live_server, world
):
    page = open_without_csp(new_page)
    log_in(page, live_server, world["specialist"].user)
    page.goto(live_server.url + "/specialists/me/edit/")

    for payload in [CORPUS[:5000], *PAYLOADS[:20]]:
        with page.expect_response(lambda r: "/markdownx/markdownify/" in r.url):
            page.locator("textarea[name=bio]").fill(payload)
        page.wait_for_timeout(100)  # the preview is written into the page
        assert_nothing_ran(page)
    forgive_broken_images(page, live_server.url)
