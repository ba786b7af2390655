import pytest

from core.models import Topic
from tests.factories import (
    make_answer,
    make_bookable_specialist,
    make_question,
    make_verified_user,
)

# The asker of an anonymous question: neither may ever reach the public.
ASKER_NAME = "Zelda Quillfeather"
ASKER_EMAIL = "zelda.asker@example.org"


@pytest.fixture
def topic(db):
    return Topic.objects.create(name="Workplace harassment", slug="workplace")


@pytest.fixture
def asker(db):
    return make_verified_user(email=ASKER_EMAIL, name=ASKER_NAME)


@pytest.fixture
def question(asker, topic):
    return make_question(
        author=asker,
        topic=topic,
        title="How do I talk to my manager?",
        body="It started months ago.\nI do not know where to begin.",
    )


@pytest.fixture
def specialist(db):
    return make_bookable_specialist(
        user=make_verified_user(email="rowan@example.org"),
        display_name="Rowan Ash",
        slug="rowan-ash",
        headline="Clinical psychologist",
        offers_free_consultation=True,
    )


@pytest.fixture
def answer(question, specialist):
    return make_answer(
        question, specialist=specialist, body="Start by writing it down."
    )
