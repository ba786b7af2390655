import json

import nh3
from django import template
from django.template.defaultfilters import linebreaksbr, urlize
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def json_ld(data):
    """A <script type="application/ld+json"> block. A data block is never run,
    so the Content-Security-Policy has no reason to allow it; <, > and & are
    escaped so text in the data cannot close the element."""
    text = json.dumps(data, ensure_ascii=False).translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.filter
def user_text(text):
    """Plain text someone typed, shown safely: escaped, line breaks kept, and
    web addresses made into links that pass no ranking and no window access."""
    html = linebreaksbr(urlize(text, autoescape=True), autoescape=False)
    return mark_safe(
        nh3.clean(
            html,
            tags={"a", "br"},
            attributes={"a": {"href"}},
            url_schemes={"http", "https", "mailto"},
            link_rel="nofollow ugc noopener",
        )
    )
