"""The admin's review queue: pending profiles, oldest first, each read with
what changed since its last approval, then approved or sent back."""

from datetime import timedelta

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.forms import modelform_factory
from django.test import Client
from django.utils import timezone

from core.models import Topic
from outbox.models import OutboxMessage
from specialists import services
from specialists.models import Specialist
from tests.factories import jpeg_bytes, make_specialist, make_staff, make_user
from tests.html import parse_html

QUEUE = "/admin/specialists/specialistreview/"


def queued(display_name, *, waited_days, **overrides):
    return make_specialist(
        display_name=display_name,
        status=Specialist.Status.PENDING,
        submitted_at=timezone.now() - timedelta(days=waited_days),
        **overrides,
    )


def resubmitted(**changes):
    """An approved profile, then edited: back in the queue with `changes`."""
    specialist = make_specialist(
        display_name="Rowan Example",
        headline="Psychologist",
        bio="I listen.\n\nI work in English.",
        qualifications="MSc Psychology",
    )
    specialist.topics.set([Topic.objects.create(name="Stalking", slug="stalking")])
    services.approve(specialist=specialist)
    for name, value in changes.items():
        setattr(specialist, name, value)
    specialist.submit_for_review()
    specialist.save()
    return specialist


def change_page(specialist):
    return f"{QUEUE}{specialist.pk}/change/"


def staff_with(*codenames):
    user = make_staff()
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="specialists", codename__in=codenames
        )
    )
    return user


def row_names(response):
    table = parse_html(response.content.decode()).find("table", id="result_list")
    return [
        cell.text.strip() for cell in table.find_all("th", class_="field-display_name")
    ]


# The queue -----------------------------------------------------------------


def test_queue_lists_only_pending_profiles_longest_waiting_first(admin_client, db):
    queued("Waited two days", waited_days=2)
    queued("Waited five days", waited_days=5)
    queued("Waited one day", waited_days=1)
    make_specialist(display_name="Approved")
    make_specialist(display_name="Draft", status=Specialist.Status.DRAFT)
    make_specialist(
        display_name="Sent back", status=Specialist.Status.CHANGES_REQUESTED
    )

    response = admin_client.get(QUEUE)

    assert response.status_code == 200
    assert row_names(response) == [
        "Waited five days",
        "Waited two days",
        "Waited one day",
    ]


def test_queue_says_how_long_each_waited_and_whether_it_is_new(admin_client, db):
    queued("Brand new", waited_days=3)
    resubmitted(headline="Counsellor")

    page = parse_html(admin_client.get(QUEUE).content.decode())

    kinds = [cell.text for cell in page.find_all("td", class_="field-kind")]
    waits = [cell.text for cell in page.find_all("td", class_="field-waiting")]
    assert kinds == ["New profile", "Re-submitted"]
    assert waits[0] == "3\xa0days"


def test_queue_costs_the_same_queries_for_one_and_for_twenty_profiles(
    admin_client, db, django_assert_max_num_queries
):
    queued("First", waited_days=1)
    with django_assert_max_num_queries(12):
        assert admin_client.get(QUEUE).status_code == 200
    for n in range(19):
        queued(f"Another {n}", waited_days=2)
    with django_assert_max_num_queries(12):
        response = admin_client.get(QUEUE)
    assert len(row_names(response)) == 20


def test_admin_index_shows_the_length_of_the_queue(admin_client, db):
    queued("One", waited_days=1)
    queued("Two", waited_days=1)
    make_specialist()

    response = admin_client.get("/admin/")

    link = parse_html(response.content.decode()).find("a", href=QUEUE)
    assert link.text == "Profiles to review (2)"


# Reading a queued profile --------------------------------------------------


def test_a_first_submission_reads_as_a_new_profile(admin_client, db):
    specialist = queued("Brand new", waited_days=1, headline="Counsellor")

    response = admin_client.get(change_page(specialist))

    page = parse_html(response.content.decode())
    assert page.find("h2", id="review-changes-heading").text == "New profile"
    assert not page.find_all("table", class_="review-diff")
    assert "Counsellor" in page.find("div", class_="field-headline").text


