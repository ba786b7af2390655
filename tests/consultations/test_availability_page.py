"""The specialist's availability page: the whole week, dates off and settings
in one form and one save; add and copy buttons that work without JavaScript;
errors next to the range that causes them; a preview that saves nothing."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone

from consultations import services
from consultations.models import DateOff
from specialists.models import FreeSlot
from tests.factories import make_bookable_specialist, make_booking, make_verified_user

URL = "/specialists/me/availability/"
SAVED = [(0, time(9), time(12)), (2, time(14), time(17))]


@pytest.fixture(autouse=True)
def fresh_rate_limits(db):
    cache.clear()


@pytest.fixture
def specialist(db):
    return make_bookable_specialist(
        user=make_verified_user(),
        slug="rowan",
        time_zone="Europe/Berlin",
        windows=[(d, f"{s:%H:%M}", f"{e:%H:%M}") for d, s, e in SAVED],
    )


@pytest.fixture
def specialist_client(client, specialist):
    client.force_login(specialist.user)
    return client


def week(**days):
    """Form data for the hours: week(mon=["09:00-12:00"], ...), rows numbered
    from 0 per day, plus the settings, with action "save"."""
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    data = {
        "action": "save",
        "minimum_notice_hours": "0",
        "horizon_days": "30",
        "offers_free_consultation": "on",
    }
    for name, ranges in days.items():
        if name == "off":
            for n, (first, last) in enumerate(ranges):
                data.update({f"off-{n}-start": first, f"off-{n}-end": last})
            continue
        weekday = names.index(name)
        for n, span in enumerate(ranges):
            start, end = span.split("-")
            data.update({f"hours-{weekday}-{n}-start": start, f"hours-{weekday}-{n}-end": end})  # fmt: skip
    return data


def saved_hours(specialist):
    return [(w.weekday, w.start, w.end) for w in specialist.availability.windows.all()]


def free_slot_starts(specialist):
    return list(FreeSlot.objects.filter(specialist=specialist).values_list("start", flat=True))  # fmt: skip


def error_next_to(html, field_id):
    """The error messages rendered with the field `field_id` (its errorlist,
    which the field's aria-describedby names)."""
    found = re.search(rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', html, re.S)  # fmt: skip
    if not found:
        return []
    input_tag = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', html)[0]
    assert 'aria-invalid="true"' in input_tag
    assert f"{field_id}_error" in input_tag  # aria-describedby
    return re.findall(r"<li>(.*?)</li>", found[1])


def test_the_page_shows_the_week_day_by_day_with_the_saved_ranges(
    specialist_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = specialist_client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    legends = re.findall(r'<fieldset class="field-group" id="day-\d"[^>]*>\s*<legend>(\w+)</legend>', html)  # fmt: skip
    assert legends == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]  # fmt: skip
    assert 'name="hours-0-0-start" value="09:00"' in html
    assert 'name="hours-0-0-end" value="12:00"' in html
    assert 'name="hours-2-0-start" value="14:00"' in html
    assert 'name="hours-0-1-start"' in html  # one empty row to fill
    assert html.count('value="save"') == 2  # Enter's default, and the one Save button
    assert "static/js/availability.js" in html or "js/availability" in html


def test_a_week_of_hours_with_several_ranges_is_saved_in_one_go(specialist_client, specialist):  # fmt: skip
    data = week(
        mon=["08:00-12:00", "13:00-17:00"],
        tue=["09:00-12:00"],
        wed=["09:00-11:00", "12:00-14:00", "18:00-20:00"],
        thu=["08:00-12:00", "13:00-17:00"],
        fri=["10:00-13:00"],
        sat=["22:00-00:00"],
    )

    response = specialist_client.post(URL, data)

    assert response.status_code == 302
    assert len(saved_hours(specialist)) == 10
    assert (5, time(22), time(0)) in saved_hours(specialist)
    # Saving refreshes the free times the directory shows.
    now = timezone.now()
    assert free_slot_starts(specialist) == services.free_slots(specialist, now=now)[: len(free_slot_starts(specialist))]  # fmt: skip
    zone = ZoneInfo("Europe/Berlin")
    saturdays = [s.astimezone(zone) for s in services.free_slots(specialist) if s.astimezone(zone).weekday() == 5]  # fmt: skip
    assert saturdays[0].time() == time(22)
    assert saturdays[3].time() == time(23, 30)  # until midnight


def test_24_00_typed_as_an_end_means_midnight(specialist_client, specialist):
    response = specialist_client.post(URL, week(sun=["20:00-24:00"]))

    assert response.status_code == 302
    assert saved_hours(specialist) == [(6, time(20), time(0))]


INVALID = [
    pytest.param(week(tue=["12:00-09:00"]), "id_hours-1-0-end", "The end must be after the start. For midnight at the end of the day, enter 00:00.", id="end-before-start"),
    pytest.param(week(tue=["09:00-09:00"]), "id_hours-1-0-end", "The end must be after the start. For midnight at the end of the day, enter 00:00.", id="end-equals-start"),
    pytest.param(week(tue=["09:00-12:00", "11:00-13:00"]), "id_hours-1-1-start", "This overlaps 09:00–12:00.", id="overlap"),
    pytest.param(week(tue=["08:00-18:00", "09:00-10:00", "12:00-13:00"]), "id_hours-1-2-start", "This overlaps 08:00–18:00.", id="overlap-inside-a-long-range"),
    pytest.param(week(tue=["25:00-26:00"]), "id_hours-1-0-start", "Enter a time from 00:00 to 24:00, such as 09:00 or 17:30.", id="outside-the-day"),
    pytest.param(week(tue=["24:00-24:00"]), "id_hours-1-0-start", "Enter a time from 00:00 to 24:00, such as 09:00 or 17:30.", id="start-at-24"),
    pytest.param(week(tue=["09:15-12:00"]), "id_hours-1-0-start", "Use a time on the hour or half hour, such as 09:00 or 09:30.", id="off-the-half-hour"),
    pytest.param(week(tue=["09:00-"]), "id_hours-1-0-end", "Give an end time too, or clear both times to remove this range.", id="no-end"),
    pytest.param(week(tue=["-12:00"]), "id_hours-1-0-start", "Give a start time too, or clear both times to remove this range.", id="no-start"),
    pytest.param(week(tue=[f"{h:02d}:00-{h:02d}:30" for h in range(7)]), "id_hours-1-6-start", "A day can have at most 6 ranges: remove this one or join it with another.", id="too-many-ranges"),
    pytest.param(week(off=[("2030-01-10", "2030-01-05")]), "id_off-0-end", "The last day off cannot be before the first.", id="dates-off-end-before-start"),
    pytest.param(week(off=[("2030-01-01", "2031-01-01")]), "id_off-0-end", "Days off can last at most 365 days in one go.", id="dates-off-too-long"),
    pytest.param(week(off=[("2030-01-01", "2030-01-10"), ("2030-01-10", "2030-01-12")]), "id_off-1-start", "This overlaps 1 Jan 2030–10 Jan 2030.", id="dates-off-overlap"),
    pytest.param(week(off=[(f"2030-02-{d:02d}", "") for d in range(1, 22)]), "id_off-20-start", "You can list at most 20 times off: remove this one or join it with another.", id="too-many-dates-off"),
    pytest.param({**week(), "off-0-start": "2030-13-01"}, "id_off-0-start", "Enter a valid date.", id="dates-off-not-a-date"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "field_id", "message"), INVALID)
def test_each_invalid_range_is_refused_next_to_it_and_nothing_saved_changes(
    specialist_client, specialist, data, field_id, message
):
    DateOff.objects.create(
        availability=specialist.availability,
        start=date(2030, 3, 1),
        end=date(2030, 3, 2),
    )
    free_before = free_slot_starts(specialist)
    data = {**data, "hours-4-0-start": "10:00", "hours-4-0-end": "11:30"}

    response = specialist_client.post(URL, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert error_next_to(html, field_id) == [message]
    # The summary at the top links to it.
    assert re.search(rf'<a href="#{field_id}">[^<]*: {re.escape(message)}</a>', html)
    # Nothing saved changed; nothing typed is lost.
    assert saved_hours(specialist) == SAVED
    assert [(d.start, d.end) for d in specialist.availability.dates_off.all()] == [
        (date(2030, 3, 1), date(2030, 3, 2))
    ]
    assert free_slot_starts(specialist) == free_before
    assert 'name="hours-4-0-start" value="10:00"' in html
    assert 'name="hours-4-0-end" value="11:30"' in html


def test_a_refused_form_keeps_what_was_typed_as_typed(specialist_client):
    data = week(tue=["25:00-12:00"], wed=["09:00-10:00"])

    html = specialist_client.post(URL, data).content.decode()

    assert 'name="hours-1-0-start" value="25:00"' in html
    assert 'name="hours-1-0-end" value="12:00"' in html
    assert 'name="hours-2-0-start" value="09:00"' in html


def test_ranges_that_touch_do_not_overlap(specialist_client, specialist):
    response = specialist_client.post(URL, week(mon=["09:00-12:00", "12:00-14:00"]))

    assert response.status_code == 302
    assert saved_hours(specialist) == [(0, time(9), time(12)), (0, time(12), time(14))]


def test_copy_to_all_weekdays_fills_monday_to_friday_without_saving(
    specialist_client, specialist
):
    data = {**week(tue=["08:00-09:00"], sat=["10:00-11:00"], mon=["09:00-12:00", "13:00-17:00"]), "action": "copy-0"}  # fmt: skip

    response = specialist_client.post(URL, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Monday&#x27;s hours are copied to every weekday, Monday to Friday. Nothing is saved yet" in html  # fmt: skip
    for weekday in range(5):
        assert f'name="hours-{weekday}-0-start" value="09:00"' in html
        assert f'name="hours-{weekday}-1-end" value="17:00"' in html
    assert 'name="hours-1-0-start" value="08:00"' not in html  # Tuesday replaced
    assert 'name="hours-5-0-start" value="10:00"' in html  # Saturday kept
    assert "errorlist" not in html
    assert saved_hours(specialist) == SAVED

    # Saving what came back saves the copied week.
    specialist_client.post(URL, week(**{d: ["09:00-12:00", "13:00-17:00"] for d in ["mon", "tue", "wed", "thu", "fri"]}))  # fmt: skip
    assert len(saved_hours(specialist)) == 10


def test_add_a_range_without_javascript_adds_an_empty_row_and_keeps_the_rest(
    specialist_client, specialist
):
    data = {**week(wed=["09:00-10:00", "25:00-"]), "minimum_notice_hours": "x", "off-0-start": "2030-05-01", "action": "add-2"}  # fmt: skip

    response = specialist_client.post(URL, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "One more range for Wednesday. Nothing is saved yet." in html
    assert 'name="hours-2-0-start" value="09:00"' in html
    assert 'name="hours-2-1-start" value="25:00"' in html
    assert re.search(r'name="hours-2-2-start"(?! value)', html)  # the new, empty row
    assert 'name="hours-2-3-start"' not in html
    assert 'name="minimum_notice_hours" value="x"' in html
    assert 'name="off-0-start" value="2030-05-01"' in html
    assert "errorlist" not in html  # not validated: nothing was sent to be saved
    assert saved_hours(specialist) == SAVED


def test_rows_numbered_with_gaps_by_the_script_are_all_saved(specialist_client, specialist):  # fmt: skip
    data = week()
    data.update({"hours-3-0-start": "09:00", "hours-3-0-end": "10:00", "hours-3-7-start": "11:00", "hours-3-7-end": "12:00"})  # fmt: skip

    assert specialist_client.post(URL, data).status_code == 302
    assert saved_hours(specialist) == [(3, time(9), time(10)), (3, time(11), time(12))]


def test_a_day_full_of_ranges_gets_no_more_rows(specialist_client, specialist):
    full = [f"{h:02d}:00-{h:02d}:30" for h in range(6)]
    response = specialist_client.post(URL, {**week(thu=full), "action": "add-3"})

    html = response.content.decode()
    assert "A day can have at most 6 ranges." in html
    assert 'name="hours-3-6-start"' not in html
    assert re.search(r'value="add-3"[^>]*disabled', html)

    specialist_client.post(URL, week(thu=full))
    assert len(saved_hours(specialist)) == 6


def test_preview_shows_the_next_7_days_from_the_unsaved_form_and_saves_nothing(
    specialist_client, specialist
):
    free_before = free_slot_starts(specialist)
    every_day = {d: ["06:00-07:00"] for d in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}  # fmt: skip

    response = specialist_client.post(URL, {**week(**every_day), "action": "preview"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview: your free times in the next 7 days" in html
    section = html[html.index("data-preview") : html.index("</section>")]
    days = re.findall(r"<dt>(.*?)</dt>", section)
    today = timezone.now().astimezone(ZoneInfo("Europe/Berlin")).date()
    assert len(days) == 7
    assert days[1] == f"{today + timedelta(days=1):%A} {(today + timedelta(days=1)).day} {today + timedelta(days=1):%B}"  # fmt: skip
    assert section.count('<span class="preview-slot">06:00</span>') >= 6
    assert section.count('<span class="preview-slot">06:30</span>') >= 6
    assert "09:00" not in section  # the saved hours are not the ones previewed
    # The form comes back as typed, nothing written.
    assert 'name="hours-6-0-start" value="06:00"' in html
    assert saved_hours(specialist) == SAVED
    assert free_slot_starts(specialist) == free_before


def test_preview_leaves_out_taken_times_and_dates_off(specialist_client, specialist):
    zone = ZoneInfo("Europe/Berlin")
    tomorrow = timezone.now().astimezone(zone).date() + timedelta(days=1)
    after = tomorrow + timedelta(days=1)
    make_booking(specialist, start=datetime.combine(after, time(6), tzinfo=zone))
    every_day = {d: ["06:00-07:00"] for d in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}  # fmt: skip
    data = {**week(**every_day, off=[(tomorrow.isoformat(), "")]), "action": "preview"}

    html = specialist_client.post(URL, data).content.decode()

    section = html[html.index("data-preview") : html.index("</section>")]
    rows = dict(re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", section, re.S))
    assert rows[f"{tomorrow:%A} {tomorrow.day} {tomorrow:%B}"] == "No free times"
    assert "06:00" not in rows[f"{after:%A} {after.day} {after:%B}"]
    assert "06:30" in rows[f"{after:%A} {after.day} {after:%B}"]


def test_preview_of_an_invalid_form_shows_the_errors_and_no_preview(specialist_client):
    response = specialist_client.post(URL, {**week(mon=["10:00-09:00"]), "action": "preview"})  # fmt: skip

    html = response.content.decode()
    assert "Preview: your free times" not in html
    assert error_next_to(html, "id_hours-0-0-end")


def test_date_off_ranges_remove_every_slot_in_them(specialist_client, specialist):
    zone = ZoneInfo("Europe/Berlin")
    today = timezone.now().astimezone(zone).date()
    first, last = today + timedelta(days=3), today + timedelta(days=9)
    every_day = {d: ["09:00-17:00"] for d in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}  # fmt: skip

    response = specialist_client.post(URL, week(**every_day, off=[(first.isoformat(), last.isoformat())]))  # fmt: skip

    assert response.status_code == 302
    [off] = specialist.availability.dates_off.all()
    assert (off.start, off.end) == (first, last)
    local_days = {s.astimezone(zone).date() for s in services.free_slots(specialist)}
    assert today + timedelta(days=2) in local_days
    assert today + timedelta(days=10) in local_days
    assert not {first + timedelta(days=n) for n in range(7)} & local_days


def test_a_single_day_off_needs_no_end(specialist_client, specialist):
    specialist_client.post(URL, week(off=[("2030-01-07", "")]))

    [off] = specialist.availability.dates_off.all()
    assert off.start == off.end == date(2030, 1, 7)


def test_past_dates_off_are_not_shown(specialist_client, specialist):
    DateOff.objects.create(availability=specialist.availability, start=date(2020, 1, 1), end=date(2020, 1, 3))  # fmt: skip
    DateOff.objects.create(availability=specialist.availability, start=date(2030, 1, 1), end=date(2030, 1, 3))  # fmt: skip

    html = specialist_client.get(URL).content.decode()

    assert 'value="2030-01-01"' in html
    assert 'value="2020-01-01"' not in html


def test_clearing_both_times_removes_a_range(specialist_client, specialist):
    data = week(mon=["09:00-12:00"])
    data.update({"hours-2-0-start": "", "hours-2-0-end": ""})

    specialist_client.post(URL, data)

    assert saved_hours(specialist) == [(0, time(9), time(12))]


def test_an_unknown_action_saves_like_the_save_button(specialist_client, specialist):
    response = specialist_client.post(URL, {**week(mon=["09:00-10:00"]), "action": "add-9"})  # fmt: skip

    assert response.status_code == 302
    assert saved_hours(specialist) == [(0, time(9), time(10))]
