"""Every kind of page, in Chromium, under the site's enforced Content-Security-
Policy (default-src 'none', no inline script or style): not one console
error, uncaught script error or policy violation. That covers the admin and
the Markdown editor's live preview, and the scripts' and stylesheet's
integrity hashes (a wrong one is a console error and a refused file).

The page watch of conftest.py records all of it; each page is checked as it
is left, so a failure names the page."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import csp_violations
from tests.browser.test_accounts_journey import log_in
from tests.factories import (
    make_bookable_specialist,
    make_conversation,
    make_verified_user,
)


def visit(page, live_server, path, status=200):
    if status != 200:
        page.watch.expect_error_status(live_server.url + path, status)
    response = page.goto(live_server.url + path)
    assert response.status == status, path
    page.wait_for_load_state("load")
    assert_clean(page)


def assert_clean(page):
    violations = csp_violations(page)
    assert not violations, f"{page.url}: {violations}"
    assert not page.watch.problems(), f"{page.url}: {page.watch.problems()}"
    # Every script and stylesheet of the site's own loaded and ran.
    assert page.evaluate("document.styleSheets.length") >= 1, page.url


@pytest.fixture
def specialist(transactional_db):
    return make_bookable_specialist(
        slug="rowan", display_name="Rowan Example", user=make_verified_user()
    )


def test_public_pages_run_clean_under_the_policy(
    page, live_server, seed_content, specialist
):
    for path in [
        "/",
        "/articles/",
        "/articles/complex-roots-of-harassment/",
        "/specialists/",
        "/specialists/rowan/",
        "/specialists/rowan/book/",
        "/consultations/free/",
        "/help-now/",
        "/questions/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/privacy/",
    ]:
        visit(page, live_server, path)
    visit(page, live_server, "/no-such-page/", status=404)


def test_personal_pages_run_clean_under_the_policy(new_page, live_server, specialist):
    conversation = make_conversation(specialist=specialist, messages=2)
    person = new_page()
    log_in(person, live_server, conversation.user)
    for path in ["/messages/", f"/messages/{conversation.pk}/", "/account/data/"]:
        visit(person, live_server, path)

    own = new_page()
    log_in(own, live_server, specialist.user)
    for path in [
        "/specialists/me/",
        "/specialists/me/availability/",
        "/specialists/me/consultations/",
        "/specialists/me/notifications/",
        "/messages/",
    ]:
        visit(own, live_server, path)


def test_profile_editor_previews_markdown_under_the_policy(
    page, live_server, specialist
):
    log_in(page, live_server, specialist.user)
    visit(page, live_server, "/specialists/me/edit/")

    page.locator("#id_bio").fill("I *listen* to [you](https://example.org).")

    expect(page.locator(".markdownx-preview em")).to_have_text("listen")
    assert_clean(page)


def test_admin_and_its_markdown_editor_run_clean_under_the_policy(
    page, live_server, seed_content
):
    staff = make_verified_user(is_staff=True, is_superuser=True)
    log_in(page, live_server, staff)
    visit(page, live_server, "/admin/")
    # Browsers with a tab bar ask for an icon: without a link, /favicon.ico.
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert page.request.get(live_server.url + icon).ok
    visit(page, live_server, "/admin/articles/article/")
    visit(page, live_server, f"/admin/articles/article/{seed_content.pk}/change/")

    editor = page.locator("#id_body")
    editor.press("End")
    editor.press_sequentially("\n\nA *calm* closing line.")

    expect(page.locator(".field-body .markdownx-preview em").last).to_have_text("calm")
    assert_clean(page)
