import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError

from accounts.models import User


def test_user_model_is_the_custom_one_identified_by_email():
    assert get_user_model() is User
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(User, "username")


def test_email_is_stored_in_lower_case_and_used_to_log_in(db):
    User.objects.create_user(
        email="  Reader@Example.COM ", password="a-long-test-password"
    )

    user = authenticate(email="reader@example.com", password="a-long-test-password")

    assert user is not None
    assert user.email == "reader@example.com"


def test_two_accounts_cannot_share_an_address_in_any_case(db):
    User.objects.create_user(email="reader@example.com")

    with pytest.raises(IntegrityError):
        User.objects.create(email="READER@example.com")


def test_superuser_is_staff(db):
    admin = User.objects.create_superuser(email="admin@example.com", password="x")

    assert admin.is_staff is True
    assert admin.is_superuser is True
