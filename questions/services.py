from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.ratelimit import RateLimit
from outbox.services import compose, enqueue

from .models import Answer, Question, Report, Vote

QUESTIONS_PER_USER = RateLimit(
    "question-user",
    limit=10,
    window=24 * 3600,
    message=_lazy(
        "You have asked %(limit)d questions in the last 24 hours, the most we "
        "accept in a day. Please try again later; your text is still here."
    ),
)


def ask_question(*, author, title, body, topic, is_anonymous):
    """Saves a question. Raises RateLimited when the author has asked ten
    questions in the last 24 hours (hidden or deleted ones count too)."""
    QUESTIONS_PER_USER.check(author.pk)
    return Question.objects.create(
        author=author, title=title, body=body, topic=topic, is_anonymous=is_anonymous
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
    link = site_url + answer.get_absolute_url()
    message = compose("new_answer", {"link": link}, to=[asker.email])
    enqueue(message, about=asker)


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
