"""The directory's text search (specialists/search.py). Every test here runs
on SQLite and on PostgreSQL (DATABASE_URL=postgres://...) and expects the same
profiles on both: full-text search there, the LIKE fallback here."""

import pytest
from django.db import connection

from specialists.search import search_words
from tests.factories import make_specialist
from tests.html import card_names

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's full-text search"
)


def found(client, query):
    return card_names(client.get("/specialists/", {"q": query}))


@pytest.fixture
def people(db):
    make_specialist(
        display_name="Zoë Ørsted",
        headline="Trauma therapist",
        bio="Calm sessions after online harassment.",
        city="Århus",
        country="DK",
    )
    make_specialist(
        display_name="Zoe Martin",
        headline="Counsellor",
        bio="Workplace bullying, anxiety; sleep.",
        city="Lyon",
        country="FR",
    )
    make_specialist(
        display_name="Ben O'Brien",
        headline="Clinical psychologist",
        bio="Stalking & threats (in person or by video).",
        city="Cork",
        country="IE",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Accents and case, either way round.
        ("zoe", ["Zoe Martin", "Zoë Ørsted"]),
        ("Zoë", ["Zoe Martin", "Zoë Ørsted"]),
        ("ZOË", ["Zoe Martin", "Zoë Ørsted"]),
        ("orsted", ["Zoë Ørsted"]),
        ("aarhus", []),  # folding is no spelling reform
        ("arhus", ["Zoë Ørsted"]),
        # Several words: each must begin a word somewhere in the profile.
        ("zoe trauma", ["Zoë Ørsted"]),
        ("zoe lyon anxiety", ["Zoe Martin"]),
        ("zoe cork", []),
        # Prefixes of words, not pieces of them.
        ("psych", ["Ben O'Brien"]),
        ("anx sle", ["Zoe Martin"]),
        ("chologist", []),
        ("ychol", []),
        # Punctuation is no part of a word.
        ("o'brien", ["Ben O'Brien"]),
        ("brien", ["Ben O'Brien"]),
        ("anxiety;", ["Zoe Martin"]),
        ("bullying,anxiety", ["Zoe Martin"]),
        # Country names, related names.
        ("denmark", ["Zoë Ørsted"]),
        ("ireland stalking", ["Ben O'Brien"]),
        ("nobody", []),
    ],
)
def test_search_finds_the_same_profiles_on_every_database(
    client, people, query, expected
):
    assert sorted(found(client, query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("&", "all"),
        ("|", "all"),
        ("!", "all"),
        (":*", "all"),
        ("( )", "all"),
        ("'", "all"),
        ("''", "all"),
        ("\\", "all"),
        ("%", "all"),
        ("_", "all"),
        ("<->", "all"),
        ("zoe & !martin", ["Zoe Martin"]),  # no operators: both words must match
        ("zoe | ben", []),
        ("ben:*", ["Ben O'Brien"]),
        ("'ben'", ["Ben O'Brien"]),
        ("(ben", ["Ben O'Brien"]),
        ("ben <-> brien", ["Ben O'Brien"]),
        ("ben\\'", ["Ben O'Brien"]),
        ("b%n", []),  # LIKE's wildcards are characters like any other
        ("z_e", []),
        ("x" * 100, []),
        (" ".join(["zo"] * 30), ["Zoe Martin", "Zoë Ørsted"]),  # 89 characters
    ],
)
def test_query_syntax_typed_into_the_search_is_never_an_error(
    client, people, query, expected
):
    everyone = ["Ben O'Brien", "Zoe Martin", "Zoë Ørsted"]
    assert sorted(found(client, query)) == (everyone if expected == "all" else expected)


def test_search_without_rank_keeps_the_directory_order(client, people):
    # Deterministic on both databases: no one is bookable here, so by name
    # (on PostgreSQL the rank ties, as every match has the word once).
    assert found(client, "zoe") == ["Zoe Martin", "Zoë Ørsted"]


@on_postgresql
def test_postgresql_ranks_the_profile_that_says_it_most_first(client, db):
    make_specialist(display_name="Anna Adler", bio="Some trauma work.")
    make_specialist(
        display_name="Zora Zeller",
        headline="Trauma therapist",
        bio="Trauma, trauma-informed care, complex trauma.",
    )

    assert found(client, "trauma") == ["Zora Zeller", "Anna Adler"]


@on_postgresql
def test_postgresql_splits_the_stored_words_as_python_does(db):
    text = "Zoë Łódź хлеб नमस्ते 東京 abc123 123abc 1e5 e5 o'brien a-b ß İstanbul"
    words = search_words(text)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_to_string(tsvector_to_array("
            "to_tsvector('simple'::regconfig, %s)), ' ')",
            [" ".join(words)],
        )
        lexemes = cursor.fetchone()[0].split()
    assert sorted(lexemes) == sorted(set(words))


def test_search_words_are_folded_and_free_of_punctuation():
    assert search_words("Zoë O'Brien-Łódź, (Ærø) & ß!") == [
        "zoe", "o", "brien", "lodz", "aero", "ss",
    ]  # fmt: skip
    assert search_words("&|!:*()'<->\\%_") == []