def test_a_resubmitted_profile_shows_only_the_changed_fields_before_and_after(
    admin_client, db
):
    specialist = resubmitted(
        headline="Trauma therapist",
        bio="I listen.\n\nI work in English and German.",
    )
    specialist.topics.add(Topic.objects.create(name="Trauma", slug="trauma"))

    response = admin_client.get(change_page(specialist))

    page = parse_html(response.content.decode())
    rows = page.find("table", class_="review-diff").find("tbody").find_all("tr")
    fields = [row.find("th").text for row in rows]
    assert fields == ["Headline", "About you", "Topics"]
    headline = [td.text.strip() for td in rows[0].find_all("td")]
    assert headline == ["Psychologist", "Trauma therapist"]
    before, after = rows[1].find_all("td")
    # The whole text on each side; the changed words marked.
    assert before.text.strip() == "I listen.\n\nI work in English."
    assert after.text.strip() == "I listen.\n\nI work in English and German."
    assert [d.text for d in before.find_all("del")] == ["English."]
    assert [i.text for i in after.find_all("ins")] == ["English and German."]
    assert [i.text for i in rows[2].find_all("ins")] == ["Trauma"]


def test_the_changes_are_escaped(admin_client, db):
    specialist = resubmitted(headline="<img src=x onerror=alert(1)>")

    content = admin_client.get(change_page(specialist)).content.decode()

    assert "<img src=x onerror" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content


def test_a_resubmitted_photo_shows_both_pictures(admin_client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    specialist = make_specialist(display_name="Rowan Example")
    specialist.photo.save("old.jpg", ContentFile(jpeg_bytes()), save=True)
    services.approve(specialist=specialist)
    specialist.photo.save("new.jpg", ContentFile(jpeg_bytes()), save=False)
    specialist.submit_for_review()
    specialist.save()

    page = parse_html(admin_client.get(change_page(specialist)).content.decode())

    row = page.find("tr", class_="review-diff-photo")
    before, after = (td.find("img") for td in row.find_all("td"))
    assert before.attrs["src"] == "/media/specialists/old.jpg"
    assert after.attrs["src"] == "/media/specialists/new.jpg"


def test_a_photo_whose_file_is_gone_says_so(admin_client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    specialist = make_specialist(display_name="Rowan Example")
    services.approve(specialist=specialist)
    specialist.photo.save("new.jpg", ContentFile(jpeg_bytes()), save=False)
    specialist.approved_snapshot["photo"] = "specialists/deleted.jpg"
    specialist.submit_for_review()
    specialist.save()

    page = parse_html(admin_client.get(change_page(specialist)).content.decode())

    before, after = page.find("tr", class_="review-diff-photo").find_all("td")
    assert before.text.strip() == "The file is no longer stored."
    assert after.find("img").attrs["src"] == "/media/specialists/new.jpg"


def test_a_long_bio_is_shown_in_full(admin_client, db):
    long_bio = " ".join(f"word{n}" for n in range(800))[:5000]
    specialist = resubmitted(bio=long_bio)

    page = parse_html(admin_client.get(change_page(specialist)).content.decode())

    after = page.find("tr", class_="review-diff-bio").find_all("td")[1]
    assert after.text.strip() == long_bio


def test_the_review_page_saves_nothing(admin_client, db):
    specialist = queued("Rowan", waited_days=1)

    response = admin_client.post(change_page(specialist), {"headline": "Changed"})

    assert response.status_code == 405
    specialist.refresh_from_db()
    assert specialist.headline == "Clinical psychologist"


# Deciding from the profile's page -------------------------------------------


def test_staff_approve_from_the_profile_page(admin_client, db, client):
    specialist = resubmitted(headline="Trauma therapist")

    page = parse_html(admin_client.get(change_page(specialist)).content.decode())
    approve = page.find("form", class_="review-approve")
    response = admin_client.post(approve.attrs["action"], follow=True)

    assert response.redirect_chain == [(QUEUE, 302)]
    assert "Rowan Example approved: the profile is public." in response.content.decode()
    specialist.refresh_from_db()
    assert specialist.status == Specialist.Status.APPROVED
    # The approved state is the new "before".
    assert specialist.approved_snapshot["headline"] == "Trauma therapist"
    assert client.get(specialist.get_absolute_url()).status_code == 200


def test_approving_from_the_profile_page_emails_absolute_links(
    admin_client, db, mailoutbox, django_capture_on_commit_callbacks
):
    specialist = queued("Rowan", waited_days=1, user=make_user(email="r@example.org"))

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"{QUEUE}{specialist.pk}/approve/")

    [email] = [message for message in mailoutbox if message.to == ["r@example.org"]]
    assert "http://testserver/specialists/me/" in email.body
    assert f"http://testserver{specialist.get_absolute_url()}" in email.body


def test_staff_request_changes_from_the_profile_page(
    admin_client, db, mailoutbox, django_capture_on_commit_callbacks
):
    specialist = queued("Rowan", waited_days=1, user=make_user(email="r@example.org"))
    url = f"{QUEUE}{specialist.pk}/request-changes/"

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"reason": "Add your registration body."})

    assert response.status_code == 302
    assert response["Location"] == QUEUE
    specialist.refresh_from_db()
    assert specialist.status == Specialist.Status.CHANGES_REQUESTED
    assert specialist.review_note == "Add your registration body."
    assert OutboxMessage.objects.get().subject == "Your profile: changes requested"
    assert mailoutbox[0].to == ["r@example.org"]
    assert "Add your registration body." in mailoutbox[0].body


