"""The directory's text search: PostgreSQL's full-text search, ranked, and on
SQLite a fallback that finds the same profiles.

Both look at Specialist.search_text, which save() and signals.py keep as the
profile's words (search_words()): folded in Python (no case, no accents: "Zoë"
and "zoe" are one word, without PostgreSQL's unaccent extension, which a
managed database may not allow), with everything that is not a letter, digit
or mark turned into a space. A typed word matches a stored word it begins:
"psych" finds "psychologist"; every typed word must match.

- PostgreSQL: a stored tsvector column, to_tsvector('simple', search_text),
  with a GIN index (both made by migration 0010, on PostgreSQL only: neither
  exists on SQLite), searched with a prefix tsquery ('psych':* & 'berlin':*)
  and ranked with ts_rank. The 'simple' configuration neither stems nor drops
  stop words: a word is found exactly when the fallback finds it. The stored
  words hold nothing PostgreSQL's parser splits or joins (no punctuation, one
  space between words), so its words are ours (a test compares them).
- SQLite: a word is a prefix of a stored word when the text starts with it or
  holds it after a space; LIKE, scanning the rows. No rank: the directory's
  own order (featured first, by name).

What people type never reaches the query syntax: only the words survive
search_words(), so `& | ! : * ( ) '` are spaces and cannot make an error.
"""

import unicodedata

from django.db import connections
from django.db.models import BooleanField, Expression, FloatField, Q

# Letters Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)
# Longer "words" are no words anyone types (PostgreSQL drops those over 2 KB).
MAX_WORD_LENGTH = 60
# The most words of a query that are searched: the form allows 100 characters.
MAX_QUERY_WORDS = 10


def fold(text):
    """`text` for matching what people type: no case and no accents, so
    "lodz", "ŁÓDŹ" and "Łódź" are one word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text):
    """The words of `text`, folded: runs of letters, digits and marks."""
    spaced = "".join(
        c if unicodedata.category(c)[0] in "LNM" else " " for c in fold(text)
    )
    return spaced.split()


def search_words(text):
    """The words of `text` as the search stores them."""
    return [word for word in words(text) if len(word) <= MAX_WORD_LENGTH]


def _query_words(text):
    """The words typed, or None when one is too long to begin a stored word."""
    typed = words(text)[:MAX_QUERY_WORDS]
    return None if any(len(word) > MAX_WORD_LENGTH for word in typed) else typed


def uses_full_text_search(queryset):
    return connections[queryset.db].vendor == "postgresql"


def matching(queryset, text):
    """`queryset` narrowed to the profiles where every word of `text` begins
    a word of their search text."""
    typed = _query_words(text)
    if typed is None:
        return queryset.none()
    if not typed:
        return queryset
    if uses_full_text_search(queryset):
        return queryset.filter(SearchMatch(typed))
    for word in typed:
        queryset = queryset.filter(
            Q(search_text__startswith=word) | Q(search_text__contains=f" {word}")
        )
    return queryset


def ranked(queryset, text):
    """On PostgreSQL, `queryset` annotated with `search_rank` (ts_rank) for
    `text`; elsewhere `queryset` as it is."""
    typed = _query_words(text)
    if not typed or not uses_full_text_search(queryset):
        return queryset
    return queryset.annotate(search_rank=SearchRank(typed))


def tsquery(typed):
    """A prefix tsquery of these words: 'psych':* & 'berlin':*. The words hold
    letters, digits and marks only; the quoting is a second line of defence."""
    quoted = ("'" + w.replace("\\", "\\\\").replace("'", "''") + "':*" for w in typed)
    return " & ".join(quoted)


class _TextSearch(Expression):
    """SQL over the PostgreSQL-only column `search_vector` of the query's
    table, which Django's model does not know about (migration 0010)."""

    template = ""

    def __init__(self, typed):
        super().__init__()
        self.typed = tuple(typed)

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        column = f"{table}.{connection.ops.quote_name('search_vector')}"
        query = "to_tsquery('simple'::regconfig, %s)"
        return self.template % {"column": column, "query": query}, [tsquery(self.typed)]


class SearchMatch(_TextSearch):
    output_field = BooleanField()
    template = "%(column)s @@ %(query)s"


class SearchRank(_TextSearch):
    output_field = FloatField()
    template = "ts_rank(%(column)s, %(query)s)"
