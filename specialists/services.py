from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from outbox.services import compose, enqueue

from .models import Specialist


def unique_slug(name):
    base = slugify(name)[:70] or "specialist"
    slug, n = base, 1
    while Specialist.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def save_profile(*, form, user, submit=False):
    """Creates or updates the user's profile from a valid SpecialistForm.

    An approved profile whose reviewed fields change goes back to review (and
    out of the directory) until staff approve it again.
    """
    specialist = form.save(commit=False)
    if specialist.pk is None:
        specialist.user = user
        specialist.slug = unique_slug(specialist.display_name)
    elif specialist.status == Specialist.Status.APPROVED and set(
        form.changed_data
    ) & set(Specialist.REVIEWED_FIELDS):
        specialist.submit_for_review()
    if submit and specialist.status in (
        Specialist.Status.DRAFT,
        Specialist.Status.CHANGES_REQUESTED,
    ):
        specialist.submit_for_review()
    specialist.save()
    form.save_m2m()
    return specialist


def submit_for_review(*, specialist):
    if specialist.status in (
        Specialist.Status.DRAFT,
        Specialist.Status.CHANGES_REQUESTED,
    ):
        specialist.submit_for_review()
        specialist.save(update_fields=["status", "submitted_at", "updated_at"])
    return specialist


@transaction.atomic
def approve(*, specialist, request=None):
    """Publishes the profile and tells its owner, with links to their
    dashboard and public page (unless they turned review emails off, or it
    was approved already)."""
    was_approved = specialist.status == Specialist.Status.APPROVED
    specialist.status = Specialist.Status.APPROVED
    specialist.review_note = ""
    specialist.reviewed_at = timezone.now()
    specialist.approved_snapshot = specialist.review_snapshot()
    specialist.save(
        update_fields=[
            "status",
            "review_note",
            "reviewed_at",
            "approved_snapshot",
            "updated_at",
        ]
    )
    if was_approved:
        return specialist
    _tell_owner(
        specialist,
        "profile_approved",
        request,
        page_link=_absolute(request, specialist.get_absolute_url()),
    )
    return specialist


@transaction.atomic
def request_changes(*, specialist, reason, request=None):
    """Sends the profile back to its owner with `reason`, on the dashboard and
    by email (queued in the outbox, so a mail server that is down delays it
    without losing it)."""
    specialist.status = Specialist.Status.CHANGES_REQUESTED
    specialist.review_note = reason
    specialist.reviewed_at = timezone.now()
    specialist.save(
        update_fields=["status", "review_note", "reviewed_at", "updated_at"]
    )
    _tell_owner(specialist, "profile_changes_requested", request, reason=reason)
    return specialist


def _tell_owner(specialist, email, request, **context):
    """Queues emails/<email>.txt to the profile's owner, with the link to
    their dashboard, where the review's outcome is shown whether or not they
    get these emails."""
    if not specialist.email_review_updates:
        return
    message = compose(
        email,
        {
            "name": specialist.display_name,
            "link": _absolute(request, reverse("specialists:dashboard")),
            **context,
        },
        to=[specialist.user.email],
    )
    enqueue(message, about=specialist.user)


def _absolute(request, path):
    """Links in emails are built from the request that caused them, as
    everywhere on the site (there is no SITE_URL setting); without one (a
    call from code) the path alone."""
    return request.build_absolute_uri(path) if request is not None else path
