"""The public directory at /specialists/: who is listed, filters, pages, queries."""

import importlib
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from core import pagecache
from core.models import Topic
from specialists.models import FreeSlot, Language, Specialist
from tests.factories import (
    jpeg_bytes,
    make_bookable_specialist,
    make_specialist,
    unique_number,
)
from tests.html import card_names, parse_html


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# Free consultations every day, 09:00-17:00 in the specialist's zone.
EVERY_DAY = [(weekday, "09:00", "17:00") for weekday in range(7)]


@pytest.fixture
def topics(db):
    return {
        slug: Topic.objects.create(name=slug.title(), slug=slug)
        for slug in ("stalking", "trauma")
    }


@pytest.fixture
def languages(db):
    return {
        code: Language.objects.create(code=code, name=name)
        for code, name in (("en", "English"), ("de", "German"), ("fr", "French"))
    }


@pytest.fixture
def three_specialists(topics, languages):
    """Anna, Ben and Cleo: each filter tells at least one of them apart."""
    make_bookable_specialist(
        display_name="Anna Arendt",
        headline="Clinical psychologist",
        bio="I work with survivors of online abuse.",
        topics=[topics["stalking"]],
        languages=[languages["de"]],
        offers_video=True,
        offers_phone=False,
        offers_in_person=False,
        windows=EVERY_DAY,
        country="DE",
        city="Berlin",
    )
    make_specialist(
        display_name="Ben Brook",
        headline="Counsellor",
        bio="Workplace conflicts.",
        topics=[topics["trauma"]],
        languages=[languages["en"]],
        offers_video=False,
        offers_phone=True,
        offers_in_person=False,
        offers_free_consultation=False,
        country="GB",
        city="London",
    )
    make_bookable_specialist(
        display_name="Cleo Carre",
        headline="Psychotherapist",
        bio="Long-term therapy.",
        topics=[topics["stalking"], topics["trauma"]],
        languages=[languages["en"], languages["fr"]],
        offers_video=False,
        offers_phone=False,
        offers_in_person=True,
        windows=EVERY_DAY,
        country="FR",
        city="Paris",
    )


def test_only_approved_profiles_are_listed(client, db):
    make_specialist(display_name="Approved Alma")
    for status in ("draft", "pending", "changes"):
        make_specialist(display_name=f"Hidden {status}", status=status)

    response = client.get("/specialists/")

    assert card_names(response) == ["Approved Alma"]
    assert response.context["section"] == "specialists"
    assert parse_html(response.content).find("h1").text == "Find a specialist"


def test_specialists_offering_a_free_consultation_come_first(client, db):
    make_specialist(display_name="Aaron Paid", offers_free_consultation=False)
    make_bookable_specialist(display_name="Zoe Free", windows=EVERY_DAY)
    make_bookable_specialist(display_name="Bea Free", windows=EVERY_DAY)
    # The switch is on, but there are no hours: nothing to book, not featured.
    make_specialist(display_name="Abe No-hours", offers_free_consultation=True)
    make_bookable_specialist(
        display_name="Al Switched-off",
        offers_free_consultation=False,
        windows=EVERY_DAY,
    )

    response = client.get("/specialists/")

    assert card_names(response) == [
        "Bea Free",
        "Zoe Free",
        "Aaron Paid",
        "Abe No-hours",
        "Al Switched-off",
    ]
    cards = parse_html(response.content).find_all("article", class_="specialist-card")
    assert ["Free consultation" in card.text for card in cards] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert ["Next free:" in card.text for card in cards] == [
        True,
        True,
        False,
        False,
        False,
    ]


def test_the_free_filter_lists_only_specialists_who_can_be_booked_now(client, db):
    make_bookable_specialist(display_name="Bea Free", windows=EVERY_DAY)
    make_specialist(display_name="Abe No-hours", offers_free_consultation=True)

    assert card_names(client.get("/specialists/?free=on")) == ["Bea Free"]


def offer_slots_in(specialist, *hours):
    """Free times `hours` from now in the specialist's FreeSlot copy (12 hours'
    notice, 30 days ahead), as refresh_free_slots would write them."""
    now = timezone.now()
    for hour in hours:
        start = now + timedelta(hours=hour)
        FreeSlot.objects.create(
            specialist=specialist,
            start=start,
            bookable_until=start - timedelta(hours=12),
            visible_from=start - timedelta(days=30),
        )


