from markdownx.widgets import AdminMarkdownxWidget


class AdminMarkdownWidget(AdminMarkdownxWidget):
    """markdownx's admin editor, with its live preview beside the text on
    wide screens and below it on narrow ones (the stylesheet follows
    markdownx's own, which it adjusts)."""

    class Media:
        css = {"all": ["admin/css/markdown_editor.css"]}
