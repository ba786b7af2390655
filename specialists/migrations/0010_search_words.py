import unicodedata

from django.db import migrations
from django.utils import translation

# Copies of specialists.search.fold and search_words as they were when this
# migration was written: a migration must keep working whatever later happens
# to the app's code.
_UNDECOMPOSED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)
MAX_WORD_LENGTH = 60


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_words(text):
    spaced = "".join(c if unicodedata.category(c)[0] in "LNM" else " " for c in fold(text))
    return [word for word in spaced.split() if len(word) <= MAX_WORD_LENGTH]


def fill_search_text(apps, schema_editor):
    """The search text as words only (it was the folded text, punctuation and
    all), in batches so that a large directory never sits in memory at once."""
    Specialist = apps.get_model("specialists", "Specialist")
    pks = list(Specialist.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), 500):
        specialists = list(
            Specialist.objects.filter(pk__in=pks[start : start + 500]).prefetch_related(
                "topics", "approaches", "languages"
            )
        )
        for specialist in specialists:
            with translation.override("en"):
                country = str(specialist.country.name) if specialist.country else ""
            parts = [
                specialist.display_name,
                specialist.headline,
                specialist.bio,
                specialist.city,
                country,
            ]
            for related in (specialist.topics, specialist.approaches, specialist.languages):
                parts.extend(item.name for item in related.all())
            specialist.search_text = " ".join(search_words(" ".join(parts)))
        Specialist.objects.bulk_update(specialists, ["search_text"])


# PostgreSQL only: the words as a tsvector, stored (ranking reads it for every
# match; computing to_tsvector per row at query time costs ~50 µs a row), and
# indexed for the @@ match. SQLite has neither, and needs neither.
ADD_SEARCH_VECTOR = """
ALTER TABLE specialists_specialist ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED;
CREATE INDEX specialist_search_vector_idx ON specialists_specialist
    USING gin (search_vector);
"""
DROP_SEARCH_VECTOR = """
DROP INDEX IF EXISTS specialist_search_vector_idx;
ALTER TABLE specialists_specialist DROP COLUMN IF EXISTS search_vector;
"""


def add_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD_SEARCH_VECTOR)


def drop_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SEARCH_VECTOR)


class Migration(migrations.Migration):

    dependencies = [
        ("specialists", "0009_markdown_limits"),
    ]

    operations = [
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(add_search_vector, drop_search_vector),
    ]
