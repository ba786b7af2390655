import logging

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import Specialist

logger = logging.getLogger(__name__)


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
    specialist.status = Specialist.Status.CHANGES_REQUESTED
    specialist.review_note = reason
    specialist.reviewed_at = timezone.now()
    specialist.save(
        update_fields=["status", "review_note", "reviewed_at", "updated_at"]
    )
    link = reverse("specialists:dashboard")
    if request is not None:
        link = request.build_absolute_uri(link)
    transaction.on_commit(lambda: _send_changes_requested(specialist, reason, link))
    return specialist


def _send_changes_requested(specialist, reason, link):
    try:
        send_mail(
            _("Your profile: changes requested"),
            _(
                "Hello %(name)s,\n\nBefore your profile can be published, please "
                "change the following:\n\n%(reason)s\n\nEdit your profile: %(link)s\n"
            )
            % {"name": specialist.display_name, "reason": reason, "link": link},
            None,
            [specialist.user.email],
        )
    except Exception:
        # The request stays on the profile (review_note) and the dashboard shows it.
        logger.exception(
            "Could not email specialist %s about requested changes", specialist.pk
        )
