"""CachedSelect writes the HTML Django's Select writes, for every select the
site renders with it, and for choices that try to break it."""

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe

from consultations.forms import TimeZoneForm
from core.select import CachedSelect
from core.timezones import TimeZoneField
from specialists.directory import DirectoryFilterForm
from specialists.forms import SpecialistForm
from tests.factories import make_bookable_specialist, make_user


@pytest.fixture
def as_django(monkeypatch):
    """render() called twice: with CachedSelect, then with Django's Select
    rendering the very same widgets."""

    def both(render):
        ours = render()
        with monkeypatch.context() as patch:
            patch.setattr(CachedSelect, "render", forms.Select.render)
            django = render()
        return ours, django

    return both


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"country": "DE"},
        {"country": ""},
        {"country": "ZZ"},
        {"country": "de"},
    ],
)
def test_directory_country_select_is_djangos_html(db, as_django, data):
    def render():
        form = DirectoryFilterForm(data)
        if data is not None:
            form.is_valid()  # an invalid country gets aria-invalid
        return str(form["country"])

    ours, django = as_django(render)
    assert ours == django
    assert ours.count("<option") > 240


@pytest.mark.parametrize(
    "tz",
    # Berlin is listed twice (common zones, then all): only the first is selected.
    ["Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires", "Nowhere/Fake", ""],
)
def test_time_zone_select_is_djangos_html(as_django, tz):
    ours, django = as_django(lambda: str(TimeZoneForm(initial={"tz": tz})["tz"]))
    assert ours == django
    assert ours.count(" selected>") == (0 if tz in ("Nowhere/Fake", "") else 1)

    bound, django_bound = as_django(lambda: str(TimeZoneForm({"tz": tz})["tz"]))
    assert bound == django_bound


def test_profile_form_selects_are_djangos_html(db, as_django):
    specialist = make_bookable_specialist(country="PL", time_zone="Europe/Warsaw")

    def render():
        new = SpecialistForm(instance=None)
        edit = SpecialistForm(instance=specialist)
        refused = SpecialistForm({"time_zone": "Mars/Base", "country": "XX"})
        refused.is_valid()
        return [
            str(f[name])
            for f in (new, edit, refused)
            for name in ("country", "time_zone")
        ]

    ours, django = as_django(render)
    assert ours == django
    assert 'data-browser-zone=""' in ours[1]
    assert 'aria-invalid="true"' in ours[5]


def test_translated_labels_are_cached_per_language(db, as_django):
    english, german = (
        as_django(
            lambda lang=lang: _in(lang, lambda: str(DirectoryFilterForm()["country"]))
        )
        for lang in ("en", "de")
    )
    assert english[0] == english[1]
    assert german[0] == german[1]
    assert "Germany" in english[0]
    assert "Deutschland" in german[0]


def _in(language, render):
    with translation.override(language):
        return render()


class HostileForm(forms.Form):
    pick = forms.ChoiceField(
        widget=CachedSelect(attrs={"aria-describedby": "x-help", "class": "a&b"}),
        choices=[
            (None, "Nothing"),
            ("", "Empty"),
            (1, "One"),
            ("<b>", '"quoted" & <b>bold</b>'),
            ("safe", mark_safe("<em>safe</em>")),
            ("Group & co", [("g1", "G1"), ("1", "one again"), ("g'2", "it's")]),
            ("", [("ungrouped", "no label")]),
        ],
    )


@pytest.mark.parametrize("value", [None, "", "1", "<b>", "g'2", "safe", "zzz"])
def test_hostile_choices_and_attributes_are_escaped_as_django_does(as_django, value):
    ours, django = as_django(lambda: str(HostileForm(initial={"pick": value})["pick"]))
    assert ours == django
    assert "<b>bold" not in ours


def test_changed_choices_are_rendered_anew(as_django):
    field = TimeZoneField(empty_label="Pick one")
    form = forms.Form()
    form.fields["zone"] = field
    before = str(form["zone"])
    field.widget.choices = [("", "Pick one"), ("Europe/Paris", "Paris only")]
    ours, django = as_django(lambda: str(form["zone"]))

    assert ours == django
    assert ours != before
    assert ours.count("<option") == 2


def test_a_multiple_select_is_left_to_django(as_django):
    widget = type("Multi", (CachedSelect,), {"allow_multiple_selected": True})(
        choices=[("a", "A"), ("b", "B")]
    )
    ours, django = as_django(lambda: widget.render("m", ["a", "b"]))
    assert ours == django
    assert ours.count("selected") == 2


def test_directory_and_booking_pages_are_unchanged(client, db, as_django):
    specialist = make_bookable_specialist(country="DE", time_zone="Europe/Berlin")
    make_user()
    urls = [
        "/specialists/?country=DE&q=x",
        f"/specialists/{specialist.slug}/book/?tz=Asia/Kolkata",
    ]
    for url in urls:
        ours, django = as_django(lambda url=url: client.get(url).content)
        assert ours == django
        assert b" selected>" in ours


def test_options_are_rendered_once_and_reused(db):
    from core.select import _rendered_options

    str(TimeZoneForm(initial={"tz": "UTC"})["tz"])
    built = _rendered_options.cache_info().misses

    for tz in ("Europe/Berlin", "Asia/Kolkata", "UTC"):
        str(TimeZoneForm(initial={"tz": tz})["tz"])

    assert _rendered_options.cache_info().misses == built
