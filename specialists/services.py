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


def approve(*, specialist):
    specialist.status = Specialist.Status.APPROVED
    specialist.review_note = ""
    specialist.reviewed_at = timezone.now()
    specialist.save(
        update_fields=["status", "review_note", "reviewed_at", "updated_at"]
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
    link = reverse("specialists:dashboard")
    if request is not None:
        link = request.build_absolute_uri(link)
    message = compose(
        "profile_changes_requested",
        {"name": specialist.display_name, "reason": reason, "link": link},
        to=[specialist.user.email],
    )
    enqueue(message, about=specialist.user)
    return specialist
