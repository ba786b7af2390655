import io

from django.core.management import call_command

from articles.models import Article, Reference
from core.models import Topic


def load():
    call_command("load_content", stdout=io.StringIO())


def snapshot():
    return (
        list(Article.objects.values()),
        list(Reference.objects.values()),
        list(Topic.objects.values()),
    )


def test_loading_twice_changes_nothing(db):
    load()
    first = snapshot()

    load()

    assert snapshot() == first
    assert Article.objects.count() == 1
    assert Reference.objects.count() == 2


def test_loading_keeps_what_an_admin_edited(db):
    load()
    article = Article.objects.get()
    article.title = "A title an editor chose"
    article.save()
    article.references.first().delete()

    load()

    article.refresh_from_db()
    assert article.title == "A title an editor chose"
    assert article.references.count() == 1


def test_loaded_article_is_published_with_its_topics_and_ordered_references(db):
    load()

    article = Article.objects.get()
    assert article.is_published
    assert [t.name for t in article.topics.all()] == [
        "Relationships",
        "Sexual harassment",
    ]
    assert [r.position for r in article.references.all()] == [1, 2]
    assert article.references.first().authors == "Lonsway, K. A., & Fitzgerald, L. F."
