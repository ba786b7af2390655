"""The admin's index: one "Accounts" section, and Markdown editors whose
preview sits beside the text."""

from tests.factories import make_article, make_specialist, make_verified_user
from tests.html import parse_html


def sections(response):
    """{section heading: [model names]} of the admin index."""
    page = parse_html(response.content.decode())
    found = {}
    for module in page.find("div", id="content-main").find_all("div", class_="module"):
        caption = module.find("caption").text.strip()
        found[caption] = [th.text.strip() for th in module.find_all("th", scope="row")]
    return found


def test_the_admin_index_has_one_accounts_section(admin_client):
    response = admin_client.get("/admin/")

    found = sections(response)
    assert [name for name in found if name == "Accounts"] == ["Accounts"]
    # allauth's email addresses and two-factor authenticators sit with the
    # users they belong to; no "MFA" section of their own.
    assert found["Accounts"] == ["Authenticators", "Email addresses", "Users"]
    assert "MFA" not in found


def test_the_sections_of_allauths_apps_lead_to_the_accounts_section(admin_client):
    for folded in ("/admin/account/", "/admin/mfa/"):
        response = admin_client.get(folded)
        assert (response.status_code, response["Location"]) == (302, "/admin/accounts/")

    response = admin_client.get("/admin/accounts/")

    assert sections(response)["Accounts"] == [
        "Authenticators",
        "Email addresses",
        "Users",
    ]


def test_allauths_email_addresses_still_work_in_the_admin(admin_client):
    user = make_verified_user(email="rowan@example.org")

    response = admin_client.get("/admin/account/emailaddress/")

    assert response.status_code == 200
    assert "rowan@example.org" in response.content.decode()
    response = admin_client.get(f"/admin/mfa/authenticator/?user__id__exact={user.pk}")
    assert response.status_code == 200


def test_markdown_editors_load_the_side_by_side_stylesheet(admin_client):
    specialist = make_specialist()
    article = make_article()

    for url in (
        f"/admin/specialists/specialist/{specialist.pk}/change/",
        f"/admin/articles/article/{article.pk}/change/",
    ):
        page = parse_html(admin_client.get(url).content.decode())
        stylesheets = [
            link.attrs["href"] for link in page.find_all("link", rel="stylesheet")
        ]
        # Ours comes after markdownx's own (.min.css with DEBUG off), whose
        # widths it replaces.
        markdown = [s for s in stylesheets if "markdown" in s]
        assert len(markdown) == 2, url
        assert markdown[0].startswith("/static/markdownx/admin/css/markdownx."), url
        assert markdown[1] == "/static/admin/css/markdown_editor.css", url
