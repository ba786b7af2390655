from django.contrib.admin import widgets as admin_widgets
from markdownx.widgets import AdminMarkdownxWidget

from .fields import is_key


class AdminMarkdownWidget(AdminMarkdownxWidget):
    """markdownx's admin editor, with its live preview beside the text on
    wide screens and below it on narrow ones (the stylesheet follows
    markdownx's own, which it adjusts)."""

    class Media:
        css = {"all": ["admin/css/markdown_editor.css"]}


class AutocompleteSelect(admin_widgets.AutocompleteSelect):
    """The admin's autocomplete list, which shows a refused form again
    without looking up values that are no key (a word, 24 digits): Django's
    ran the lookup with them and raised, a 500."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        keys = [v for v in value if v in ("", None) or is_key(target, v, self.db)]
        return super().optgroups(name, keys, attr)
