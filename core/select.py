"""A <select> that renders its options once per process.

Django renders every option of a <select> through a template include. For the
597 time zones or the 250 countries that took 15 to 30 ms, more than all the
rest of the directory or the booking page. CachedSelect writes the same HTML,
byte for byte (tests/core/test_cached_select.py compares it with Django's),
from options rendered once and reused with the chosen one marked.
"""

import functools

from django import forms
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe

_CLOSING_TAG = "\n</select>"


class CachedSelect(forms.Select):
    """forms.Select, with the options from a per-process cache. They are
    cached under their own values and labels as written (so in the active
    language), never under a name: a field whose choices change gets new
    options, not a stale copy. A multiple select is left to Django."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.allow_multiple_selected:
            return super().render(name, value, attrs, renderer)
        # The <select> tag and its attributes through Django's own template,
        # with no options; those are spliced in before the closing tag.
        context = forms.Widget.get_context(self, name, value, attrs)
        context["widget"]["optgroups"] = []
        empty = self._render(self.template_name, context, renderer)
        head, tail = empty.rsplit(_CLOSING_TAG, 1)
        options = _rendered_options(_choices_key(self.choices))
        selected = context["widget"]["value"]  # format_value(): a list of str
        return mark_safe(head + options.html(selected) + _CLOSING_TAG + tail)


def _choices_key(choices):
    """The choices in the shape ChoiceWidget.optgroups() reads them, as text:
    (group label or None, ((value, label), ...)) per group. Cheap, since it
    is built on every render: escaping waits until the options are built."""
    key = []
    for option_value, option_label in choices:
        if option_value is None:
            option_value = ""
        if isinstance(option_label, list | tuple):
            group = _text(option_value) if option_value else None
            key.append((group, _options_key(option_label)))
        else:
            key.append((None, ((_text(option_value), _text(option_label)),)))
    return tuple(key)


def _options_key(options):
    options = tuple(options)
    # Most options (the 597 zone names) are pairs of plain str, hashable and
    # compared as they are: no need to go through them one by one in Python.
    if all(
        type(o) is tuple and type(o[0]) is str and type(o[1]) is str for o in options
    ):
        return options
    return tuple((_text(value), _text(label)) for value, label in options)


def _text(value):
    """A plain str as it is, a lazy translation as text, and text marked
    safe as (text,): the template writes it unescaped, so it must not share
    a cache entry with the same text unmarked."""
    if type(value) is str:
        return value
    if isinstance(value, SafeData):
        return (str.__str__(value),)
    return str(value)


def _html(text):
    """What the template writes for a _text()."""
    return text[0] if isinstance(text, tuple) else escape(text)


class _Options:
    """The options' HTML in pieces, and where each value's piece is, so that
    one piece can be swapped for its selected version."""

    def __init__(self, key):
        # Django's option template ends with a line break, hence the "\n\n"
        # between options.
        self.pieces = []
        self.positions = {}  # str(value) -> index of its first option
        self.selected = {}  # index -> that option, selected
        for group, options in key:
            if group:
                self.pieces.append(f'\n  <optgroup label="{_html(group)}">')
            for value, label in options:
                value_html, label_html = _html(value), _html(label)
                index = len(self.pieces)
                self.pieces.append(
                    f'\n  <option value="{value_html}">{label_html}</option>\n'
                )
                as_compared = value[0] if isinstance(value, tuple) else value
                if as_compared not in self.positions:
                    self.positions[as_compared] = index
                    self.selected[index] = (
                        f'\n  <option value="{value_html}" selected>{label_html}</option>\n'
                    )
            if group:
                self.pieces.append("\n  </optgroup>")
        self.unselected = "".join(self.pieces)

    def html(self, values):
        """The options, with the first whose value is among `values` selected:
        Django marks only the first match of a single select."""
        found = [self.positions[v] for v in values if v in self.positions]
        if not found:
            return self.unselected
        index = min(found)
        pieces = self.pieces.copy()
        pieces[index] = self.selected[index]
        return "".join(pieces)


@functools.lru_cache(maxsize=64)
def _rendered_options(key):
    return _Options(key)
