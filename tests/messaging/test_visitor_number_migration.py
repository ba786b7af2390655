"""Conversations made before visitor numbers get one each, distinct per specialist."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("messaging", "0003_conversation_keeps_when_specialist_leaves")]


def migrate(targets=None):
    """Migrates messaging to `targets` (else to its latest); the models of
    every other app are their current ones, as the database has them."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or [
        n for n in executor.loader.graph.leaf_nodes() if n[0] == "messaging"
    ]
    executor.migrate(targets)
    others = [n for n in executor.loader.graph.leaf_nodes() if n[0] != "messaging"]
    return executor.loader.project_state(targets + others).apps


def test_existing_conversations_get_distinct_numbers_per_specialist(
    transactional_db,
):
    old = migrate(BEFORE)
    User = old.get_model("accounts", "User")
    Specialist = old.get_model("specialists", "Specialist")
    Conversation = old.get_model("messaging", "Conversation")
    specialists = [
        Specialist.objects.create(
            user=User.objects.create(email=f"s{n}@example.org"),
            slug=f"s{n}",
            display_name=f"S {n}",
        )
        for n in range(2)
    ]
    for n in range(30):
        Conversation.objects.create(
            user=User.objects.create(email=f"p{n}@example.org"),
            specialist=specialists[n % 2],
        )
    Conversation.objects.create(
        user=User.objects.create(email="left@example.org"), specialist=None
    )

    new = migrate()

    rows = list(
        new.get_model("messaging", "Conversation").objects.values_list(
            "specialist_id", "visitor_number"
        )
    )
    assert len(rows) == 31
    assert len(set(rows)) == 31
    assert all(1000 <= number <= 9999 for _specialist, number in rows)
