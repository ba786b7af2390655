"""A specialist's time zone: chosen from one list, checked by one validator."""

import pytest
from django.core.exceptions import ValidationError

from core.timezones import TIME_ZONES, validate_time_zone
from specialists.models import Specialist
from tests.factories import make_specialist, make_verified_user
from tests.html import parse_html

from .test_profile import profile_data


@pytest.fixture
def owner_client(client, db):
    user = make_verified_user()
    client.force_login(user)
    client.specialist = make_specialist(user=user, time_zone="Europe/Berlin")
    return client


def test_profile_form_offers_every_zone_of_the_list(owner_client):
    page = parse_html(owner_client.get("/specialists/me/edit/").content)

    select = page.find("select", name="time_zone")
    every = select.find_all("optgroup")[-1]
    assert every.attrs["label"] == "All time zones"
    assert [option.attrs["value"] for option in every.find_all("option")] == TIME_ZONES
    assert "maxlength" not in select.attrs


def test_a_new_profile_has_no_zone_until_one_is_chosen(client, db):
    client.force_login(make_verified_user())

    page = parse_html(client.get("/specialists/new/").content)

    select = page.find("select", name="time_zone")
    chosen = [o for o in select.find_all("option") if "selected" in o.attrs]
    assert [o.attrs["value"] for o in chosen] == [""]
    assert "data-browser-zone" in select.attrs  # site.js suggests the browser's
    response = client.post(
        "/specialists/new/", profile_data(time_zone="", display_name="New")
    )
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    assert not Specialist.objects.filter(display_name="New").exists()


def test_a_zone_not_in_the_list_is_refused_with_a_clear_message(owner_client):
    response = owner_client.post(
        "/specialists/me/edit/", profile_data(time_zone="Mars/Olympus")
    )

    assert response.status_code == 200
    assert (
        "“Mars/Olympus” is not a time zone we know. Please choose one from the list."
        in response.content.decode()
    )
    owner_client.specialist.refresh_from_db()
    assert owner_client.specialist.time_zone == "Europe/Berlin"


def test_a_zone_from_the_list_is_saved(owner_client):
    response = owner_client.post(
        "/specialists/me/edit/", profile_data(time_zone="America/New_York")
    )

    assert response.status_code == 302
    owner_client.specialist.refresh_from_db()
    assert owner_client.specialist.time_zone == "America/New_York"


@pytest.mark.parametrize("value", ["Mars/Olympus", "", "localtime", "Factory"])
def test_validator_refuses_what_is_not_a_place(value):
    with pytest.raises(ValidationError) as error:
        validate_time_zone(value)
    assert error.value.code == "unknown_time_zone"


def test_the_zone_list_stays_out_of_migrations():
    # Choices would be written into the migration, and a tzdata update that
    # adds or renames a zone would then ask for a new one.
    _name, _path, _args, kwargs = Specialist._meta.get_field("time_zone").deconstruct()
    assert "choices" not in kwargs
    assert kwargs["validators"] == [validate_time_zone]


def test_staff_choose_the_zone_from_the_list_in_the_admin(admin_client, db):
    specialist = make_specialist(time_zone="Asia/Kolkata")

    page = parse_html(
        admin_client.get(
            f"/admin/specialists/specialist/{specialist.pk}/change/"
        ).content
    )

    select = page.find("select", name="time_zone")
    selected = [
        o.attrs["value"] for o in select.find_all("option") if "selected" in o.attrs
    ]
    assert selected == ["Asia/Kolkata"]
