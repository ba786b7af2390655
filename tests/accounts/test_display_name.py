"""A person chooses the name the specialists they write to see."""

import pytest

from accounts.models import User
from tests.factories import make_verified_user
from tests.html import parse_html


@pytest.fixture
def person(client, db):
    user = make_verified_user(email="sam@example.org")
    client.force_login(user)
    return user


def test_the_name_page_explains_who_sees_the_name(client, person):
    page = parse_html(client.get("/account/name/").content)

    field = page.find("input", id="id_name")
    assert field.attrs["maxlength"] == "50"
    assert "required" not in field.attrs
    help_text = page.find(id=field.attrs["aria-describedby"]).text
    assert "Specialists you write to see this name" in help_text
    assert "need not be your real name" in help_text
    nav = page.find("nav", class_="account-nav")
    assert nav.find("a", href="/account/name/").text == "Your name"


def test_saving_a_name_keeps_it_and_says_so(client, person):
    response = client.post("/account/name/", {"name": "  Robin   R. "}, follow=True)

    assert response.redirect_chain == [("/account/name/", 302)]
    assert "Your name has been saved." in response.content.decode()
    person.refresh_from_db()
    assert person.name == "Robin R."
    field = parse_html(response.content).find("input", id="id_name")
    assert field.attrs["value"] == "Robin R."


def test_a_name_stays_on_one_line(client, person):
    client.post("/account/name/", {"name": "Sam\r\nBcc: Robin"})

    person.refresh_from_db()
    assert person.name == "Sam Bcc: Robin"


def test_an_empty_name_goes_back_to_the_pseudonym(client, person):
    person.name = "Robin"
    person.save()

    response = client.post("/account/name/", {"name": ""})

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == ""


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("x" * 51, "Ensure this value has at most 50 characters (it has 51)."),
        ("sam@example.org", "This looks like an email address."),
        ("Sam (sam@example.org)", "This looks like an email address."),
        ("Sam\u0007", "Please use letters, numbers and punctuation only."),
        ("Sam\u202eevil", "Please use letters, numbers and punctuation only."),
    ],
)
def test_a_name_that_is_too_long_an_address_or_has_control_characters_is_refused(
    client, person, name, error
):
    response = client.post("/account/name/", {"name": name})

    assert response.status_code == 200
    page = parse_html(response.content)
    assert error in page.find(class_="error-summary").text
    assert page.find("input", id="id_name").attrs["aria-invalid"] == "true"
    assert User.objects.get(pk=person.pk).name == ""


def test_the_name_page_needs_a_login(client, db):
    response = client.get("/account/name/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/account/name/")


def test_sign_up_asks_for_no_name(client, db):
    """The name is optional and chosen later, in the account: sign-up stays
    email and password only."""
    page = parse_html(client.get("/accounts/signup/").content)

    assert page.find("input", name="email")
    assert page.find_all("input", name="name") == []
