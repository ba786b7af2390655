"""The Markdown editor's live preview in a real browser, with text too costly
to render: the preview says why instead of rendering it, saving gives a form
error, and the text typed stays as it was.

The page fixtures fail any test whose pages log a console error, throw, break
the Content-Security-Policy or ask another host for anything (see conftest.py).
"""

import pytest
from playwright.sync_api import expect

from specialists.models import Specialist
from tests.browser.test_accounts_journey import PASSWORD, field, log_in
from tests.factories import make_specialist, make_verified_user

PREVIEW = "/markdownx/markdownify/"


@pytest.fixture
def specialist():
    user = make_verified_user(password=PASSWORD)
    return make_specialist(user=user, bio="I listen.")


def test_a_bio_too_costly_to_render_is_refused_in_the_preview_and_on_saving(
    page, axe, live_server, specialist
):
    # The preview's refusal is an HTTP 422, which Chromium logs as such.
    page.watch.expect_error_status(live_server.url + PREVIEW, 422)
    log_in(page, live_server, specialist.user)
    page.goto(live_server.url + "/specialists/me/edit/")
    preview = page.locator(".markdownx-preview")
    expect(preview).to_contain_text("I listen.")

    bio = field(page, "About you")
    costly = "[" * 20 + "a" + "]" * 20
    bio.fill(costly)

    expect(preview).to_have_text(
        "Brackets, [ and (, are nested more than 6 deep or left open."
    )
    expect(bio).to_have_value(costly)

    page.get_by_role("button", name="Save as draft").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("nested more than 6 deep")
    expect(field(page, "About you")).to_have_value(costly)
    axe(page)
    specialist.refresh_from_db()
    assert specialist.bio == "I listen."
    assert Specialist.objects.count() == 1
