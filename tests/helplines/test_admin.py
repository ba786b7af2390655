from datetime import timedelta

import pytest
from django.utils import timezone

from helplines.models import Line
from tests.factories import make_country, make_line, make_staff

ADMIN = "/admin/helplines/line/"


@pytest.fixture
def editor(client, db):
    client.force_login(make_staff(is_superuser=True))
    return client


def test_admin_lists_the_lines_due_for_a_check(editor):
    gb = make_country("GB")
    make_line(gb, name="Fresh line")
    stale = make_line(
        gb, name="Stale line", last_checked=timezone.localdate() - timedelta(days=400)
    )

    html = editor.get(f"{ADMIN}?check=due").content.decode()

    assert "Stale line" in html
    assert "Fresh line" not in html

    response = editor.post(
        ADMIN,
        {"action": "mark_checked", "_selected_action": [stale.pk], "index": 0},
    )
    assert response.status_code == 302
    stale.refresh_from_db()
    assert stale.last_checked == timezone.localdate()
    assert not Line.objects.due_for_check().exists()


def test_a_line_nobody_can_reach_is_refused(editor):
    gb = make_country("GB")
    response = editor.post(
        f"{ADMIN}add/",
        {
            "country": gb.pk,
            "key": "silent",
            "kind": Line.Kind.CRISIS,
            "name": "Silent line",
            "purpose": "Nothing",
            "source_url": "https://example.org/",
            "last_checked": timezone.localdate().isoformat(),
            "is_active": "on",
            "position": 1,
        },
    )
    assert response.status_code == 200
    assert "Give at least a phone or text number" in response.content.decode()
    assert not Line.objects.filter(key="silent").exists()
