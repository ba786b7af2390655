import pytest
from django.utils import timezone

from articles.content import CONTENT_DIR, parse
from articles.models import Article
from tests.factories import make_article, make_reference, make_staff
from tests.html import parse_html

URL = "/articles/complex-roots-of-harassment/"

# The two references exactly as the original site printed them.
SEED_REFERENCES = [
    "Lonsway, K. A., & Fitzgerald, L. F. (1994). Rape myths: In review. Psychology "
    "of Women Quarterly, 18(2), 133-164. This review examines the prevalence and "
    "impact of rape myths – widely held, inaccurate beliefs about sexual assault "
    "that serve to excuse perpetrators and blame victims. It discusses how these "
    "myths, often rooted in traditional gender roles and societal norms, contribute"
    " to a culture that tolerates and perpetuates sexual violence, including "
    "harassment. This article provides a strong framework for understanding how "
    "societal beliefs create an environment conducive to harassment. (Pages 133-140"
    " specifically address the foundational myths).",
    "Abrams, D., & Hogg, M. A. (1990). Social identity theory: Constructive and "
    "critical advances. Springer-Verlag. This book explores Social Identity Theory,"
    " which explains how individuals derive part of their identity from the groups "
    "they belong to. While not solely focused on harassment, it helps explain how "
    "in-group/out-group dynamics and societal norms (e.g., traditional masculinity)"
    " can influence behavior, including the pressure to conform to expectations "
    "that might lead to harassment. It illuminates the pressure individuals may "
    "feel to conform to gendered expectations. (Chapters 2 and 3 discuss the core "
    "concepts of social identity and group norms, relevant to the article's "
    "discussion of societal pressures).",
]


def squash(text):
    return " ".join(text.split())


def essay_source():
    source = parse((CONTENT_DIR / "complex-roots-of-harassment.md").read_text("utf-8"))
    blocks = [block.strip() for block in source.body.split("\n\n") if block.strip()]
    return source, [
        ("h2", block.removeprefix("## ")) if block.startswith("## ") else ("p", block)
        for block in blocks
    ]


def test_article_page_shows_the_essay_word_for_word(client, seed_article):
    source, expected = essay_source()

    page = parse_html(client.get(URL).content)

    assert page.find("h1").text == source.meta["title"]
    prose = page.find("div", class_="prose")
    shown = [(el.tag, el.text) for el in prose.iter() if el.tag in ("h2", "p")]
    assert shown == expected
    assert [tag for tag, _ in expected].count("h2") == 9
    assert [tag for tag, _ in expected].count("p") == 22


def test_article_page_lists_references_with_annotations_word_for_word(
    client, seed_article
):
    page = parse_html(client.get(URL).content)

    items = page.find("section", class_="references").find_all("li")
    assert [squash(li.text) for li in items] == SEED_REFERENCES
    assert [li.attrs["id"] for li in items] == ["ref-1", "ref-2"]
    assert items[0].find("cite").text == "Psychology of Women Quarterly"


def test_table_of_contents_links_to_every_section(client, seed_article):
    page = parse_html(client.get(URL).content)

    heading_ids = [
        h.attrs["id"] for h in page.find("div", class_="prose").find_all("h2")
    ]
    toc_links = [a.attrs["href"] for a in page.find("nav", class_="toc").find_all("a")]
    assert toc_links == [f"#{i}" for i in heading_ids] + ["#references"]
    assert len(set(heading_ids)) == 9


def test_article_page_shows_reading_time_and_dates(client, seed_article):
    seed_article.reviewed_by = "Dr A. Reviewer, clinical psychologist"
    seed_article.last_reviewed = timezone.datetime(2026, 11, 1).date()
    seed_article.next_review_due = timezone.datetime(2027, 11, 1).date()
    seed_article.save()

    meta = parse_html(client.get(URL).content).find("dl")

    shown = {
        dt.text: squash(dd.text)
        for dt, dd in zip(meta.find_all("dt"), meta.find_all("dd"), strict=True)
    }
    assert shown["Reading time"] == "11 minutes"
    assert shown["Published"] == "25 November 2026"
    assert shown["Reviewed by"] == "Dr A. Reviewer, clinical psychologist"
    assert shown["Last reviewed"] == "1 November 2026"
    assert shown["Next review due"] == "1 November 2027"


