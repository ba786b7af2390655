"""Plain share links: no third-party script, nothing loads until a reader clicks."""

from urllib.parse import quote, urlencode

from django.utils.translation import gettext_lazy as _

# (name, address, how the article's url and title go into its query string)
SERVICES = [
    ("X", "https://x.com/intent/post", lambda url, title: {"url": url, "text": title}),
    (
        "Facebook",
        "https://www.facebook.com/sharer/sharer.php",
        lambda url, _: {"u": url},
    ),
    (
        "LinkedIn",
        "https://www.linkedin.com/sharing/share-offsite/",
        lambda url, _: {"url": url},
    ),
    ("WhatsApp", "https://wa.me/", lambda url, title: {"text": f"{title} {url}"}),
    (
        "Telegram",
        "https://t.me/share/url",
        lambda url, title: {"url": url, "text": title},
    ),
]


def share_links(url, title):
    # mailto: wants %20 for spaces; a "+" would show up literally in mail clients.
    mailto = urlencode({"subject": title, "body": url}, quote_via=quote)
    links = [{"name": _("Email"), "href": f"mailto:?{mailto}"}]
    for name, address, params in SERVICES:
        links.append(
            {"name": name, "href": f"{address}?{urlencode(params(url, title))}"}
        )
    return links