def test_soonest_available_sort_puts_the_earliest_free_time_first(client, db):
    offer_slots_in(make_specialist(display_name="Ada Late"), 60, 70)
    offer_slots_in(make_specialist(display_name="Zed Early"), 13, 90)
    make_specialist(display_name="Bo None", offers_free_consultation=True)
    # In 6 hours is within the notice: Cy's next free time is in 40 hours.
    offer_slots_in(make_specialist(display_name="Cy Later"), 6, 40)
    # Beyond the 30-day horizon: not bookable yet.
    offer_slots_in(make_specialist(display_name="Di Beyond"), 24 * 31)

    response = client.get("/specialists/?sort=soonest")

    assert card_names(response) == [
        "Zed Early",
        "Cy Later",
        "Ada Late",
        "Bo None",
        "Di Beyond",
    ]
    form = parse_html(response.content).find("form", role="search")
    options = form.find("select", name="sort").find_all("option")
    assert [(o.attrs["value"], o.text) for o in options if "selected" in o.attrs] == [
        ("soonest", "Soonest available")
    ]
    # The default order puts bookable specialists first, by name.
    assert card_names(client.get("/specialists/")) == [
        "Ada Late",
        "Cy Later",
        "Zed Early",
        "Bo None",
        "Di Beyond",
    ]


def test_card_names_the_next_free_time_in_the_specialists_zone(client, db):
    specialist = make_bookable_specialist(
        display_name="Anna Arendt", time_zone="Europe/Berlin", windows=EVERY_DAY
    )
    first = FreeSlot.objects.filter(specialist=specialist).order_by("start").first()

    card = parse_html(client.get("/specialists/").content).find(
        "article", class_="specialist-card"
    )

    shown = card.find("p", class_="next-free")
    local = first.start.astimezone(ZoneInfo("Europe/Berlin"))
    assert " ".join(shown.text.split()) == (
        f"Next free: {local:%a} {local.day} {local:%b}, {local:%H:%M} (Berlin)"
    )
    time = shown.find("time")
    assert time.attrs["datetime"] == first.start.isoformat()
    assert "data-local-time" in time.attrs


def test_card_shows_photo_or_initials_badges_and_facts(client, topics, languages):
    make_bookable_specialist(
        display_name="Anna Arendt",
        slug="anna-arendt",
        headline="Clinical psychologist",
        topics=[topics["stalking"]],
        languages=[languages["de"], languages["en"]],
        offers_video=True,
        offers_phone=True,
        windows=EVERY_DAY,
        is_verified=True,
        city="Berlin",
        country="DE",
    )
    ben = make_specialist(display_name="Ben Brook", offers_free_consultation=False)
    ben.photo.save("ben.jpg", ContentFile(jpeg_bytes()))

    page = parse_html(client.get("/specialists/").content)
    anna, ben = page.find_all("article", class_="specialist-card")

    assert anna.find("span", class_="avatar").text == "AA"
    assert anna.find("a").attrs["href"] == "/specialists/anna-arendt/"
    text = " ".join(anna.text.split())
    for expected in (
        "Clinical psychologist",
        "Free consultation",
        "Verified",
        "Stalking",
        "English, German",
        "Video, Phone",
        "Berlin, Germany",
    ):
        assert expected in text
    img = ben.find("img")
    assert (img.attrs["alt"], img.attrs["width"], img.attrs["height"]) == (
        "Ben Brook",
        "96",
        "96",
    )
    assert img.attrs["src"] == "/media/specialists/ben-96.jpg"
    assert "Free consultation" not in ben.text
    assert "Verified" not in ben.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topic=stalking", ["Anna Arendt", "Cleo Carre"]),
        ("language=fr", ["Cleo Carre"]),
        ("format=video", ["Anna Arendt"]),
        ("format=phone", ["Ben Brook"]),
        ("format=in_person", ["Cleo Carre"]),
        ("free=on", ["Anna Arendt", "Cleo Carre"]),
        ("country=GB", ["Ben Brook"]),
        ("city=berlin", ["Anna Arendt"]),
        ("city=+Par+", ["Cleo Carre"]),
        ("q=brook", ["Ben Brook"]),  # name
        ("q=PSYCHOTHERAPIST", ["Cleo Carre"]),  # headline
        ("q=online+abuse", ["Anna Arendt"]),  # bio, both words
        ("q=+psych+", ["Anna Arendt", "Cleo Carre"]),  # trimmed
        ("q=berlin", ["Anna Arendt"]),  # city
        ("q=Germany", ["Anna Arendt"]),  # country name
        ("q=united+kingdom", ["Ben Brook"]),  # country name, both words
        ("q=FRENCH", ["Cleo Carre"]),  # language name
        ("q=stalking", ["Anna Arendt", "Cleo Carre"]),  # topic name
        ("q=trauma+paris", ["Cleo Carre"]),  # topic and city
        ("q=stalking+london", []),  # every word must match
    ],
)
def test_each_filter_narrows_the_list(client, three_specialists, query, expected):
    assert sorted(card_names(client.get(f"/specialists/?{query}"))) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topic=stalking&language=de", ["Anna Arendt"]),
        ("topic=stalking&free=on&country=FR", ["Cleo Carre"]),
        ("topic=trauma&language=en&format=phone", ["Ben Brook"]),
        ("topic=trauma&free=on&q=psych", ["Cleo Carre"]),
        ("language=de&country=FR", []),
    ],
)
def test_filters_combine(client, three_specialists, query, expected):
    assert sorted(card_names(client.get(f"/specialists/?{query}"))) == expected


