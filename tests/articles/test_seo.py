import json
from xml.etree import ElementTree

from articles.models import Article
from tests.factories import make_article
from tests.html import parse_html

URL = "/articles/complex-roots-of-harassment/"
ABSOLUTE = "http://testserver" + URL


def meta_content(page, **attrs):
    return page.find("meta", **attrs).attrs["content"]


def test_article_page_has_canonical_open_graph_and_twitter_tags(client, seed_article):
    page = parse_html(client.get(URL).content)

    assert page.find("link", rel="canonical").attrs["href"] == ABSOLUTE
    assert meta_content(page, name="description") == seed_article.summary
    assert meta_content(page, property="og:type") == "article"
    assert meta_content(page, property="og:title") == seed_article.title
    assert meta_content(page, property="og:url") == ABSOLUTE
    assert meta_content(page, property="og:description") == seed_article.summary
    assert meta_content(page, name="twitter:card") == "summary"
    assert meta_content(page, name="twitter:title") == seed_article.title


def test_article_json_ld_cites_the_references(client, seed_article):
    page = parse_html(client.get(URL).content)

    data = json.loads(page.find("script", type="application/ld+json").text)
    assert data["@type"] == "Article"
    assert data["headline"] == seed_article.title
    assert data["url"] == ABSOLUTE
    assert [c["name"] for c in data["citation"]] == [
        "Rape myths: In review",
        "Social identity theory: Constructive and critical advances",
    ]
    assert data["citation"][0]["author"] == "Lonsway, K. A., & Fitzgerald, L. F."


def test_json_ld_cannot_be_closed_by_text_in_the_data(client, db):
    article = make_article(title="</script><script>alert(1)</script>")

    content = client.get(article.get_absolute_url()).content.decode()

    assert "</script><script>alert(1)" not in content
    assert "\\u003C/script\\u003E" in content


def test_sitemap_lists_published_articles_and_main_pages(client, seed_article):
    make_article(slug="hidden-draft", status=Article.Status.DRAFT, published_at=None)

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    tree = ElementTree.fromstring(response.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = {loc.text for loc in tree.findall("s:url/s:loc", ns)}
    assert ABSOLUTE in locations
    assert "http://testserver/" in locations
    assert "http://testserver/consultations/free/" in locations
    assert not any("hidden-draft" in loc for loc in locations)


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


def test_feed_lists_published_articles(client, seed_article):
    make_article(
        title="Unfinished draft", status=Article.Status.DRAFT, published_at=None
    )

    response = client.get("/articles/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    tree = ElementTree.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [t.text for t in tree.findall("a:entry/a:title", ns)]
    assert titles == [seed_article.title]
    links = [link.get("href") for link in tree.findall("a:entry/a:link", ns)]
    assert links == [ABSOLUTE]
