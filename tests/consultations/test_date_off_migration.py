"""Dates off became ranges: each single date saved before is kept as a
one-day range, so no saved day off is lost."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from consultations.models import DateOff

BEFORE_RANGES = [("consultations", "0005_calendar_feed")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.migrate(targets).apps


@pytest.mark.django_db(transaction=True)
def test_each_single_date_off_becomes_a_one_day_range():
    old = migrate(BEFORE_RANGES)
    user = old.get_model("accounts", "User").objects.create(email="s@example.org")
    specialist = old.get_model("specialists", "Specialist").objects.create(
        user=user, slug="sam", display_name="Sam", headline="Psychologist"
    )
    availability = old.get_model("consultations", "Availability").objects.create(
        specialist=specialist
    )
    for day in (date(2030, 1, 7), date(2030, 1, 9)):
        old.get_model("consultations", "DateOff").objects.create(
            availability=availability, date=day
        )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert list(DateOff.objects.values_list("start", "end")) == [
        (date(2030, 1, 7), date(2030, 1, 7)),
        (date(2030, 1, 9), date(2030, 1, 9)),
    ]