def test_filter_form_is_a_get_form_showing_the_current_values(
    client, three_specialists
):
    response = client.get(
        "/specialists/?q=psych&topic=stalking&language=fr&format=in_person"
        "&free=on&country=FR&city=Paris"
    )

    page = parse_html(response.content)
    form = page.find("form", role="search")
    assert form.attrs["method"] == "get"
    assert form.attrs["action"] == "/specialists/"
    assert form.find("input", name="q").attrs["value"] == "psych"
    assert form.find("input", name="city").attrs["value"] == "Paris"
    assert "checked" in form.find("input", name="free").attrs
    assert "checked" in form.find("input", name="format", value="in_person").attrs
    for name, value in (("topic", "stalking"), ("language", "fr"), ("country", "FR")):
        selected = [
            option.attrs["value"]
            for option in form.find("select", name=name).find_all("option")
            if "selected" in option.attrs
        ]
        assert selected == [value]
    # Every control has a label; the formats are grouped in a fieldset.
    for control in form.find_all("input") + form.find_all("select"):
        if control.attrs.get("type") != "radio":
            labels = [lb for lb in form.find_all("label") if lb.attrs.get("for")]
            assert control.attrs["id"] in [lb.attrs["for"] for lb in labels]
    assert form.find("fieldset").find("legend").text.strip() == "Format"
    assert form.find("button", type="submit").text == "Search"
    assert form.find("a", href="/specialists/").text == "Clear filters"
    assert card_names(response) == ["Cleo Carre"]


def test_twenty_per_page_and_the_page_links_keep_the_filters(client, topics):
    for n in range(25):
        make_specialist(
            display_name=f"Stalking expert {n:02}", topics=[topics["stalking"]]
        )
    make_specialist(display_name="Trauma only", topics=[topics["trauma"]])

    first = client.get("/specialists/?topic=stalking&q=expert")
    assert len(card_names(first)) == 20
    assert "25 specialists" in first.content.decode()
    page = parse_html(first.content)
    next_link = page.find("a", rel="next").attrs["href"]
    assert next_link == "?q=expert&topic=stalking&page=2"
    assert "Page 1 of 2" in page.find("nav", class_="pagination").text

    second = client.get(f"/specialists/{next_link}")
    assert card_names(second) == [f"Stalking expert {n:02}" for n in range(20, 25)]
    previous = parse_html(second.content).find("a", rel="prev").attrs["href"]
    assert previous == "?q=expert&topic=stalking&page=1"


@pytest.mark.parametrize("typed", ["lodz", "ŁÓDŹ", "łódź", "Lodz", "ŁODZ"])
def test_text_search_ignores_case_and_accents(client, db, typed):
    make_specialist(display_name="Zofia Zielińska", city="Łódź", country="PL")
    make_specialist(display_name="Other Person", city="London", country="GB")

    assert card_names(client.get(f"/specialists/?q={typed}")) == ["Zofia Zielińska"]
    assert card_names(client.get("/specialists/?q=zielinska")) == ["Zofia Zielińska"]
    assert card_names(client.get("/specialists/?q=Müller")) == []


def test_text_search_follows_topics_added_removed_and_renamed(client, topics):
    anna = make_specialist(display_name="Anna Arendt")
    ben = make_specialist(display_name="Ben Brook")

    anna.topics.add(topics["stalking"])
    topics["trauma"].specialists.add(ben)  # from the topic's side
    assert card_names(client.get("/specialists/?q=stalking")) == ["Anna Arendt"]
    assert card_names(client.get("/specialists/?q=trauma")) == ["Ben Brook"]

    anna.topics.remove(topics["stalking"])
    topics["trauma"].specialists.clear()
    assert card_names(client.get("/specialists/?q=stalking")) == []
    assert card_names(client.get("/specialists/?q=trauma")) == []

    anna.topics.add(topics["stalking"])
    topics["stalking"].name = "Cyberstalking"
    topics["stalking"].save()
    assert card_names(client.get("/specialists/?q=cyberstalking")) == ["Anna Arendt"]


