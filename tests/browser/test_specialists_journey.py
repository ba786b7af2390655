"""The specialist directory in a real browser: a visitor filters it and opens a
profile, a specialist creates a profile with a photo, staff review it in the
admin, and the home and free-consultation pages feature who offers a free one.

The page fixtures fail any test whose pages log a console error, throw, break
the Content-Security-Policy or ask another host for anything (see conftest.py).
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files import File
from PIL import Image
from playwright.sync_api import expect

from consultations.models import Availability
from consultations.services import refresh_free_slots
from core.models import Topic
from specialists.models import Language, Specialist
from tests.browser.test_accounts_journey import PASSWORD, field, log_in
from tests.factories import make_user, make_verified_user

FREE_BADGE = "Free consultation"  # on the cards
FREE_PROFILE_BADGE = "Free 30-minute consultation"  # on the profile page
NO_MATCH = "No specialists match these filters."


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to tmp_path, and /media/ serves them from there."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def topics():
    return {
        "work": Topic.objects.create(name="Workplace harassment", slug="workplace"),
        "online": Topic.objects.create(name="Online harassment", slug="online"),
        "street": Topic.objects.create(name="Street harassment", slug="street"),
    }


@pytest.fixture
def languages():
    return {
        "en": Language.objects.create(code="en", name="English"),
        "de": Language.objects.create(code="de", name="German"),
    }


def image_file(path, fmt, size):
    Image.new("RGB", size, (120, 160, 170)).save(path, fmt)
    return path


def add_specialist(*, topics=(), languages=(), photo=None, **fields):
    name = fields.setdefault("display_name", "Sam Example")
    fields.setdefault("slug", re.sub(r"[^a-z]+", "-", name.lower()).strip("-"))
    fields.setdefault("headline", "Counsellor")
    fields.setdefault("status", Specialist.Status.APPROVED)
    user = fields.pop("user", None) or make_user()
    specialist = Specialist.objects.create(user=user, **fields)
    specialist.topics.add(*topics)
    specialist.languages.add(*languages)
    if specialist.offers_free_consultation:
        # Offering a free consultation means having free times: every day.
        availability = Availability.objects.create(specialist=specialist)
        for weekday in range(7):
            availability.windows.create(weekday=weekday, start="09:00", end="17:00")
        refresh_free_slots(specialist)
    if photo:
        with photo.open("rb") as upload:
            specialist.photo.save(photo.name, File(upload))
    return specialist


@pytest.fixture
def directory(topics, languages, tmp_path):
    """Four approved specialists (Anna with a photo) and one waiting for review."""
    return {
        "anna": add_specialist(
            photo=image_file(tmp_path / "anna.jpg", "JPEG", (400, 400)),
            display_name="Anna Berg",
            headline="Clinical psychologist",
            offers_free_consultation=True,
            is_verified=True,
            topics=[topics["work"]],
            languages=[languages["en"], languages["de"]],
            city="Berlin",
            country="DE",
        ),
        "ben": add_specialist(
            display_name="Ben Cole",
            headline="Psychotherapist",
            offers_free_consultation=False,
            topics=[topics["work"]],
            languages=[languages["en"]],
        ),
        "cara": add_specialist(
            display_name="Cara Diaz",
            headline="Trauma counsellor",
            offers_free_consultation=True,
            topics=[topics["online"]],
            languages=[languages["en"]],
        ),
        "dev": add_specialist(
            display_name="Dev Evans",
            headline="Counselling psychologist",
            offers_free_consultation=True,
            topics=[topics["work"], topics["online"]],
            languages=[languages["en"]],
        ),
        "pending": add_specialist(
            display_name="Pia Pending",
            headline="Psychiatrist",
            offers_free_consultation=True,
            topics=[topics["work"]],
            status=Specialist.Status.PENDING,
        ),
    }


def cards(page):
    return page.get_by_role("main").locator(".specialist-card")


def card_names(page):
    return cards(page).get_by_role("heading", level=2)


def expect_loaded(image, width):
    """The image is shown, served from MEDIA_ROOT at its natural width."""
    image.scroll_into_view_if_needed()  # a lazy image loads near the viewport
    expect(image).to_be_visible()
    # decode() waits until the image has loaded (visible is not yet loaded).
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") == width


FILE_WIDTH = """img => {
    const file = new Image();
    file.src = img.currentSrc;
    return file.decode().then(() => file.naturalWidth);
}"""


def query_of(page):
    return parse_qs(urlsplit(page.url).query)


def search_free_workplace_specialists(page, live_server):
    """On the directory: choose a topic, tick the free consultation, search."""
    page.goto(live_server.url + "/specialists/")
    form = page.get_by_role("search", name="Filter specialists")
    form.get_by_label("Topic", exact=True).select_option(label="Workplace harassment")
    form.get_by_label("Offers a free consultation").check()
    form.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/specialists/\?"))
    query = query_of(page)
    assert query["topic"] == ["workplace"], page.url
    assert query["free"] == ["on"], page.url
    # The form keeps what was chosen, so the visitor can adjust it.
    expect(form.get_by_label("Topic", exact=True)).to_have_value("workplace")
    expect(form.get_by_label("Offers a free consultation")).to_be_checked()


def expect_only_free_workplace_cards(page):
    expect(page.get_by_text("2 specialists", exact=True)).to_be_visible()
    expect(card_names(page)).to_have_text(["Anna Berg", "Dev Evans"])
    for card in cards(page).all():
        expect(card.get_by_role("listitem").filter(has_text=FREE_BADGE)).to_have_count(
            1
        )


def test_visitor_filters_the_directory_and_opens_a_profile_with_its_badges(
    page, axe, live_server, directory
):
    page.goto(live_server.url + "/specialists/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a specialist")
    # Approved profiles only, those offering a free consultation first.
    expect(card_names(page)).to_have_text(
        ["Anna Berg", "Cara Diaz", "Dev Evans", "Ben Cole"]
    )
    axe(page)

    search_free_workplace_specialists(page, live_server)
    expect_only_free_workplace_cards(page)
    anna = cards(page).filter(has_text="Anna Berg")
    expect(anna.get_by_role("listitem")).to_have_text([FREE_BADGE, "Verified"])
    axe(page)

    anna.get_by_role("link", name="Anna Berg", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/specialists/anna-berg/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anna Berg")
    badges = page.locator(".profile-header .badge")
    expect(badges).to_have_text(["Verified", FREE_PROFILE_BADGE])
    # The 160 px thumbnail for the 160 px box on this 1x screen, not the photo.
    expect_loaded(page.get_by_role("img", name="Photo of Anna Berg"), 160)
    expect(page.get_by_role("link", name="Book a free consultation")).to_have_attribute(
        "href", "/specialists/anna-berg/book/"
    )
    axe(page)


def test_profile_without_a_free_consultation_has_no_free_badge(
    page, live_server, directory
):
    page.goto(live_server.url + "/specialists/ben-cole/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ben Cole")
    expect(page.locator(".badge")).to_have_count(0)


def test_directory_filters_that_match_nobody_show_the_empty_state(
    page, axe, live_server, directory
):
    page.goto(live_server.url + "/specialists/")
    form = page.get_by_role("search", name="Filter specialists")
    form.get_by_label("Topic", exact=True).select_option(label="Street harassment")
    form.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"[?&]topic=street(&|$)"))
    expect(page.get_by_text("0 specialists", exact=True)).to_be_visible()
    expect(cards(page)).to_have_count(0)
    expect(page.get_by_text(NO_MATCH)).to_be_visible()
    axe(page)

    page.get_by_role("main").locator(".empty-state").get_by_role(
        "link", name="Clear filters"
    ).click()
    expect(page).to_have_url(f"{live_server.url}/specialists/")
    expect(cards(page)).to_have_count(4)


def test_directory_filters_and_opens_profiles_without_javascript(
    new_page, live_server, directory
):
    page = new_page(java_script_enabled=False)
    search_free_workplace_specialists(page, live_server)
    expect_only_free_workplace_cards(page)
    cards(page).get_by_role("link", name="Dev Evans", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/specialists/dev-evans/")
    expect(page.locator(".profile-header .badge")).to_have_text([FREE_PROFILE_BADGE])


def test_visitor_searches_by_words_without_their_accents(
    page, axe, live_server, directory
):
    add_specialist(
        display_name="Zoë Żak",
        headline="Psychotherapist",
        offers_free_consultation=False,
        city="Łódź",
        country="PL",
    )
    page.goto(live_server.url + "/specialists/")
    form = page.get_by_role("search", name="Filter specialists")
    # Word beginnings, any case, no accents; punctuation is no part of a word.
    form.get_by_label("Name or keyword").fill("ZOE lodz: (psycho")
    form.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"[?&]q=ZOE"))
    expect(card_names(page)).to_have_text(["Zoë Żak"])
    expect(page.get_by_text("1 specialist", exact=True)).to_be_visible()
    expect(form.get_by_label("Name or keyword")).to_have_value("ZOE lodz: (psycho")
    axe(page)


def test_pending_profile_is_not_public(page, live_server, directory):
    url = f"{live_server.url}/specialists/pia-pending/"
    page.watch.expect_error_status(url, 404)
    response = page.goto(url)
    assert response.status == 404


# Creating a profile -------------------------------------------------------


@pytest.fixture
def specialist_user():
    return make_verified_user(password=PASSWORD)


def submit_for_review(page):
    page.get_by_role("button", name="Save and submit for review").click()


def test_failed_profile_form_focuses_the_error_summary_without_wcag_violations(
    page, axe, live_server, specialist_user, topics
):
    log_in(page, live_server, specialist_user)
    page.goto(live_server.url + "/specialists/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Create your specialist profile"
    )
    axe(page)

    field(page, "Headline").fill("Clinical psychologist")
    submit_for_review(page)
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    # Video is on by default, and a format needs its details.
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Display name: This field is required.",
            "Video meeting link: To offer video, give the link visitors use to join.",
        ]
    )
    expect(summary).to_be_focused()
    # What was typed stays; the error is next to its field too.
    expect(field(page, "Headline")).to_have_value("Clinical psychologist")
    axe(page)

    summary.get_by_role("link").first.click()
    expect(field(page, "Display name")).to_be_focused()
    assert not Specialist.objects.exists()


def test_verified_user_creates_a_profile_with_a_photo_and_submits_it_for_review(
    page, axe, live_server, specialist_user, topics, languages, media_root, tmp_path
):
    log_in(page, live_server, specialist_user)
    page.goto(live_server.url + "/specialists/new/")

    field(page, "Display name").fill("Dr Rowan Example")
    field(page, "Headline").fill("Clinical psychologist")
    bio = field(page, "About you")
    bio.press_sequentially("I listen. *hello*")
    # markdownx previews through our own endpoint, sanitised like the page.
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("em")).to_have_text("hello")
    expect(preview).to_contain_text("I listen.")

    page.get_by_role("group", name="Topics").get_by_label(
        "Workplace harassment"
    ).check()
    page.get_by_role("group", name="Languages").get_by_label("German").check()
    expect(field(page, "Video")).to_be_checked()  # on by default
    field(page, "Video meeting link").fill("https://meet.example.org/rowan")
    field(page, "Time zone").select_option("Europe/Berlin")
    field(page, "City").fill("Berlin")
    field(page, "Country").select_option(label="Germany")
    field(page, "Photo").set_input_files(
        image_file(tmp_path / "me.png", "PNG", (1200, 900))
    )
    submit_for_review(page)

    expect(page).to_have_url(f"{live_server.url}/specialists/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your specialist dashboard"
    )
    expect(page.locator(".dashboard-state")).to_have_text("Status: Waiting for review")
    saved = page.get_by_role("status").get_by_text("Your profile has been saved.")
    expect(saved).to_be_visible()
    axe(page)

    specialist = Specialist.objects.get(user=specialist_user)
    assert specialist.status == Specialist.Status.PENDING
    assert specialist.submitted_at is not None
    assert (specialist.display_name, specialist.slug) == (
        "Dr Rowan Example",
        "dr-rowan-example",
    )
    assert specialist.bio_html == "<p>I listen. <em>hello</em></p>"
    assert [t.slug for t in specialist.topics.all()] == ["workplace"]
    assert [lang.code for lang in specialist.languages.all()] == ["de"]
    assert specialist.formats == ["Video"]
    assert (specialist.time_zone, specialist.city, specialist.country.code) == (
        "Europe/Berlin",
        "Berlin",
        "DE",
    )
    # The photo was cropped square and re-encoded as a JPEG, under MEDIA_ROOT.
    stored = media_root / specialist.photo.name
    with Image.open(stored) as image:
        assert (image.format, image.size) == ("JPEG", (800, 800))

    # The owner previews the page that is not public yet, photo included.
    page.get_by_role("link", name="Preview your page").click()
    expect(page).to_have_url(f"{live_server.url}/specialists/dr-rowan-example/")
    expect(page.get_by_text("Preview: this page is not public")).to_be_visible()
    expect_loaded(page.get_by_role("img", name="Photo of Dr Rowan Example"), 160)


@pytest.mark.parametrize(
    ("width", "scale", "box", "side"),
    [(1280, 1, 96, 96), (1280, 2, 96, 192), (375, 1, 64, 96), (375, 2, 64, 192)],
)
def test_directory_card_loads_the_thumbnail_that_fits_its_box_and_screen(
    new_page, check_page, live_server, directory, width, scale, box, side
):
    page = new_page(viewport={"width": width, "height": 800}, device_scale_factor=scale)
    page.goto(live_server.url + "/specialists/")
    photo = cards(page).filter(has_text="Anna Berg").locator("img.card-photo")

    # naturalWidth counts the chosen file's pixels at the density its `w`
    # descriptor and `sizes` give (192 px for a 96 px box is 2x): the box.
    expect_loaded(photo, box)
    stem = directory["anna"].photo.name.removesuffix(".jpg")
    assert photo.evaluate("img => img.currentSrc").endswith(f"/media/{stem}-{side}.jpg")
    assert photo.bounding_box()["width"] == box
    # The file itself, loaded alone, is the thumbnail of that size.
    assert photo.evaluate(FILE_WIDTH) == side
    check_page(page, javascript=True)
    check_page(page, javascript=False)


# Staff review in the admin -------------------------------------------------


@pytest.fixture
def staff(page, live_server):
    """A superuser, logged in through allauth's form on the watched page."""
    user = make_verified_user(password=PASSWORD, is_staff=True, is_superuser=True)
    page.goto(live_server.url + "/accounts/login/?next=/admin/")
    field(page, "Email").fill(user.email)
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    return user