def test_requesting_changes_without_a_reason_keeps_the_profile_waiting(
    admin_client, db
):
    specialist = queued("Rowan", waited_days=1)

    response = admin_client.post(f"{QUEUE}{specialist.pk}/request-changes/", {})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    specialist.refresh_from_db()
    assert specialist.status == Specialist.Status.PENDING
    assert not OutboxMessage.objects.exists()


def test_a_profile_decided_meanwhile_is_not_decided_again(admin_client, db):
    specialist = queued("Rowan", waited_days=1)
    services.approve(specialist=specialist)

    response = admin_client.post(
        f"{QUEUE}{specialist.pk}/request-changes/", {"reason": "Late."}, follow=True
    )

    assert "That profile is no longer waiting for review." in (
        response.content.decode()
    )
    specialist.refresh_from_db()
    assert specialist.status == Specialist.Status.APPROVED


def test_approving_needs_a_post_with_a_csrf_token(admin_user, db):
    specialist = queued("Rowan", waited_days=1)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    url = f"{QUEUE}{specialist.pk}/approve/"

    assert browser.get(url).status_code == 405
    assert browser.post(url).status_code == 403

    specialist.refresh_from_db()
    assert specialist.status == Specialist.Status.PENDING


# Who may review ----------------------------------------------------------


def test_visitors_and_non_staff_users_are_sent_to_the_login(client, db):
    specialist = queued("Rowan", waited_days=1)
    client.force_login(make_user())

    for response in (
        client.get(QUEUE),
        client.post(f"{QUEUE}{specialist.pk}/approve/"),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    specialist.refresh_from_db()
    assert specialist.status == Specialist.Status.PENDING


def test_staff_without_permission_on_specialists_are_refused(client, db):
    specialist = queued("Rowan", waited_days=1)
    client.force_login(staff_with())

    assert client.get(QUEUE).status_code == 403
    assert client.get(change_page(specialist)).status_code == 403
    assert client.post(f"{QUEUE}{specialist.pk}/approve/").status_code == 403
    response = client.post(f"{QUEUE}{specialist.pk}/request-changes/", {"reason": "x"})
    assert response.status_code == 403
    specialist.refresh_from_db()
    assert specialist.status == Specialist.Status.PENDING


def test_staff_who_may_only_view_specialists_read_the_queue_but_cannot_decide(
    client, db
):
    specialist = queued("Rowan", waited_days=1)
    client.force_login(staff_with("view_specialist"))

    assert client.get(QUEUE).status_code == 200
    page = client.get(change_page(specialist)).content.decode()
    assert "review-approve" not in page
    assert client.post(f"{QUEUE}{specialist.pk}/approve/").status_code == 403
    specialist.refresh_from_db()
    assert specialist.status == Specialist.Status.PENDING


def test_staff_who_may_change_specialists_can_approve(client, db):
    specialist = queued("Rowan", waited_days=1)
    client.force_login(staff_with("view_specialist", "change_specialist"))

    response = client.post(f"{QUEUE}{specialist.pk}/approve/")

    assert response.status_code == 302
    specialist.refresh_from_db()
    assert specialist.status == Specialist.Status.APPROVED


# The approved state -------------------------------------------------------


def test_approving_records_the_profile_as_approved(db):
    specialist = make_specialist(
        status=Specialist.Status.PENDING,
        display_name="Rowan",
        registration_number="PSY-1",
    )

    services.approve(specialist=specialist)

    specialist.refresh_from_db()
    assert specialist.approved_snapshot == {
        "display_name": "Rowan",
        "headline": "Clinical psychologist",
        "photo": "",
        "bio": "",
        "qualifications": "",
        "registration_number": "PSY-1",
        "topics": [],
        "approaches": [],
        "languages": [],
    }


def test_the_note_to_the_specialist_has_a_maximum_length_in_the_admin_too(db):
    # The admin edits it as a model field, past RequestChangesForm's limit.
    form = modelform_factory(Specialist, fields=["review_note"])
    assert form({"review_note": "x" * 2000}).is_valid()
    assert not form({"review_note": "x" * 2001}).is_valid()
