import json

from django import template
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
