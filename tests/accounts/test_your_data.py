import json

from allauth.account.models import EmailAddress

from accounts.models import User
from contact.models import ContactMessage
from tests.factories import make_verified_user

PASSWORD = "a-long-test-password"


def make_writer():
    user = make_verified_user(email="writer@example.org", name="Sam")
    ContactMessage.objects.create(user=user, subject="My subject", message="My words")
    return user


def test_your_data_page_lists_what_the_site_holds(client, db):
    client.force_login(make_writer())

    content = client.get("/account/data/").content.decode()

    for shown in [
        "writer@example.org",
        "Sam",
        "My subject",
        "My words",
        "Messages to us",
    ]:
        assert shown in content


def test_your_data_needs_a_login(client, db):
    response = client.get("/account/data/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/account/data/")


def test_download_has_everything_as_json(client, db):
    client.force_login(make_writer())

    response = client.get("/account/data/download/")

    assert response["Content-Disposition"] == 'attachment; filename="your-data.json"'
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["Account"][0]["email"] == "writer@example.org"
    assert data["Email addresses"] == [
        {"email": "writer@example.org", "verified": True, "primary": True}
    ]
    assert data["Messages to us"][0]["message"] == "My words"


def test_wrong_password_does_not_delete_the_account(client, db):
    user = make_writer()
    client.force_login(user)

    response = client.post("/account/delete/", {"password": "not my password"})

    assert response.status_code == 200
    assert "This is not your password." in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_deleting_removes_the_account_and_everything_only_theirs(client, db):
    user = make_writer()
    client.force_login(user)

    response = client.post("/account/delete/", {"password": PASSWORD}, follow=True)

    assert "Your account and your data have been deleted." in response.content.decode()
    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email="writer@example.org").exists()
    assert not ContactMessage.objects.exists()
    assert "_auth_user_id" not in client.session
