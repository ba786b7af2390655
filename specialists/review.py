"""What changed in a re-submitted profile since staff last approved it.

The approved state is the snapshot approve() keeps on the profile; it is
compared with the profile as it is now, field by field. Texts are compared
word by word, so a reviewer finds the one changed sentence in a long bio.
Everything here is plain data: the template escapes it.
"""

import re
from dataclasses import dataclass, field

from django.utils.text import capfirst

from .models import Specialist

# Between a run of spaces and the next word: each piece is a word and the
# spaces after it, so marking a changed piece keeps the text readable.
_WORD_BOUNDARY = re.compile(r"(?<=\s)(?=\S)")


@dataclass
class Change:
    """One field that differs. `kind` is "text", "list" or "photo"; for text
    and lists, before and after are [(is_changed, piece), ...]; for a photo,
    the image's URL, "" when there is none, or None when its file is gone
    (a replaced photo may be deleted from storage)."""

    name: str
    label: str
    kind: str
    before: list | str | None = field(default_factory=list)
    after: list | str | None = field(default_factory=list)


def changes_since_approval(specialist):
    """The fields that differ from the last approved state, in the order of
    the snapshot; None for a profile that was never approved."""
    approved = specialist.approved_snapshot
    if not approved:
        return None
    current = specialist.review_snapshot()
    changes = []
    for name, after in current.items():
        before = approved.get(name, [] if isinstance(after, list) else "")
        if before == after:
            continue
        label = capfirst(Specialist._meta.get_field(name).verbose_name)
        if name == "photo":
            changes.append(
                Change(name, label, "photo", photo_url(before), photo_url(after))
            )
        elif isinstance(after, list):
            changes.append(Change(name, label, "list", *compare_lists(before, after)))
        else:
            changes.append(Change(name, label, "text", *compare_texts(before, after)))
    return changes


def compare_texts(before, after):
    """Both texts cut in pieces, each marked whether it changed: first line
    by line, then word by word within the lines that changed."""
    budget = _Budget(WORK_BUDGET)
    marked_old, marked_new = [], []
    old_lines, new_lines = before.splitlines(True), after.splitlines(True)
    for changed, i1, i2, j1, j2 in _blocks(old_lines, new_lines, budget):
        old_text, new_text = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if not changed:
            _append(marked_old, False, old_text)
            _append(marked_new, False, new_text)
            continue
        old_words = _WORD_BOUNDARY.split(old_text)
        new_words = _WORD_BOUNDARY.split(new_text)
        for changed, k1, k2, l1, l2 in _blocks(old_words, new_words, budget):
            _append(marked_old, changed, "".join(old_words[k1:k2]))
            _append(marked_new, changed, "".join(new_words[l1:l2]))
    return marked_old, marked_new


# The comparison fills a longest-common-subsequence table, whose size is the
# product of the two lengths; this many cells per text take a few tenths of a
# second. Past them, what is left is marked changed as a whole. (difflib's
# SequenceMatcher has no such bound: on repetitive text it took seconds for
# 200 words and minutes for a 5,000-character bio, and a bio is whatever the
# specialist wrote.)
WORK_BUDGET = 200_000


class _Budget:
    def __init__(self, cells):
        self.cells = cells


def _blocks(old, new, budget):
    """[(changed, i1, i2, j1, j2), ...]: old[i1:i2] and new[j1:j2] are the
    same (changed False) or differ, covering both lists in order."""
    n, m = len(old), len(new)
    start = 0
    while start < min(n, m) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(n, m) - start and old[n - 1 - end] == new[m - 1 - end]:
        end += 1
    blocks = [(False, 0, start, 0, start)] if start else []
    middle = _lcs_blocks(old[start : n - end], new[start : m - end], budget)
    blocks += [
        (changed, i1 + start, i2 + start, j1 + start, j2 + start)
        for changed, i1, i2, j1, j2 in middle
    ]
    if end:
        blocks.append((False, n - end, n, m - end, m))
    return blocks


def _lcs_blocks(old, new, budget):
    n, m = len(old), len(new)
    if not n and not m:
        return []
    if not n or not m or n * m > budget.cells:
        return [(True, 0, n, 0, m)]
    budget.cells -= n * m
    # common[i][j]: the length of the longest common subsequence of old[i:]
    # and new[j:].
    common = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below, item = common[i], common[i + 1], old[i]
        for j in range(m - 1, -1, -1):
            if item == new[j]:
                row[j] = below[j + 1] + 1
            else:
                row[j] = max(below[j], row[j + 1])
    # Walk the table: runs of common items, and runs of the others between.
    blocks, i, j, i0, j0, in_common = [], 0, 0, 0, 0, None
    while i < n or j < m:
        if i < n and j < m and old[i] == new[j]:
            common_item, step = True, (1, 1)
        elif j == m or (i < n and common[i + 1][j] >= common[i][j + 1]):
            common_item, step = False, (1, 0)
        else:
            common_item, step = False, (0, 1)
        if in_common is not None and common_item != in_common:
            blocks.append((not in_common, i0, i, j0, j))
            i0, j0 = i, j
        in_common = common_item
        i, j = i + step[0], j + step[1]
    blocks.append((not in_common, i0, n, j0, m))
    return blocks


def compare_lists(before, after):
    """Each list's items, marked when the other list lacks them."""
    return (
        [(item not in after, item) for item in before],
        [(item not in before, item) for item in after],
    )


def _append(pieces, changed, text):
    if not text:
        return
    if pieces and pieces[-1][0] == changed:
        pieces[-1] = (changed, pieces[-1][1] + text)
    else:
        pieces.append((changed, text))


def photo_url(name):
    if not name:
        return ""
    storage = Specialist._meta.get_field("photo").storage
    return storage.url(name) if storage.exists(name) else None
