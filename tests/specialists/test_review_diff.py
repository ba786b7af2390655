"""The word-by-word comparison behind the review page: exact, and bounded in
time whatever a specialist writes."""

import time

from specialists.review import compare_texts


def joined(pieces):
    return "".join(piece for _changed, piece in pieces)


def changed(pieces):
    return [piece for is_changed, piece in pieces if is_changed]


def test_only_the_changed_words_are_marked():
    before = "I listen.\n\nI work in English, online and in Berlin.\n"
    after = "I listen.\n\nI work in English and German, online and in Berlin.\n"

    old, new = compare_texts(before, after)

    assert (joined(old), joined(new)) == (before, after)
    assert changed(old) == ["English, "]
    assert changed(new) == ["English and German, "]


def test_changes_in_several_paragraphs_are_marked_each():
    words = [f"word{n}" for n in range(600)]
    paragraphs = [" ".join(words[k : k + 30]) for k in range(0, 600, 30)]
    edited = paragraphs.copy()
    edited[1] = edited[1].replace("word40", "changed")
    edited[-1] = edited[-1] + " added"

    old, new = compare_texts("\n\n".join(paragraphs), "\n\n".join(edited))

    assert changed(old) == ["word40 ", "word599"]
    assert changed(new) == ["changed ", "word599 added"]


def test_repetitive_texts_of_the_longest_bio_compare_in_bounded_time():
    # difflib's SequenceMatcher took minutes on these.
    cases = [
        ("a " * 2500, "a b " * 1250),
        ("a\n" * 2500, "a\nb\n" * 1250),
        ("a b c " * 833, "c b a " * 833),
        ("ab " * 1600 + "x", "x " + "ab " * 1600),
    ]
    for before, after in cases:
        started = time.monotonic()
        old, new = compare_texts(before, after)
        assert time.monotonic() - started < 5
        # Nothing is lost: past the work allowed, a part is marked as a whole.
        assert (joined(old), joined(new)) == (before, after)