@pytest.fixture
def pending_profile(topics):
    return add_specialist(
        user=make_verified_user(),
        display_name="Rowan Pending",
        headline="Clinical psychologist",
        status=Specialist.Status.PENDING,
        offers_free_consultation=True,
        topics=[topics["work"]],
    )


def run_admin_action(page, live_server, specialist, action):
    page.goto(live_server.url + "/admin/specialists/specialist/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Select specialist to change"
    )
    page.get_by_role("row", name=specialist.display_name).get_by_role(
        "checkbox"
    ).check()
    page.get_by_label("Action:").select_option(label=action)
    page.get_by_role("button", name="Go").click()


def test_staff_approve_a_pending_profile_and_it_becomes_public(
    page, new_page, live_server, staff, pending_profile
):
    run_admin_action(
        page, live_server, pending_profile, "Approve the selected profiles"
    )
    expect(page.locator(".messagelist .success")).to_have_text("1 profile approved.")
    pending_profile.refresh_from_db()
    assert pending_profile.status == Specialist.Status.APPROVED

    visitor = new_page()
    visitor.goto(live_server.url + "/specialists/")
    expect(card_names(visitor)).to_have_text(["Rowan Pending"])
    profile_url = f"{live_server.url}/specialists/rowan-pending/"
    with visitor.expect_response(profile_url) as response:
        cards(visitor).get_by_role("link", name="Rowan Pending", exact=True).click()
    assert response.value.status == 200
    expect(visitor).to_have_url(profile_url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Rowan Pending")
    expect(visitor.get_by_text("Preview:")).to_have_count(0)


def test_staff_request_changes_and_the_specialist_reads_the_reason(
    page, new_page, live_server, staff, pending_profile, mailoutbox
):
    reason = "Please add your professional registration number."
    run_admin_action(
        page, live_server, pending_profile, "Request changes (emails the specialist)"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Request changes")
    expect(page.get_by_role("main").get_by_role("listitem")).to_have_text(
        ["Rowan Pending"]
    )
    field(page, "What should change").fill(reason)
    page.get_by_role("button", name="Send request").click()
    expect(page).to_have_url(f"{live_server.url}/admin/specialists/specialist/")
    expect(page.locator(".messagelist .success")).to_have_text(
        "Changes requested for 1 profile."
    )
    assert [message.to for message in mailoutbox] == [[pending_profile.user.email]]
    assert reason in mailoutbox[0].body

    specialist = new_page()
    log_in(specialist, live_server, pending_profile.user)
    specialist.goto(live_server.url + "/specialists/me/")
    expect(specialist.locator(".dashboard-state")).to_have_text(
        "Status: Changes requested"
    )
    expect(specialist.locator(".review-note")).to_have_text(reason)
    expect(
        specialist.get_by_role("button", name="Submit again for review")
    ).to_be_visible()

    # Still out of the directory until approved.
    visitor = new_page()
    visitor.goto(live_server.url + "/specialists/")
    expect(cards(visitor)).to_have_count(0)


# Featured on the home and free-consultation pages --------------------------


FEATURED_PAGES = {
    "home": ("/", "Specialists offering a free first consultation"),
    "free consultation": (
        "/consultations/free/",
        "Specialists who offer a free consultation",
    ),
}


@pytest.mark.parametrize("name", FEATURED_PAGES)
def test_page_features_specialists_offering_a_free_consultation(
    page, axe, live_server, directory, name
):
    path, heading = FEATURED_PAGES[name]
    page.goto(live_server.url + path)
    section = page.locator("section.related-specialists").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )
    mini_cards = section.locator(".mini-card")
    # Approved and free only: not Ben (no free consultation), not Pia (pending).
    expect(mini_cards.get_by_role("link")).to_have_text(
        ["Anna Berg", "Cara Diaz", "Dev Evans"]
    )
    for card in mini_cards.all():
        expect(card.get_by_text(FREE_BADGE, exact=True)).to_be_visible()
    # Anna's photo is decorative next to her name; the others show initials.
    expect_loaded(mini_cards.locator("img.mini-photo"), 56)
    expect(mini_cards.locator("img.mini-photo")).to_have_attribute("alt", "")
    axe(page)

    mini_cards.get_by_role("link", name="Cara Diaz").click()
    expect(page).to_have_url(f"{live_server.url}/specialists/cara-diaz/")
