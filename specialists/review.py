"""What changed in a re-submitted profile since staff last approved it.

The approved state is the snapshot approve() keeps on the profile; it is
compared with the profile as it is now, field by field. Texts are compared
word by word, so a reviewer finds the one changed sentence in a long bio.
Everything here is plain data: the template escapes it.
"""

import difflib
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
    """Both texts cut in pieces, each marked whether it changed."""
    old, new = _WORD_BOUNDARY.split(before), _WORD_BOUNDARY.split(after)
    marked_old, marked_new = [], []
    # autojunk off: in a long text, common words would otherwise never match.
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        changed = tag != "equal"
        _append(marked_old, changed, "".join(old[i1:i2]))
        _append(marked_new, changed, "".join(new[j1:j2]))
    return marked_old, marked_new


def compare_lists(before, after):
    """Each list's items, marked when the other list lacks them."""
    return (
        [(item not in after, item) for item in before],
        [(item not in before, item) for item in after],
    )


def _append(pieces, changed, text):
    if text:
        pieces.append((changed, text))


def photo_url(name):
    if not name:
        return ""
    storage = Specialist._meta.get_field("photo").storage
    return storage.url(name) if storage.exists(name) else None