def test_share_block_has_plain_links_and_no_third_party_script(client, seed_article):
    content = client.get(URL).content
    page = parse_html(content)

    share = page.find("section", class_="share")
    assert share.find("h2").text == "Share on other sites"
    names = [a.text for a in share.find_all("a")]
    assert names == ["Email", "X", "Facebook", "LinkedIn", "WhatsApp", "Telegram"]
    hrefs = [a.attrs["href"] for a in share.find_all("a")]
    assert all("complex-roots-of-harassment" in href for href in hrefs)
    assert hrefs[0].startswith("mailto:?subject=The%20Complex%20Roots")
    assert share.find("button", data_copy_link="http://testserver" + URL)
    scripts = [
        s.attrs.get("src") for s in page.find_all("script") if s.attrs.get("src")
    ]
    assert scripts == ["/static/js/site.js"]


def test_article_page_links_to_the_free_consultation(client, seed_article):
    page = parse_html(client.get(URL).content)

    cta = page.find("aside", class_="cta")
    assert cta.find("a").attrs["href"] == "/consultations/free/"


@pytest.mark.parametrize("n_references", [1, 50])
def test_article_page_query_count_does_not_grow_with_references(
    client, db, django_assert_max_num_queries, n_references
):
    article = make_article()
    for _ in range(n_references):
        make_reference(article)

    # 4, and the page cache's check of the public content version.
    with django_assert_max_num_queries(5):
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert response.content.count(b'id="ref-') == n_references


def test_draft_is_not_found_for_the_public(client, db):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_scheduled_article_is_not_found_before_its_publication_date(client, db):
    later = make_article(published_at=timezone.now() + timezone.timedelta(days=2))

    assert client.get(later.get_absolute_url()).status_code == 404


def test_staff_can_preview_a_draft(client, db):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    client.force_login(make_staff())

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert b"Draft preview" in response.content
    assert b'<meta name="robots" content="noindex">' in response.content


def test_article_body_is_rendered_once_when_saved(db):
    article = make_article(body="Hello *world*.\n\n## Part one\n\nText.")

    assert article.body_html == (
        '<p>Hello <em>world</em>.</p>\n<h2 id="part-one">Part one</h2>\n<p>Text.</p>'
    )
    assert article.toc == [{"id": "part-one", "title": "Part one"}]


def test_article_list_shows_published_articles_only(client, db):
    published = make_article(title="Published one")
    make_article(title="Secret draft", status=Article.Status.DRAFT, published_at=None)

    response = client.get("/articles/")

    assert published.title.encode() in response.content
    assert b"Secret draft" not in response.content


def test_home_page_features_the_latest_article(client, seed_article):
    page = parse_html(client.get("/").content)

    featured = page.find("section", class_="featured")
    assert featured.find("a").attrs["href"] == URL
    assert page.find("aside", class_="cta")


def test_article_page_lists_matching_specialists_featured_first_in_4_queries(
    client, seed_article, django_assert_max_num_queries
):
    from helplines.country import available_codes
    from specialists.models import Specialist
    from tests.factories import make_bookable_specialist, make_user

    topic = seed_article.topics.first()
    for name, free in [
        ("Avery Paid", False),
        ("Blake Free", True),
        ("Casey Free", True),
    ]:
        specialist = make_bookable_specialist(
            slug=name.lower().replace(" ", "-"),
            display_name=name,
            headline="Psychologist",
            offers_free_consultation=free,
        )
        specialist.topics.add(topic)
    # The switch is on, but no hours: nothing to book, so not featured first.
    Specialist.objects.create(
        user=make_user(), slug="aaron", display_name="Aaron Hourless", headline="x",
        status=Specialist.Status.APPROVED, offers_free_consultation=True,
    ).topics.add(topic)  # fmt: skip
    Specialist.objects.create(
        user=make_user(), slug="drafty", display_name="Drafty", headline="x"
    ).topics.add(topic)

    # Help now's list of countries is read once a minute per process, not per page.
    available_codes()
    # 4, and the page cache's check of the public content version.
    with django_assert_max_num_queries(5):
        response = client.get(URL)

    section = parse_html(response.content).find("section", class_="related-specialists")
    names = [a.text for a in section.find_all("a", class_="mini-name")]
    assert names == ["Blake Free", "Casey Free", "Aaron Hourless"]
    badges = [card.text for card in section.find_all("div", class_="mini-card")]
    assert ["Free consultation" in text for text in badges] == [True, True, False]
    assert ["Next free:" in text for text in badges] == [True, True, False]
