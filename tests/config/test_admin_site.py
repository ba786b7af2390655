"""The admin's index: one "Accounts" section."""

from allauth.mfa.models import Authenticator

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


def test_allauths_email_addresses_still_work_in_the_admin(admin_client, admin_user):
    response = admin_client.get("/admin/account/emailaddress/")
    assert response.status_code == 200
    assert admin_client.get("/admin/mfa/authenticator/").status_code == 200
    assert Authenticator.objects.count() == 0
