"""The article page with everything it loads stays small and on this site."""

import gzip
from urllib.parse import urlsplit

from django.contrib.staticfiles import finders

from tests.html import parse_html

URL = "/articles/complex-roots-of-harassment/"
BUDGET_BYTES = 30 * 1024
MAX_REQUESTS = 4


def subresources(page):
    """Everything the browser fetches for the page: styles, scripts, images, icons."""
    urls = [
        link.attrs["href"]
        for link in page.find_all("link")
        if link.attrs.get("rel") in ("stylesheet", "icon")
    ]
    urls += [
        el.attrs["src"]
        for el in page.find_all()
        if el.tag in ("script", "img") and el.attrs.get("src")
    ]
    return urls


def test_article_page_is_at_most_30_kb_compressed_in_at_most_4_requests(
    client, seed_article
):
    response = client.get(URL)
    page = parse_html(response.content)

    urls = subresources(page)
    for url in urls:
        assert not urlsplit(url).netloc, f"{url} is on another host"
    files = [finders.find(url.removeprefix("/static/")) for url in urls]
    assert all(files), urls
    compressed = len(gzip.compress(response.content))
    for path in files:
        with open(path, "rb") as f:
            compressed += len(gzip.compress(f.read()))

    assert 1 + len(urls) <= MAX_REQUESTS
    assert compressed <= BUDGET_BYTES, f"{compressed} bytes compressed"


def test_stylesheet_is_under_20_kb_uncompressed():
    with open(finders.find("css/site.css"), "rb") as f:
        assert len(f.read()) < 20 * 1024
