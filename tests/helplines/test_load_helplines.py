import io
import json
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from helplines import shipped
from helplines.models import Country, Line

pytestmark = pytest.mark.django_db


def load(path=None):
    out = io.StringIO()
    args = ["load_helplines"] + ([f"--file={path}"] if path else [])
    call_command(*args, stdout=out)
    return out.getvalue()


def snapshot():
    return [
        tuple(
            getattr(line, f) for f in ("key", "phone", "last_checked", "shipped_hash")
        )
        for line in Line.objects.order_by("pk")
    ]


def test_loading_twice_changes_nothing():
    load()
    first = snapshot()
    countries = Country.objects.count()
    output = load()
    assert snapshot() == first
    assert Country.objects.count() == countries
    assert "0 created, 0 updated" in output


def test_shipped_data_covers_twenty_countries_each_line_with_a_source():
    data = shipped.read()
    codes = {entry["code"] for entry in data["countries"]}
    assert len(codes) >= 20
    # The site's language and the demo specialists' countries.
    assert {"GB", "US", "DE", "PL", "BR", "IN", "JP"} <= codes
    for entry in data["countries"]:
        assert urlsplit(entry["emergency_source_url"]).scheme == "https"
        for line in entry["lines"]:
            assert urlsplit(line["source_url"]).scheme in {"http", "https"}
            date.fromisoformat(line["checked"])


def test_an_admins_edit_is_never_overwritten(tmp_path):
    load()
    line = Line.objects.get(country__code="GB", key="samaritans")
    line.phone = "0330 094 5717"
    line.save()
    uk = Country.objects.get(code="GB")
    uk.emergency_number = "112"
    uk.save()

    output = load()

    line.refresh_from_db()
    uk.refresh_from_db()
    assert line.phone == "0330 094 5717"
    assert uk.emergency_number == "112"
    assert "left as it is: GB samaritans" in output


def test_a_correction_reaches_lines_nobody_edited(tmp_path):
    load()
    data = shipped.read()
    gb = next(entry for entry in data["countries"] if entry["code"] == "GB")
    gb["lines"][0]["hours"] = "Day and night"
    gb["lines"][1]["phone"] = "0808 0000 000"
    edited = Line.objects.get(country__code="GB", key=gb["lines"][1]["key"])
    edited.is_active = False  # an admin switched it off
    edited.save()
    path = tmp_path / "helplines.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    load(path)

    first = Line.objects.get(country__code="GB", key=gb["lines"][0]["key"])
    edited.refresh_from_db()
    assert first.hours == "Day and night"
    assert edited.phone != "0808 0000 000"
    assert edited.is_active is False


def test_a_deleted_shipped_line_comes_back():
    load()
    Line.objects.filter(country__code="GB", key="samaritans").delete()
    load()
    assert Line.objects.filter(country__code="GB", key="samaritans").exists()
