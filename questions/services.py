import math
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outbox.services import enqueue

from .models import Answer, Question, Report, Vote

DAILY_LIMIT = 10
LIMIT_WINDOW = timedelta(days=1)


class RateLimited(ValidationError):
    """Too many questions in the last day; retry_after is in whole seconds."""

    def __init__(self, message, *, retry_after, **kwargs):
        super().__init__(message, code="rate_limited", **kwargs)
        self.retry_after = retry_after


def ask_question(*, author, title, body, topic, is_anonymous):
    """Saves a question. Raises RateLimited when the author has asked
    DAILY_LIMIT questions in the last 24 hours (hidden ones count too)."""
    now = timezone.now()
    with transaction.atomic():
        # Locking the user's row makes two simultaneous questions count one
        # after the other (PostgreSQL; SQLite's IMMEDIATE transactions already do).
        get_user_model().objects.select_for_update().only("pk").get(pk=author.pk)
        recent = Question.objects.filter(
            author=author, created_at__gte=now - LIMIT_WINDOW
        ).order_by("created_at")
        times = list(recent.values_list("created_at", flat=True)[:DAILY_LIMIT])
        if len(times) >= DAILY_LIMIT:
            wait = times[0] + LIMIT_WINDOW - now
            raise RateLimited(
                _(
                    "You have asked %(limit)d questions in the last 24 hours, the "
                    "most we accept in a day. Please try again later; your text "
                    "is still here."
                ),
                params={"limit": DAILY_LIMIT},
                retry_after=max(1, math.ceil(wait.total_seconds())),
            )
        return Question.objects.create(
            author=author,
            title=title,
            body=body,
            topic=topic,
            is_anonymous=is_anonymous,
            created_at=now,
        )


@transaction.atomic
def publish_answer(*, question, specialist, body, site_url=""):
    """Saves a specialist's answer and emails the asker once it has committed."""
    answer = Answer.objects.create(question=question, specialist=specialist, body=body)
    # The sitemap's lastmod: the page changed.
    Question.objects.filter(pk=question.pk).update(updated_at=answer.created_at)
    asker = question.author
    if asker is not None and asker.pk != specialist.user_id:
        _notify_asker(asker, answer, site_url)
    return answer


def _notify_asker(asker, answer, site_url):
    """Neither the question nor the topic goes into the email: mailbox
    previews are often seen by others."""
    enqueue(
        EmailMessage(
            subject=_("You have a new answer"),
            body=_(
                "Hello,\n\nA specialist has answered your question. For your "
                "privacy, we do not put the question or the answer in emails. "
                "Read it here:\n\n%(link)s\n"
            )
            % {"link": site_url + answer.get_absolute_url()},
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[asker.email],
        )
    )


def mark_helpful(*, answer, user):
    """Records that `user` found the answer helpful. Raises ValidationError
    for a second vote or a vote on one's own answer."""
    if answer.specialist is not None and answer.specialist.user_id == user.pk:
        raise ValidationError(
            _("You cannot mark your own answer as helpful."), code="own_answer"
        )
    try:
        with transaction.atomic():
            return Vote.objects.create(answer=answer, user=user)
    except IntegrityError:
        raise ValidationError(
            _("You have already marked this answer as helpful."), code="duplicate"
        ) from None


@transaction.atomic
def accept_answer(*, answer):
    """Makes `answer` the one accepted answer of its question."""
    Answer.objects.filter(question_id=answer.question_id, is_accepted=True).exclude(
        pk=answer.pk
    ).update(is_accepted=False)
    answer.is_accepted = True
    answer.save(update_fields=["is_accepted"])
    return answer


def report(*, reporter, reason, question=None, answer=None):
    return Report.objects.create(
        reporter=reporter, reason=reason, question=question, answer=answer
    )


@transaction.atomic
def hide_reported(*, reports):
    """Hides every question and answer these reports are about, and marks
    the reports as dealt with. Returns how many items were hidden."""
    reports = list(reports)
    question_ids = {r.question_id for r in reports if r.question_id}
    answer_ids = {r.answer_id for r in reports if r.answer_id}
    hidden = Question.objects.filter(pk__in=question_ids).update(is_hidden=True)
    hidden += Answer.objects.filter(pk__in=answer_ids).update(is_hidden=True)
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(resolved=True)
    return hidden
