"""Markdown to safe HTML: the one renderer for every Markdown field on the site.

Markdown passes raw HTML through, so its output is cleaned by nh3 with an
allow-list of tags, attributes and URL schemes. The same function feeds the
markdownx live preview (MARKDOWNX_MARKDOWNIFY_FUNCTION), so the preview can
never show, or run, what the page would not.

Python-Markdown's cost is not linear in the length of its input: unclosed
brackets, long runs of emphasis, deep nesting, many lines in one block or many
inline marks in one paragraph each make it quadratic or worse (40 KB of
brackets took 52 s; 5,000 asterisks raised RecursionError). So check_cost()
measures every text first, in a few linear passes, against limits that real
writing never reaches (the shipped article uses a fraction of each), and
refuses it with a message that says what to change. The limits were set by
rendering the costliest text each one lets through, and by a random search
of mixed shapes: the worst found took 43 ms of processor time on this 2-core
machine under a load of 13, and tests/core/test_markdown_cost.py keeps every
such text, and hypothesis-made ones, under 100 ms. Forms check through
validate_markdown(), the preview through check_cost() itself.
"""

import re
from dataclasses import dataclass, field
from html import unescape

import markdown
import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "cite", "code", "dd", "del", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li",
    "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead",
    "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "li": {"id"},
    "sup": {"id"},
    "th": {"scope"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["extra", "sane_lists", "toc"]
# Level-1 headings are reserved for the page title; body sections start at h2.
EXTENSION_CONFIGS = {"toc": {"toc_depth": "2-3"}}


@dataclass
class Rendered:
    html: str
    # Table of contents: [{"id": "...", "title": "..."}] for each h2 section.
    toc: list = field(default_factory=list)
    word_count: int = 0


def _own_images_only(tag, attribute, value):
    """An image loads only from this site (uploads under /media/): a picture
    from another host would tell that host who reads the page, and when."""
    if tag == "img" and attribute == "src":
        own = value.startswith("/") and not value.startswith(("//", "/\\"))
        return value if own else None
    return value


def sanitise(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_own_images_only,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


# The longest Markdown each field takes; the preview takes the longest one
# its user may edit.
BIO_MAX_LENGTH = 5000
ARTICLE_BODY_MAX_LENGTH = 30000

# Blocks are the chunks between blank lines; Python-Markdown's cost grows with
# the square of their number and of the lines in each.
MAX_BLOCKS = 120
MAX_LINES = 1500
MAX_LINES_PER_BLOCK = 100
# Lists, quotes and brackets inside one another, and indentation (4 spaces a
# level): each level is a recursion in the parser, and each nested line is
# parsed again at every level.
MAX_DEPTH = 6
MAX_NESTING = 300
# *, _ and ` runs longer than this mean nothing more in Markdown, and long *
# and _ runs make the emphasis parser recurse once per character.
MAX_RUN = 11
# Each | can be a table cell, each use of a defined abbreviation an <abbr>:
# elements, like inline marks, cost about the same each.
MAX_TABLE_CELLS = 400
MAX_ABBREVIATIONS = 50
MAX_FOOTNOTES = 50
MAX_LINK_DEFINITIONS = 200
MAX_HTML_TAGS = 200
# Every inline mark (a link, an emphasis, an entity, an escape) is a match the
# parser tries, and copies the rest of its paragraph once: the number of marks
# and, over paragraphs, the sum of marks x length bound that work. (The
# shipped article has 17 marks.)
MAX_INLINE_MARKS = 1000
MAX_INLINE_WORK = 400_000
# An opening bracket makes the parser read on to its closing bracket, or to the
# end of the paragraph: the sum of those distances bounds it.
MAX_BRACKET_SCAN = 50_000

INLINE_MARKS = frozenset("*_`[]()<>&\\!")
HR_LINE = re.compile(r"[ \t]*([-*_])([ \t]*\1){2,}[ \t]*")
RUN = re.compile(rf"([*_`])\1{{{MAX_RUN},}}")
LINE_PREFIX = re.compile(r"[ \t]*(?:>|[-*+][ \t]|\d{1,9}[.)][ \t]|:[ \t])")
ABBREVIATION = re.compile(r"^\*\[([^\]\n]*)\]", re.MULTILINE)
FOOTNOTE = re.compile(r"^[ ]{0,3}\[\^[^\]\n]*\]:", re.MULTILINE)
LINK_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]\n]*\]:", re.MULTILINE)
HTML_TAG = re.compile(r"<[A-Za-z/!?]")
BLANK_LINE = re.compile(r"\n[ \t]*\n")


