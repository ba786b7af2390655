"""`manage.py load_demo_data`: made-up specialists for development sites."""

import io

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from accounts.models import User
from articles.models import Topic
from specialists.models import Approach, Language, Specialist
from tests.factories import make_user
from tests.html import parse_html


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def debug_on(settings, db):
    # The test runner turns DEBUG off whatever the environment says.
    settings.DEBUG = True


def load_demo_data(*args):
    out = io.StringIO()
    call_command("load_demo_data", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def snapshot():
    """Everything the command writes, comparable between two runs."""
    return {
        "specialists": sorted(
            Specialist.objects.values_list(
                "slug", "user__email", "photo", "updated_at", "status"
            )
        ),
        "topics": sorted(Topic.objects.values_list("slug", "name")),
        "approaches": sorted(Approach.objects.values_list("slug", "name")),
        "languages": sorted(Language.objects.values_list("code", "name")),
        "links": sorted(
            Specialist.topics.through.objects.values_list("specialist_id", "topic_id")
        ),
        "users": User.objects.count(),
    }


def test_creates_about_twelve_approved_demo_specialists_with_photos(
    debug_on, settings, client
):
    load_demo_data()

    demos = Specialist.objects.filter(is_demo=True)
    assert demos.count() == 12
    assert set(demos.values_list("status", flat=True)) == {"approved"}
    for specialist in demos:
        assert specialist.user.email.endswith("@example.invalid")
        assert not specialist.user.has_usable_password()
        assert "demo profile" in specialist.bio
        assert "demo profile" in specialist.bio_html
        assert specialist.topics.exists()
        assert specialist.approaches.exists()
        assert specialist.languages.exists()
        path = settings.MEDIA_ROOT / specialist.photo.name
        with Image.open(path) as photo:
            assert (photo.format, photo.size) == ("JPEG", (400, 400))
    assert 9 <= demos.filter(offers_free_consultation=True).count() < 12
    assert 1 <= demos.filter(is_verified=True).count() < 12
    assert demos.values("country").distinct().count() >= 5
    assert demos.values("time_zone").distinct().count() >= 5
    assert {"workplace-bullying", "online-harassment", "stalking"} <= set(
        Topic.objects.values_list("slug", flat=True)
    )
    assert set(Language.objects.values_list("code", flat=True)) == {
        "en", "de", "fr", "es", "pl", "uk", "hi"
    }  # fmt: skip

    page = parse_html(client.get("/specialists/").content)
    cards = page.find_all("article", class_="specialist-card")
    assert len(cards) == 12
    assert all("Demo profile" in card.text for card in cards)


def test_reuses_the_topics_the_seed_article_created(debug_on, seed_article):
    load_demo_data()

    assert Topic.objects.filter(name="Sexual harassment").count() == 1
    assert Topic.objects.filter(name="Relationships").count() == 1
    harassment = Topic.objects.get(slug="sexual-harassment")
    assert harassment.specialists.filter(is_demo=True).exists()
    assert harassment.articles.filter(pk=seed_article.pk).exists()


def test_running_twice_changes_nothing(debug_on, settings):
    load_demo_data()
    before = snapshot()
    files_before = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*.jpg"))

    output = load_demo_data()

    assert snapshot() == before
    assert sorted(p.name for p in settings.MEDIA_ROOT.rglob("*.jpg")) == files_before
    assert "0 demo specialists created, 12 already there." in output


def test_refuses_to_load_when_debug_is_off(settings, db):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        load_demo_data()

    assert not Specialist.objects.exists()
    assert not User.objects.exists()


def test_force_loads_even_when_debug_is_off(settings, db):
    settings.DEBUG = False

    load_demo_data("--force")

    assert Specialist.objects.filter(is_demo=True).count() == 12


def test_remove_deletes_the_demo_users_profiles_and_photos(debug_on, settings):
    load_demo_data()
    real = make_user()
    photos = list(settings.MEDIA_ROOT.rglob("*.jpg"))
    assert len(photos) == 12

    output = load_demo_data("--remove")

    assert not Specialist.objects.exists()
    assert list(User.objects.all()) == [real]
    assert not any(path.exists() for path in photos)
    assert "12 demo specialists removed." in output
    # The shared reference data stays: real profiles may use it.
    assert Topic.objects.filter(slug="stalking").exists()


def test_remove_dry_run_deletes_nothing(debug_on):
    load_demo_data()

    output = load_demo_data("--remove", "--dry-run")

    assert Specialist.objects.filter(is_demo=True).count() == 12
    assert "Would delete Ada Example (demo-1@example.invalid)" in output
