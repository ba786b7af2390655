"""Staff run the review queue in the admin, in a real browser: the queue, a
re-submitted profile's changes side by side, the decision; and the Markdown
editor's preview beside its text on a wide screen.

The admin is left out of axe (the issue exempts it), not out of the watch:
console errors, CSP violations and requests to other hosts still fail a test.
"""

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import expect

from specialists import services
from specialists.models import Specialist
from tests.browser.test_accounts_journey import PASSWORD, field
from tests.factories import make_specialist, make_verified_user


def log_in_to_the_admin(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/?next=/admin/")
    field(page, "Email").fill(user.email)
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")


@pytest.fixture
def reviewer(page, live_server):
    """Staff who may change specialists (not a superuser), logged in."""
    user = make_verified_user(password=PASSWORD, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_specialist", "change_specialist"])
    )
    log_in_to_the_admin(page, live_server, user)
    return user


@pytest.fixture
def resubmitted():
    specialist = make_specialist(
        display_name="Rowan Example",
        headline="Psychologist",
        bio="I listen.",
    )
    services.approve(specialist=specialist)
    specialist.headline = "Trauma therapist <b>certified</b>"
    specialist.submit_for_review()
    specialist.save()
    return specialist


def test_staff_open_the_queue_read_the_changes_and_approve(
    page, live_server, reviewer, resubmitted
):
    make_specialist(
        display_name="Newcomer",
        status=Specialist.Status.PENDING,
        submitted_at=timezone.now(),
    )

    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Profiles to review (2)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Select profile to review to change"
    )
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    # Longest waiting first.
    expect(rows.first).to_contain_text("Rowan Example")
    expect(rows.first).to_contain_text("Re-submitted")
    expect(rows.nth(1)).to_contain_text("New profile")

    page.get_by_role("link", name="Rowan Example").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review profile")
    changes = page.get_by_role("region", name="Changed since the last approval")
    headline = changes.get_by_role("row", name="Headline")
    expect(headline.get_by_role("cell")).to_have_text(
        ["Psychologist", "Trauma therapist <b>certified</b>"]
    )
    # Only what changed: the bio did not.
    expect(changes.get_by_role("row")).to_have_count(2)  # the header and one field

    page.get_by_role("button", name="Approve").click()

    expect(page.locator(".messagelist .success")).to_have_text(
        "Rowan Example approved: the profile is public."
    )
    expect(rows).to_have_count(1)
    resubmitted.refresh_from_db()
    assert resubmitted.status == Specialist.Status.APPROVED


@pytest.mark.parametrize(
    ("width", "beside"), [(1280, True), (800, False)], ids=["wide", "narrow"]
)
def test_markdown_preview_sits_beside_the_text_on_wide_screens_only(
    new_page, live_server, width, beside
):
    specialist = make_specialist(bio="I *listen*.")
    page = new_page(viewport={"width": width, "height": 900})
    superuser = make_verified_user(password=PASSWORD, is_staff=True, is_superuser=True)
    log_in_to_the_admin(page, live_server, superuser)

    page.goto(f"{live_server.url}/admin/specialists/specialist/{specialist.pk}/change/")
    editor = page.locator("#id_bio")
    preview = page.locator(".field-bio .markdownx-preview")
    editor.press("End")
    editor.press_sequentially(" More.")
    expect(preview.locator("em")).to_have_text("listen")

    text, shown = editor.bounding_box(), preview.bounding_box()
    if beside:
        assert shown["x"] >= text["x"] + text["width"]
        assert shown["y"] == pytest.approx(text["y"], abs=2)
    else:
        assert shown["y"] >= text["y"] + text["height"]