class MarkdownTooCostly(ValueError):
    """Text refused before rendering; `message` says what to change."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _depth(line):
    """Nesting a line opens: quote and list markers, then indentation."""
    depth, pos = 0, 0
    while match := LINE_PREFIX.match(line, pos):
        depth += 1
        pos = match.end()
    indent = len(line) - len(line.lstrip(" \t"))
    return depth + line.count("\t", 0, indent) + indent // 4


def _bracket_scan(block):
    """How far the parser reads from each [ and ( : to its match, or to the
    end of the block when there is none; and the deepest nesting."""
    scan = depth = 0
    openers = []
    for pos, char in enumerate(block):
        if char in "[(":
            openers.append(pos)
            depth = max(depth, len(openers))
        elif char in "])" and openers:
            scan += pos - openers.pop()
    scan += sum(len(block) - pos for pos in openers)
    return scan, depth


def check_cost(text, max_length=None):
    """Raises MarkdownTooCostly when `text` is longer than `max_length` (when
    given) or shaped so that rendering it would take too long."""
    if max_length is not None and len(text) > max_length:
        raise MarkdownTooCostly(
            ngettext_lazy(
                "This text has %(length)d characters; the most is %(max)d.",
                "This text has %(length)d characters; the most is %(max)d.",
                max_length,
            )
            % {"length": len(text), "max": max_length}
        )
    text = text.replace("\r\n", "\n")
    blocks = BLANK_LINE.split(text)
    if len(blocks) > MAX_BLOCKS:
        raise MarkdownTooCostly(
            _("This text has more than %(max)d paragraphs, lists or headings.")
            % {"max": MAX_BLOCKS}
        )
    if text.count("\n") >= MAX_LINES:
        raise MarkdownTooCostly(
            _("This text has more than %(max)d lines.") % {"max": MAX_LINES}
        )
    abbreviations = ABBREVIATION.findall(text)
    if len(abbreviations) > MAX_ABBREVIATIONS:
        raise MarkdownTooCostly(
            _("This text defines more than %(max)d abbreviations.")
            % {"max": MAX_ABBREVIATIONS}
        )
    if text.count("|") > MAX_TABLE_CELLS:
        raise MarkdownTooCostly(
            _("This text has more than %(max)d | characters (table cells).")
            % {"max": MAX_TABLE_CELLS}
        )
    if len(FOOTNOTE.findall(text)) > MAX_FOOTNOTES:
        raise MarkdownTooCostly(
            _("This text has more than %(max)d footnotes.") % {"max": MAX_FOOTNOTES}
        )
    if len(LINK_DEFINITION.findall(text)) > MAX_LINK_DEFINITIONS:
        raise MarkdownTooCostly(
            _("This text defines more than %(max)d link references.")
            % {"max": MAX_LINK_DEFINITIONS}
        )
    if len(HTML_TAG.findall(text)) > MAX_HTML_TAGS:
        raise MarkdownTooCostly(
            _("This text has more than %(max)d HTML tags.") % {"max": MAX_HTML_TAGS}
        )
    marks = sum(char in INLINE_MARKS for char in text)
    for term in set(abbreviations):
        if term.strip():
            marks += len(re.findall(rf"(?<!\w){re.escape(term)}(?!\w)", text))
    if marks > MAX_INLINE_MARKS:
        raise MarkdownTooCostly(
            _(
                "This text has more than %(max)d formatting marks "
                "(* _ ` [ ] ( ) < > & \\ ! and uses of abbreviations). "
                "Use fewer of them."
            )
            % {"max": MAX_INLINE_MARKS}
        )
    inline_work = bracket_scan = nesting = 0
    for block in blocks:
        lines = block.split("\n")
        if len(lines) > MAX_LINES_PER_BLOCK:
            raise MarkdownTooCostly(
                _(
                    "A paragraph or list has more than %(max)d lines without a "
                    "blank line between them."
                )
                % {"max": MAX_LINES_PER_BLOCK}
            )
        for line in lines:
            # Blank, or a rule: "- - -" is no list and "***" no emphasis.
            if not line.strip() or HR_LINE.fullmatch(line):
                continue
            depth = _depth(line)
            nesting += depth
            if depth > MAX_DEPTH:
                raise MarkdownTooCostly(
                    _("Lists, quotes or indentation go more than %(max)d levels deep.")
                    % {"max": MAX_DEPTH}
                )
            if RUN.search(line):
                raise MarkdownTooCostly(
                    _("A run of more than %(max)d *, _ or ` characters.")
                    % {"max": MAX_RUN}
                )
        scan, depth = _bracket_scan(block)
        if depth > MAX_DEPTH:
            raise MarkdownTooCostly(
                _("Brackets, [ and (, are nested more than %(max)d deep or left open.")
                % {"max": MAX_DEPTH}
            )
        bracket_scan += scan
        inline_work += len(block) * sum(char in INLINE_MARKS for char in block)
    if nesting > MAX_NESTING:
        raise MarkdownTooCostly(
            _("Too many lines are nested in lists, quotes or indentation.")
        )
    if bracket_scan > MAX_BRACKET_SCAN:
        raise MarkdownTooCostly(
            _("Too many brackets, [ ] or ( ), are left open. Close each one.")
        )
    if inline_work > MAX_INLINE_WORK:
        raise MarkdownTooCostly(
            _(
                "Too many links, emphasis marks or symbols in long paragraphs. "
                "Split the paragraphs or use fewer of them."
            )
        )


def render(text):
    """Raises MarkdownTooCostly for the rare text that passes check_cost() and
    still nests deeper than Python allows (RecursionError, which the parser
    reaches only after doing all the work above it)."""
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    try:
        html = sanitise(md.convert(text))
    except RecursionError:
        raise MarkdownTooCostly(
            _("This text nests too deeply to be shown. Simplify its formatting.")
        ) from None
    toc = [
        {"id": token["id"], "title": unescape(token["name"])}
        for token in md.toc_tokens
        if token["level"] == 2
    ]
    return Rendered(html=html, toc=toc, word_count=len(text.split()))


def render_markdown(text):
    """Sanitised HTML for `text`; markdownx's preview calls this."""
    return render(text).html


def validate_markdown(text):
    """Model-field validator: a form error instead of a page that fails when
    the text is saved and rendered."""
    try:
        check_cost(text)
        render(text)
    except MarkdownTooCostly as error:
        raise ValidationError(error.message, code="markdown_too_costly") from None