def test_text_search_follows_edits_of_the_profile(client, languages):
    anna = make_specialist(display_name="Anna Arendt", city="Berlin")
    anna.languages.set([languages["de"]])
    assert card_names(client.get("/specialists/?q=german")) == ["Anna Arendt"]

    anna.city = "Kraków"
    anna.save(update_fields=["city"])
    anna.languages.set([languages["fr"]])

    assert card_names(client.get("/specialists/?q=krakow+french")) == ["Anna Arendt"]
    assert card_names(client.get("/specialists/?q=berlin")) == []
    assert card_names(client.get("/specialists/?q=german")) == []


def test_migration_fills_the_search_text_of_existing_profiles(db, topics):
    from django.apps import apps

    migration = importlib.import_module("specialists.migrations.0010_search_words")
    anna = make_specialist(city="Łódź", country="PL", topics=[topics["trauma"]])
    Specialist.objects.update(search_text="")

    migration.fill_search_text(apps, schema_editor=None)

    anna.refresh_from_db()
    assert anna.search_text == anna.build_search_text()
    assert "lodz" in anna.search_text
    assert "poland" in anna.search_text
    assert "trauma" in anna.search_text


def test_no_match_shows_a_message_and_a_link_to_clear_the_filters(
    client, three_specialists
):
    response = client.get("/specialists/?q=nobody+by+this+name")

    assert card_names(response) == []
    page = parse_html(response.content)
    empty = page.find("div", class_="empty-state")
    assert "No specialists match these filters." in empty.text
    assert empty.find("a", href="/specialists/").text == "Clear filters"


@pytest.mark.parametrize(
    ("query", "error", "expected"),
    [
        ("topic=no-such-topic&country=DE", "Select a valid choice", ["Anna Arendt"]),
        ("language=xx&country=DE", "Select a valid choice", ["Anna Arendt"]),
        ("country=ZZ&language=de", "Select a valid choice", ["Anna Arendt"]),
        ("format=pigeon&country=DE", "Select a valid choice", ["Anna Arendt"]),
        ("q=" + "x" * 500 + "&country=DE", "at most 100 characters", ["Anna Arendt"]),
    ],
)
def test_invalid_filter_is_reported_and_the_others_still_apply(
    client, three_specialists, query, error, expected
):
    response = client.get(f"/specialists/?{query}")

    assert response.status_code == 200
    assert error in response.content.decode()
    assert card_names(response) == expected


@pytest.mark.parametrize(
    ("page", "shown"),
    [("abc", 1), ("99999", 2), ("0", 2), ("-1", 2), ("1.5", 1), ("", 1)],
)
# A NUL byte in any query string is refused before the view (400):
# tests/security/test_nul_urls.py.
def test_a_bad_page_number_shows_the_first_or_last_page(client, db, page, shown):
    for n in range(21):
        make_specialist(display_name=f"Person {n:02}")

    response = client.get(f"/specialists/?page={page}")

    assert response.status_code == 200
    assert response.context["page_obj"].number == shown
    assert len(card_names(response)) == (20 if shown == 1 else 1)


# --- query count -------------------------------------------------------------

QUERY_COUNT_URLS = [
    "/specialists/",
    "/specialists/?topic=stalking&language=de&free=on&q=psych",
    "/specialists/?page=3",
    "/specialists/?sort=soonest&free=on",
]


def bulk_create_specialists(count, *, topics, languages):
    """`count` approved specialists in a handful of INSERTs: every other one
    has each topic and language, so filtered pages are full too."""
    start = unique_number()
    password = make_password(None)
    users = User.objects.bulk_create(
        User(email=f"bulk{start + i}@example.com", password=password)
        for i in range(count)
    )
    specialists = Specialist.objects.bulk_create(
        Specialist(
            user=user,
            slug=f"bulk-{start + i}",
            display_name=f"Bulk specialist {start + i}",
            headline="Psychologist" if i % 5 else "Counsellor",
            # bulk_create skips save(): the text search needs the headline.
            search_text="psychologist" if i % 5 else "counsellor",
            offers_free_consultation=i % 3 != 0,
            status=Specialist.Status.APPROVED,
        )
        for i, user in enumerate(users)
    )
    # Two of three can be booked, each with a day of free times in the copy.
    now = timezone.now()
    FreeSlot.objects.bulk_create(
        FreeSlot(
            specialist=s,
            start=start,
            bookable_until=start - timedelta(hours=12),
            visible_from=start - timedelta(days=30),
        )
        for i, s in enumerate(specialists)
        if s.offers_free_consultation
        for start in [now + timedelta(days=1, minutes=i + 30 * k) for k in range(16)]
    )
    halves = specialists[::2]
    Specialist.topics.through.objects.bulk_create(
        Specialist.topics.through(specialist_id=s.pk, topic_id=t.pk)
        for s in halves
        for t in topics
    )
    Specialist.languages.through.objects.bulk_create(
        Specialist.languages.through(specialist_id=s.pk, language_id=lang.pk)
        for s in halves
        for lang in languages
    )


