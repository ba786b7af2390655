from django.conf import settings
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Topic
from specialists.models import FreeSlot, Specialist

TITLE_MIN_LENGTH = 10
TITLE_MAX_LENGTH = 150
BODY_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 500


class QuestionQuerySet(models.QuerySet):
    def published(self):
        """What the public sees: every question staff have not hidden."""
        return self.filter(is_hidden=False)

    def with_answer_count(self):
        return self.annotate(
            answer_count=Count("answers", filter=Q(answers__is_hidden=False))
        )

    def answered(self):
        """Published questions with at least one visible answer (the sitemap)."""
        visible = Answer.objects.filter(question=OuterRef("pk"), is_hidden=False)
        return self.published().filter(Exists(visible))


class Question(models.Model):
    """Asked by a logged-in user, answered in public by approved specialists."""

    # Null once the asker deletes their account: the question and its answers stay.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
    )
    title = models.CharField(
        _("question"),
        max_length=TITLE_MAX_LENGTH,
        validators=[MinLengthValidator(TITLE_MIN_LENGTH)],
    )
    body = models.TextField(_("details"), max_length=BODY_MAX_LENGTH)
    topic = models.ForeignKey(
        Topic,
        on_delete=models.SET_NULL,
        null=True,
        related_name="questions",
        verbose_name=_("topic"),
    )
    is_anonymous = models.BooleanField(
        _("post anonymously"),
        default=True,
        help_text=_("The author's name is then shown to no one but staff."),
    )
    is_hidden = models.BooleanField(
        _("hidden"), default=False, help_text=_("Hidden questions are not public.")
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            # The public list: published questions, newest first.
            models.Index(
                fields=["-created_at"],
                condition=Q(is_hidden=False),
                name="question_published_idx",
            ),
            # The daily limit counts a user's recent questions.
            models.Index(fields=["author", "created_at"], name="question_author_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("questions:detail", kwargs={"pk": self.pk})

    @property
    def author_name(self):
        """The name the public may see: empty when the question is anonymous,
        the author has deleted their account or has not given a name. Never
        the email address."""
        if self.is_anonymous or self.author is None:
            return ""
        return self.author.name

    def is_asked_by(self, user):
        return user.is_authenticated and self.author_id == user.pk


class AnswerQuerySet(models.QuerySet):
    def visible(self):
        """Answers the public sees: neither they nor their question are hidden."""
        return self.filter(is_hidden=False, question__is_hidden=False)

    def for_page(self, user):
        """A question page's answers: the specialist, the helpful count and,
        for a logged-in user, whether they already marked each one."""
        answers = (
            self.filter(is_hidden=False)
            .select_related("specialist")
            # The page shows the specialist's name, photo and headline only.
            .defer(
                "specialist__bio",
                "specialist__bio_html",
                "specialist__qualifications",
                "specialist__review_note",
            )
            .annotate(
                helpful_count=Count("votes"),
                # Its "Book a free consultation" link only while one can be booked.
                specialist_is_bookable=Exists(
                    FreeSlot.objects.offered().filter(specialist=OuterRef("specialist"))
                ),
            )
            # Meta.ordering does not apply to a query with GROUP BY.
            .order_by("-is_accepted", "created_at", "pk")
        )
        if user.is_authenticated:
            mine = Vote.objects.filter(answer=OuterRef("pk"), user=user)
            answers = answers.annotate(has_voted=Exists(mine))
        return answers


class Answer(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers"
    )
    # Null once the specialist's account is deleted: the answer stays, unsigned.
    specialist = models.ForeignKey(
        Specialist,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answers",
    )
    body = models.TextField(_("answer"), max_length=BODY_MAX_LENGTH)
    is_accepted = models.BooleanField(_("accepted by the asker"), default=False)
    is_hidden = models.BooleanField(
        _("hidden"), default=False, help_text=_("Hidden answers are not shown.")
    )
    created_at = models.DateTimeField(_("answered"), default=timezone.now)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["-is_accepted", "created_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["question"],
                condition=Q(is_accepted=True),
                name="one_accepted_answer_per_question",
            ),
        ]

    def __str__(self):
        return _("Answer %(id)s") % {"id": self.pk}

    def get_absolute_url(self):
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"


class Vote(models.Model):
    """A logged-in user found an answer helpful: once per user and answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="helpful_votes",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("helpful vote")
        verbose_name_plural = _("helpful votes")
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "user"], name="one_helpful_vote_per_user"
            ),
        ]

    def __str__(self):
        return _("Vote %(id)s") % {"id": self.pk}


class Report(models.Model):
    """Someone asks staff to look at a question or an answer (exactly one)."""

    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="question_reports",
    )
    reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved = models.BooleanField(_("dealt with"), default=False)

    class Meta:
        ordering = ["resolved", "-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(question__isnull=False, answer__isnull=True)
                    | Q(question__isnull=True, answer__isnull=False)
                ),
                name="report_has_one_target",
            ),
        ]

    def __str__(self):
        return _("Report %(id)s") % {"id": self.pk}

    @property
    def target(self):
        return self.question or self.answer
