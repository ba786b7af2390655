"""Markdown to safe HTML: the one renderer for every Markdown field on the site.

Markdown passes raw HTML through, so its output is cleaned by nh3 with an
allow-list of tags, attributes and URL schemes. The same function feeds the
markdownx live preview (MARKDOWNX_MARKDOWNIFY_FUNCTION), so the preview can
never show, or run, what the page would not.
"""

from dataclasses import dataclass, field
from html import unescape

import markdown
import nh3

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


def sanitise(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render(text):
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    html = sanitise(md.convert(text))
    toc = [
        {"id": token["id"], "title": unescape(token["name"])}
        for token in md.toc_tokens
        if token["level"] == 2
    ]
    return Rendered(html=html, toc=toc, word_count=len(text.split()))


def render_markdown(text):
    """Sanitised HTML for `text`; markdownx's preview calls this."""
    return render(text).html
