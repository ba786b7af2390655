"""Topic moved from articles to core without touching its table: the rows and
every link from articles, specialists and questions must survive the move."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.models import Topic

# Migrating core back to zero also unapplies every migration that depends on
# it: the state-only moves in articles, specialists and questions.
BEFORE_THE_MOVE = [("core", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.migrate(targets).apps


@pytest.mark.django_db(transaction=True)
def test_topics_and_their_links_survive_the_move_to_core():
    old = migrate(BEFORE_THE_MOVE)
    assert old.get_model("articles", "Topic")._meta.db_table == "articles_topic"
    work = old.get_model("articles", "Topic").objects.create(
        name="Workplace harassment", slug="workplace"
    )
    online = old.get_model("articles", "Topic").objects.create(
        name="Online harassment", slug="online"
    )
    article = old.get_model("articles", "Article").objects.create(
        title="At work", slug="at-work", summary="S.", body="Text."
    )
    article.topics.set([work, online])
    user = old.get_model("accounts", "User").objects.create(email="s@example.org")
    specialist = old.get_model("specialists", "Specialist").objects.create(
        user=user, slug="sam", display_name="Sam", headline="Psychologist"
    )
    specialist.topics.set([online])
    question = old.get_model("questions", "Question").objects.create(
        title="What can I do at work?", body="Details.", topic=work
    )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert list(Topic.objects.values_list("pk", "slug")) == [
        (online.pk, "online"),
        (work.pk, "workplace"),
    ]
    moved = Topic.objects.get(slug="workplace")
    assert [a.pk for a in moved.articles.all()] == [article.pk]
    assert [q.pk for q in moved.questions.all()] == [question.pk]
    moved_online = Topic.objects.get(slug="online")
    assert [a.pk for a in moved_online.articles.all()] == [article.pk]
    assert [s.pk for s in moved_online.specialists.all()] == [specialist.pk]
