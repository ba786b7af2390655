import pytest
from django.forms import modelform_factory

from articles.models import Article, Reference
from tests.factories import make_staff

ADMIN = "/admin/articles/article/"


@pytest.fixture
def editor(client, db):
    client.force_login(make_staff(is_superuser=True))
    return client


def change_form_data(article, **overrides):
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "status": article.status,
        "published_at_0": article.published_at.strftime("%Y-%m-%d"),
        "published_at_1": article.published_at.strftime("%H:%M:%S"),
        "reviewed_by": "",
        "last_reviewed": "",
        "next_review_due": "",
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
        "references-MIN_NUM_FORMS": "0",
        "references-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_article_change_form_uses_the_markdown_editor_with_live_preview(
    editor, seed_article
):
    response = editor.get(f"{ADMIN}{seed_article.pk}/change/")

    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="markdownx"' in content
    assert 'data-markdownx-urls-path="/markdownx/markdownify/"' in content
    assert "markdownx/js/markdownx" in content
    assert 'name="references-0-annotation"' in content
    assert "View on site" in content


def test_article_list_can_be_searched_and_filtered(editor, seed_article):
    found = editor.get(ADMIN, {"q": "Societal Norms"})
    missing = editor.get(ADMIN, {"q": "no such words"})
    drafts = editor.get(ADMIN, {"status__exact": "draft"})

    assert seed_article.title in found.content.decode()
    assert seed_article.title not in missing.content.decode()
    assert seed_article.title not in drafts.content.decode()


def test_editing_in_the_admin_rerenders_the_body(editor, seed_article):
    response = editor.post(
        f"{ADMIN}{seed_article.pk}/change/",
        change_form_data(seed_article, body="New text.\n\n## New section\n\nMore."),
    )

    assert response.status_code == 302
    seed_article.refresh_from_db()
    assert '<h2 id="new-section">New section</h2>' in seed_article.body_html


def test_an_earlier_revision_can_be_restored(editor, seed_article):
    original_title = seed_article.title
    editor.post(
        f"{ADMIN}{seed_article.pk}/change/",
        change_form_data(seed_article, title="A worse title"),
    )
    seed_article.refresh_from_db()
    assert seed_article.title == "A worse title"
    first_revision = seed_article.history.order_by("history_date").first()

    history = editor.get(f"{ADMIN}{seed_article.pk}/history/")
    assert history.status_code == 200
    revert_url = f"{ADMIN}{seed_article.pk}/history/{first_revision.history_id}/"
    response = editor.post(
        revert_url, change_form_data(seed_article, title=original_title)
    )

    assert response.status_code == 302
    seed_article.refresh_from_db()
    assert seed_article.title == original_title
    assert seed_article.history.count() == 3


def test_references_are_edited_inline_in_order(editor, seed_article):
    response = editor.get(f"{ADMIN}{seed_article.pk}/change/")

    content = response.content.decode()
    assert content.index("Lonsway") < content.index("Abrams")
    assert 'name="references-0-position"' in content


def test_article_admin_is_staff_only(client, db):
    response = client.get(ADMIN)

    assert response.status_code == 302
    assert Article.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("x" * 30001, "at most 30000 characters"),
        ("[" * 20 + "a" + "]" * 20, "nested more than 6 deep"),
        ("*" * 2499 + "a" + "*" * 2500, "more than 1000 formatting marks"),
    ],
)
def test_an_article_body_too_long_or_too_costly_to_render_is_a_form_error(
    editor, seed_article, body, message
):
    before = seed_article.body

    response = editor.post(
        f"{ADMIN}{seed_article.pk}/change/", change_form_data(seed_article, body=body)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    seed_article.refresh_from_db()
    assert seed_article.body == before


def test_a_reference_annotation_has_a_maximum_length(seed_article):
    form = modelform_factory(Reference, fields=["annotation"])
    assert form({"annotation": "x" * 2000}).is_valid()
    assert not form({"annotation": "x" * 2001}).is_valid()
