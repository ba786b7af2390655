"""The anonymous article page, served from each worker's memory.

The article page is the same bytes for every anonymous visitor, and it is the
page people arrive on. This middleware keeps the last rendered page (status,
headers, body) per host and slug, and serves it again while the article's
version in the database (its primary key and updated_at) is unchanged. That
check is one indexed query on every request, so an edit, an unpublished or a
deleted article shows at once in every worker; it is raw SQL because building
the same query with the ORM costs more than the rest of the cached response.

The page also lists specialists whose topics match the article, which change
without the article changing: a kept page is therefore rendered again after
ARTICLE_PAGE_MAX_AGE seconds (5 minutes) at the latest.

It ends with the "If you are in danger now" block, whose numbers depend on the
reader's country (their choice in a cookie, else their browser's language; see
helplines/country.py). A page is therefore kept per country as well: the key
holds the country the block was rendered for, which the block records on the
request, and a request is looked up under the country it resolves to. Country
codes are a short, known list, so this multiplies the kept pages by at most
the number of countries we have, never by whatever a header says. An admin's
edit of a line shows within ARTICLE_PAGE_MAX_AGE, like the specialists.

Only visitors without a session or messages cookie are served from here, and
only responses that set no cookie and asked for no CSRF token are kept, so
nothing personal is ever stored or shown. A request with a query string is
neither served from here nor kept: the page carries the address it was asked
for (the Log in and Sign up links' `next`), and one visitor's query string
must never reach everyone else's page. A link with a query string (a campaign
tag, a typo) costs a render, nothing more. Staff always have a session, so draft
previews never come from here.
"""

import re
import time
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone

from core.models import Topic
from helplines.country import choose as reader_country

from .models import Article, Reference

ARTICLE_PATH = re.compile(r"^/articles/(?P<slug>[-a-zA-Z0-9_]+)/$")
MAX_PAGES = 500
_pages = {}  # (scheme, host, slug, country) -> (version, headers, body, stored_at)

_fields = {
    name: Article._meta.get_field(name).column
    for name in ("slug", "status", "published_at", "updated_at")
}
# Article.objects.published().filter(slug=...).values_list("pk", "updated_at")
VERSION_SQL = (
    f"SELECT {Article._meta.pk.column}, {_fields['updated_at']} "
    f"FROM {Article._meta.db_table} "
    f"WHERE {_fields['slug']} = %s AND {_fields['status']} = %s "
    f"AND {_fields['published_at']} <= %s"
)


def _version(pk, updated_at):
    # SQLite hands back naive UTC datetimes (or text), PostgreSQL aware ones.
    if isinstance(updated_at, str):
        updated_at = datetime.fromisoformat(updated_at)
    if timezone.is_naive(updated_at):
        updated_at = timezone.make_aware(updated_at, UTC)
    return pk, updated_at


def published_version(slug):
    """(pk, updated_at) of the published article with this slug, or None."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL, [slug, Article.Status.PUBLISHED, now])
        row = cursor.fetchone()
    return _version(*row) if row else None


def remember_version(request, article):
    """Called by the view with the article it renders: the page can be kept
    under this version, with no extra query."""
    if article.is_published:
        request.article_page_version = _version(article.pk, article.updated_at)


def clear():
    _pages.clear()


def _is_shareable(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


class ArticlePageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = ARTICLE_PATH.match(request.path_info)
        if match is None or not _is_shareable(request):
            return self.get_response(request)
        where = (request.scheme, request.get_host(), match["slug"])
        cached = _pages.get((*where, reader_country(request).code))
        if (
            cached is not None
            and time.monotonic() - cached[3] < settings.ARTICLE_PAGE_MAX_AGE
            and cached[0] == published_version(match["slug"])
        ):
            return HttpResponse(cached[2], headers=cached[1])
        # Nothing kept, or out of date: the view renders, and says which
        # version of the article it rendered (a draft or a 404 says none).
        response = self.get_response(request)
        version = getattr(request, "article_page_version", None)
        if (
            version is not None
            and request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            # The page asked for a CSRF token: a per-visitor value, never shared.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            if len(_pages) >= MAX_PAGES:
                _pages.pop(next(iter(_pages)))
            # Kept under the country the page was rendered for.
            country = getattr(request, "helpnow_country", "")
            _pages[(*where, country)] = (
                version,
                dict(response.items()),
                response.content,
                time.monotonic(),
            )
        return response


# What the page shows from other tables moves the article's version too.
def _touch(articles):
    articles.update(updated_at=timezone.now())


@receiver([post_save, post_delete], sender=Reference)
def _reference_changed(instance, **kwargs):
    _touch(Article.objects.filter(pk=instance.article_id))


@receiver(m2m_changed, sender=Article.topics.through)
def _topics_changed(instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and reverse:
        _touch(Article.objects.filter(topics=instance))
    elif action in ("post_add", "post_remove", "post_clear"):
        if not reverse:
            _touch(Article.objects.filter(pk=instance.pk))
        elif pk_set:
            _touch(Article.objects.filter(pk__in=pk_set))


@receiver([post_save, pre_delete], sender=Topic)
def _topic_changed(instance, **kwargs):
    _touch(Article.objects.filter(topics=instance))
