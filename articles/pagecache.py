"""A short-lived cache of the article page as anonymous visitors see it.

The article page is the same bytes for every anonymous visitor, and it is the
page people arrive on. Serving it from this process's memory, with no database
query and no template rendering, keeps it nearly as fast as a static file.

Each worker process keeps its own copy for ARTICLE_PAGE_CACHE_SECONDS. A save
in the admin clears this process's copies at once; other workers pick up the
change when their copy expires. Only visitors without a session or messages
cookie are served from here, so nothing personal is ever stored or shown.
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import Article, Reference

_cache = caches["article_pages"]


def _key(request, slug):
    return f"{request.get_host()}|{slug}"


def _is_anonymous_without_state(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def get(request, slug):
    if not _is_anonymous_without_state(request):
        return None
    return _cache.get(_key(request, slug))


def store(request, slug, content):
    # A page that asked for a CSRF token carries a per-visitor value: never share it.
    if _is_anonymous_without_state(request) and not request.META.get(
        "CSRF_COOKIE_NEEDS_UPDATE"
    ):
        _cache.set(_key(request, slug), content, settings.ARTICLE_PAGE_CACHE_SECONDS)


@receiver([post_save, post_delete], sender=Article)
@receiver([post_save, post_delete], sender=Reference)
@receiver(m2m_changed, sender=Article.topics.through)
def _clear(**kwargs):
    _cache.clear()
