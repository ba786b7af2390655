import pytest

from outbox.models import OutboxMessage
from specialists.models import Specialist
from tests.factories import make_user
from tests.smtp import free_port, use_smtp

ADMIN = "/admin/specialists/specialist/"


@pytest.fixture
def pending(db):
    return Specialist.objects.create(
        user=make_user(email="rowan@example.org"),
        slug="rowan",
        display_name="Rowan",
        headline="Psychologist",
        status=Specialist.Status.PENDING,
        registration_number="PSY-1",
    )


def test_staff_approve_pending_profiles_with_an_admin_action(
    admin_client, pending, client
):
    assert client.get("/specialists/rowan/").status_code == 404

    response = admin_client.post(
        ADMIN, {"action": "approve", "_selected_action": [pending.pk]}, follow=True
    )

    assert "1 profile approved." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Specialist.Status.APPROVED
    assert pending.reviewed_at is not None
    assert client.get("/specialists/rowan/").status_code == 200


def test_request_changes_asks_for_a_reason_then_emails_it(
    admin_client, pending, mailoutbox, django_capture_on_commit_callbacks
):
    form = admin_client.post(
        ADMIN, {"action": "request_changes", "_selected_action": [pending.pk]}
    )
    assert form.status_code == 200
    assert 'name="reason"' in form.content.decode()
    pending.refresh_from_db()
    assert (
        pending.status == Specialist.Status.PENDING
    )  # nothing happens without a reason

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            ADMIN,
            {
                "action": "request_changes",
                "_selected_action": [pending.pk],
                "apply": "1",
                "reason": "Add your registration body.",
            },
            follow=True,
        )

    assert "Changes requested for 1 profile." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Specialist.Status.CHANGES_REQUESTED
    assert pending.review_note == "Add your registration body."
    assert mailoutbox[0].to == ["rowan@example.org"]
    assert "Add your registration body." in mailoutbox[0].body


def test_staff_can_mark_a_registration_verified(admin_client, pending):
    admin_client.post(
        ADMIN, {"action": "mark_verified", "_selected_action": [pending.pk]}
    )

    pending.refresh_from_db()
    assert pending.is_verified


def test_registration_number_is_searchable_by_staff(admin_client, pending):
    response = admin_client.get(ADMIN, {"q": "PSY-1"})

    assert "Rowan" in response.content.decode()


def test_request_changes_email_waits_in_the_outbox_when_the_mail_server_is_down(
    admin_client, pending, settings, django_capture_on_commit_callbacks
):
    use_smtp(settings, free_port())  # nothing listens there

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            ADMIN,
            {
                "action": "request_changes",
                "_selected_action": [pending.pk],
                "apply": "1",
                "reason": "Add your registration body.",
            },
        )

    assert response.status_code == 302
    queued = OutboxMessage.objects.get()
    assert (queued.sent_at, queued.attempts) == (None, 1)
    assert queued.subject == "Your profile: changes requested"
    assert queued.body == (
        "Hello Rowan,\n\nBefore your profile can be published, please change the "
        "following:\n\nAdd your registration body.\n\nEdit your profile: "
        "http://testserver/specialists/me/\n"
    )
