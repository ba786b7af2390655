import math

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from core.markdown import ARTICLE_BODY_MAX_LENGTH, render, validate_markdown
from core.models import Topic

WORDS_PER_MINUTE = 200


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__lte=timezone.now()
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences; also the page's meta description."),
    )
    body = MarkdownxField(
        _("body"),
        max_length=ARTICLE_BODY_MAX_LENGTH,
        validators=[validate_markdown],
        help_text=_("Markdown. Sections start with ##."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    reviewed_by = models.CharField(
        _("reviewed by"),
        max_length=200,
        blank=True,
        help_text=_("Name and qualification of the reviewer."),
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    next_review_due = models.DateField(_("next review due"), null=True, blank=True)

    # Derived from body when saved, so a page view never renders Markdown.
    body_html = models.TextField(editable=False, blank=True)
    toc = models.JSONField(editable=False, default=list)
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=1)

    history = HistoricalRecords(excluded_fields=["body_html", "toc", "reading_minutes"])
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            # Article.objects.published(): the list, the feed and the sitemap.
            models.Index(
                fields=["status", "-published_at"], name="article_published_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        rendered = render(self.body)
        self.body_html = rendered.html
        self.toc = rendered.toc
        self.reading_minutes = max(1, math.ceil(rendered.word_count / WORDS_PER_MINUTE))
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "body_html",
                "toc",
                "reading_minutes",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


class Reference(models.Model):
    """An annotated academic source cited by an article."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="references"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    authors = models.CharField(_("authors"), max_length=500)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=500)
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("Journal or publisher.")
    )
    volume = models.CharField(_("volume"), max_length=20, blank=True)
    issue = models.CharField(_("issue"), max_length=20, blank=True)
    pages = models.CharField(_("pages"), max_length=40, blank=True)
    annotation = models.TextField(_("annotation"), max_length=2000, blank=True)
    relevant_parts = models.CharField(
        _("relevant pages or chapters"),
        max_length=500,
        blank=True,
        help_text=_('For example: "Chapters 2 and 3 discuss …".'),
    )
    doi = models.CharField(
        _("DOI"), max_length=200, blank=True, help_text=_("10.xxxx/…")
    )
    url = models.URLField(_("URL"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "position", "pk"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")

    def __str__(self):
        return self.citation()

    @property
    def link(self):
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url

    def source_details(self):
        """ "18(2), 133-164" from volume, issue and pages, as APA writes them."""
        details = self.volume
        if self.issue:
            details += f"({self.issue})"
        return ", ".join(part for part in (details, self.pages) if part)

    def citation(self):
        """The reference in APA style, as plain text."""
        year = f" ({self.year})" if self.year else ""
        source = ", ".join(
            part for part in (self.source, self.source_details()) if part
        )
        text = f"{self.authors}{year}. {self.title}."
        return f"{text} {source}." if source else text
