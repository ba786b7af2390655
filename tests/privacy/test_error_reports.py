"""Error reports (the managers' error emails, the debug page) carry no
personal data: POST values, cookies and local variables are masked."""

import sys

import pytest
from django.core import mail
from django.test import Client
from django.views.debug import ExceptionReporter

from consultations import services
from tests.factories import make_bookable_specialist


def crash(request):
    """Fails the way a view does, with personal data in a local variable."""
    note = request.POST["note"]
    raise RuntimeError(f"could not save {len(note)} characters")


def report_for(request):
    try:
        crash(request)
    except RuntimeError:
        return ExceptionReporter(request, *sys.exc_info())


# Below the functions the reports show: a report quotes the source lines
# around each frame, and these values must not be there to find.
POSTED = {
    "name": "Reportname Marker5521",
    "email": "report-marker-5521@example.org",
    "note": "Reportnote marker 5521",
    "body": "Reportbody marker 5521",
    "message": "Reportmessage marker 5521",
    "password": "Reportpassword-5521",
    "password1": "Reportpassword-5521",
    "token": "Reporttoken5521",
    "reason": "Reportreason marker 5521",
    "unforeseen_field": "Unforeseen marker 5521",
}
SESSION = "Sessioncookie5521"


@pytest.mark.parametrize("render", ["get_traceback_html", "get_traceback_text"])
def test_an_error_report_masks_every_personal_post_value_cookie_and_variable(
    rf, render
):
    request = rf.post("/anywhere/", {**POSTED, "slot": "2026-12-07T09:00:00+00:00"})
    request.COOKIES["sessionid"] = SESSION

    report = getattr(report_for(request), render)()

    for value in [*POSTED.values(), SESSION]:
        assert value not in report
    # A harmless field stays, to help whoever reads the report.
    assert "2026-12-07T09:00:00+00:00" in report
    assert "********************" in report


def test_the_managers_error_email_of_a_crashed_booking_holds_no_visitor_data(
    db, settings, monkeypatch
):
    settings.ADMINS = [("Managers", "managers@example.org")]
    specialist = make_bookable_specialist(slug="rowan")
    slot = services.free_slots(specialist)[0]

    def broken(**details):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "book_consultation", broken)
    data = {
        "slot": slot.isoformat(),
        "token": POSTED["token"],
        "tz": "Europe/Berlin",
        "name": POSTED["name"],
        "email": POSTED["email"],
        "note": POSTED["note"],
        "preferred_format": "video",
        "consent": "on",
    }

    response = Client(raise_request_exception=False).post(
        "/specialists/rowan/book/", data
    )

    assert response.status_code == 500
    [report] = mail.outbox
    texts = [report.subject, report.body, *(a[0] for a in report.alternatives)]
    for value in (POSTED["name"], POSTED["email"], POSTED["note"], POSTED["token"]):
        assert not any(value in text for text in texts)