def test_query_count_is_at_most_six_and_the_same_for_1_and_10000_specialists(
    client, topics, languages, django_assert_max_num_queries
):
    make_bookable_specialist(
        headline="Psychologist",
        topics=[topics["stalking"]],
        languages=[languages["de"]],
        windows=EVERY_DAY,
    )

    def query_counts():
        counts = []
        for url in QUERY_COUNT_URLS:
            # 6, and the page cache's check of the public content version.
            with django_assert_max_num_queries(7) as captured:
                response = client.get(url)
            assert response.status_code == 200
            assert card_names(response)
            counts.append(len(captured))
        return counts

    with_one = query_counts()
    bulk_create_specialists(
        9_999, topics=list(topics.values()), languages=list(languages.values())
    )
    assert Specialist.objects.approved().count() == 10_000

    assert query_counts() == with_one, with_one
    assert len(card_names(client.get(QUERY_COUNT_URLS[1]))) == 20


# --- featured first, read as two lists; the capped count ---------------------


@pytest.mark.parametrize(
    ("page", "expected", "max_queries"),
    [
        # 25 bookable (B..), then 10 who cannot be booked (U..), 20 a page.
        # Each count includes the page cache's check of the content version.
        (1, [f"B{n:02}" for n in range(20)], 7),
        # Page 2 ends at the count's limit, 30.
        (2, [f"B{n:02}" for n in range(20, 25)] + [f"U{n:02}" for n in range(5)], 8),
    ],
)
def test_bookable_first_then_the_others_across_a_page_boundary(
    client, db, page, expected, max_queries, django_assert_max_num_queries, monkeypatch
):
    # Past the count's limit the two lists are read one after the other.
    monkeypatch.setattr("specialists.directory.COUNT_LIMIT", 30)
    for n in range(10):
        make_specialist(display_name=f"U{n:02}", offers_free_consultation=False)
    for n in range(25):
        make_bookable_specialist(display_name=f"B{n:02}", windows=EVERY_DAY)

    with django_assert_max_num_queries(max_queries):
        response = client.get(f"/specialists/?page={page}")

    assert card_names(response) == expected


def test_a_page_past_every_bookable_specialist_counts_them_once(
    client, db, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr("specialists.directory.COUNT_LIMIT", 45)
    make_bookable_specialist(display_name="Bea Bookable", windows=EVERY_DAY)
    for n in range(45):
        make_specialist(display_name=f"U{n:02}", offers_free_consultation=False)

    with django_assert_max_num_queries(9):  # 8, and the content version
        response = client.get("/specialists/?page=3")

    # Page 3 holds matches 41 to 45 (the limit): the others' 40th to 44th.
    assert card_names(response) == [f"U{n:02}" for n in range(39, 44)]


def test_the_count_stops_at_its_limit_and_the_pages_with_it(client, db, monkeypatch):
    monkeypatch.setattr("specialists.directory.COUNT_LIMIT", 30)
    for n in range(45):
        make_specialist(display_name=f"Person {n:02}")

    first = client.get("/specialists/")
    beyond = client.get("/specialists/?page=3")

    assert "More than 30 specialists" in first.content.decode()
    assert first.context["page_obj"].paginator.num_pages == 2
    assert beyond.context["page_obj"].number == 2  # the last page there is
    assert card_names(beyond) == [f"Person {n:02}" for n in range(20, 30)]
    exact = client.get("/specialists/?q=person")  # 45 matches, counted to 31
    assert "More than 30 specialists" in exact.content.decode()
    monkeypatch.setattr("specialists.directory.COUNT_LIMIT", 45)
    pagecache.clear()  # the page kept above was counted under the old limit
    assert "45 specialists" in client.get("/specialists/").content.decode()
