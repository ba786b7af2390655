from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from core import pagecache
from core.models import Topic
from tests.factories import make_article, make_staff

URL = "/articles/complex-roots-of-harassment/"


def test_anonymous_reader_is_served_from_memory_after_one_query(
    client, seed_article, django_assert_num_queries
):
    first = client.get(URL)

    with django_assert_num_queries(1):
        second = client.get(URL)

    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["Vary"] == first["Vary"]


def test_an_edit_without_a_signal_shows_up_at_once(
    client, seed_article, django_capture_on_commit_callbacks
):
    client.get(URL)

    # A queryset update sends no signal; the SQL it sends is noticed.
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=seed_article.pk).update(title="A corrected title")

    assert b"A corrected title" in client.get(URL).content


def test_an_edit_through_another_worker_shows_up_at_once(client, seed_article):
    client.get(URL)
    # Another process's write: this one notices nothing but the number.
    with connection.execute_wrapper(lambda execute, *args: execute(*args)):
        connection.execute_wrappers.remove(pagecache.notice_writes)
        try:
            Article.objects.filter(pk=seed_article.pk).update(title="A new title")
        finally:
            connection.execute_wrappers.insert(0, pagecache.notice_writes)
    assert b"A new title" not in client.get(URL).content

    pagecache.bump()

    assert b"A new title" in client.get(URL).content


def test_a_reference_edit_shows_up_at_once(
    client, seed_article, django_capture_on_commit_callbacks
):
    client.get(URL)

    reference = seed_article.references.get(position=2)
    reference.title = "A corrected reference title"
    with django_capture_on_commit_callbacks(execute=True):
        reference.save()

    assert b"A corrected reference title" in client.get(URL).content


def test_a_topic_rename_shows_up_at_once(
    client, seed_article, django_capture_on_commit_callbacks
):
    client.get(URL)

    topic = Topic.objects.get(slug="relationships")
    topic.name = "Close relationships"
    with django_capture_on_commit_callbacks(execute=True):
        topic.save()

    assert b"Close relationships" in client.get(URL).content


def test_unpublishing_removes_the_page_at_once(
    client, seed_article, django_capture_on_commit_callbacks
):
    client.get(URL)

    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=seed_article.pk).update(status=Article.Status.DRAFT)

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

    assert len(queries) > 1


def test_cached_page_is_per_host(client, seed_article, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    client.get(URL)

    other = client.get(URL, HTTP_HOST="other.example")

    assert b'href="http://other.example/articles/' in other.content


def test_a_kept_page_is_rendered_again_after_its_max_age(
    client, seed_article, settings
):
    client.get(URL)
    settings.PAGE_CACHE_MAX_AGE = 0

    with CaptureQueriesContext(connection) as queries:
        client.get(URL)

    assert len(queries) > 1


def test_one_visitors_query_string_never_reaches_anothers_page(client, seed_article):
    client.get(f"{URL}?msg=only-for-this-visitor")

    page = client.get(URL).content.decode()

    assert "only-for-this-visitor" not in page
    assert f'href="/accounts/login/?next={URL}"' in page
    assert f'href="/accounts/signup/?next={URL}"' in page


def test_a_page_requested_with_a_query_string_is_not_kept(client, seed_article):
    client.get(f"{URL}?msg=x")

    assert pagecache.plain_pages.page_count() == 0
    assert pagecache.queried_pages.page_count() == 0


def test_a_query_string_request_is_not_served_the_kept_page(client, seed_article):
    client.get(URL)

    page = client.get(f"{URL}?utm=y").content.decode()

    # Its own links, not the kept page's: the page was rendered for it.
    assert f"next={URL}%3Futm%3Dy" in page
