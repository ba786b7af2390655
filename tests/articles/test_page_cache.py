from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from tests.factories import make_article, make_staff

URL = "/articles/complex-roots-of-harassment/"


def test_anonymous_reader_is_served_from_memory_without_queries(
    client, seed_article, django_assert_num_queries
):
    first = client.get(URL)

    with django_assert_num_queries(0):
        second = client.get(URL)

    assert second.status_code == 200
    assert second.content == first.content


def test_an_edit_shows_up_at_once(client, seed_article):
    client.get(URL)

    seed_article.title = "A corrected title"
    seed_article.save()

    assert b"A corrected title" in client.get(URL).content


def test_a_reference_edit_shows_up_at_once(client, seed_article):
    client.get(URL)

    reference = seed_article.references.get(position=2)
    reference.title = "A corrected reference title"
    reference.save()

    assert b"A corrected reference title" in client.get(URL).content


def test_unpublishing_removes_the_page_at_once(client, seed_article):
    client.get(URL)

    seed_article.status = Article.Status.DRAFT
    seed_article.save()

    assert client.get(URL).status_code == 404


def test_staff_preview_is_never_cached_for_the_public(client, db):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    client.force_login(make_staff())
    assert client.get(draft.get_absolute_url()).status_code == 200

    client.logout()

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_visitors_with_a_session_or_messages_get_a_fresh_page(client, seed_article):
    client.get(URL)
    client.cookies[CookieStorage.cookie_name] = "pending"

    with CaptureQueriesContext(connection) as queries:
        client.get(URL)

    assert len(queries) > 0


def test_cached_page_is_per_host(client, seed_article, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    client.get(URL)

    other = client.get(URL, HTTP_HOST="other.example")

    assert b'href="http://other.example/articles/' in other.content


def test_a_newly_published_article_is_not_blocked_by_a_cached_404(client, db):
    article = make_article(status=Article.Status.DRAFT, published_at=None)
    assert client.get(article.get_absolute_url()).status_code == 404

    article.status = Article.Status.PUBLISHED
    article.save()

    assert client.get(article.get_absolute_url()).status_code == 200
