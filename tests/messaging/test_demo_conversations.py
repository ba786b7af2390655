"""The demo specialist's inbox shows conversations told apart by name and pseudonym."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from messaging.models import Conversation, Message
from specialists.models import Specialist
from tests.html import parse_html


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def loaded(settings, db):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=io.StringIO(), stderr=io.StringIO())
    return Specialist.objects.get(user__email="demo-1@example.invalid")


def test_the_demo_specialist_has_named_unnamed_and_unread_conversations(loaded):
    EmailAddress.objects.get_or_create(
        user=loaded.user,
        email=loaded.user.email,
        defaults={"verified": True, "primary": True},
    )
    client = Client()
    client.force_login(loaded.user)

    page = parse_html(client.get("/messages/").content)

    rows = page.find_all("li", class_="conversation-row")
    names = sorted(row.find("a").text for row in rows)
    numbers = sorted(
        f"Visitor {n}"
        for n in Conversation.objects.filter(user__name="").values_list(
            "visitor_number", flat=True
        )
    )
    assert names == ["Jo", *numbers]
    assert len([row for row in rows if "is-unread" in row.classes]) == 2
    assert "example.invalid" not in str(page.find("main").text)


def test_a_second_run_keeps_the_conversations_and_their_pseudonyms(loaded):
    before = sorted(Conversation.objects.values_list("pk", "visitor_number"))
    messages = Message.objects.count()

    call_command("load_demo_data", stdout=io.StringIO(), stderr=io.StringIO())

    assert sorted(Conversation.objects.values_list("pk", "visitor_number")) == before
    assert Message.objects.count() == messages


def test_demo_visitors_cannot_log_in_and_go_with_remove(loaded):
    visitors = User.objects.filter(email__startswith="demo-visitor-")
    assert visitors.count() == 3
    assert not any(v.has_usable_password() for v in visitors)

    call_command("load_demo_data", "--remove", stdout=io.StringIO())

    assert not User.objects.exists()
    assert not Conversation.objects.exists()
    assert not Message.objects.exists()
