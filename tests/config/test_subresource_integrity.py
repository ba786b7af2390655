"""Every script and stylesheet of the site's pages carries the SHA-384 of the
very file the server sends for it (core/templatetags/sri.py). The production
counterpart, with collectstatic's hashed files, is in test_production_headers.py."""

import base64
import hashlib

import pytest

from core import pagecache
from tests.factories import make_bookable_specialist, make_verified_user
from tests.html import parse_html


def subresources(html):
    page = parse_html(html)
    scripts = [s for s in page.find_all("script") if "src" in s.attrs]
    stylesheets = [
        link for link in page.find_all("link") if link.attrs.get("rel") == "stylesheet"
    ]
    return [(s.attrs["src"], s.attrs.get("integrity")) for s in scripts] + [
        (link.attrs["href"], link.attrs.get("integrity")) for link in stylesheets
    ]


def sha384(body):
    return "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode()


def assert_every_subresource_has_its_hash(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    found = subresources(response.content.decode())
    assert found, f"{url} links no script or stylesheet"
    for address, integrity in found:
        served = client.get(address)
        assert served.status_code == 200, address
        assert integrity == sha384(b"".join(served.streaming_content)), address
    return found


@pytest.fixture
def specialist(db):
    return make_bookable_specialist(slug="rowan", user=make_verified_user())


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/articles/",
        "/articles/complex-roots-of-harassment/",
        "/specialists/",
        "/specialists/rowan/",
        "/specialists/rowan/book/",
        "/questions/",
        "/help-now/",
        "/accounts/login/",
        "/accounts/signup/",
    ],
)
def test_public_pages_link_scripts_and_stylesheets_with_their_hash(
    client, seed_article, specialist, url
):
    found = assert_every_subresource_has_its_hash(client, url)

    assert {address.rsplit("/", 2)[-2] for address, _ in found} == {"css", "js"}


def test_availability_page_links_its_own_script_with_its_hash(client, specialist):
    client.force_login(specialist.user)

    found = assert_every_subresource_has_its_hash(
        client, "/specialists/me/availability/"
    )

    assert any(address.endswith("/availability.js") for address, _ in found)


def test_a_file_that_changes_on_disk_gets_its_new_hash(client, db, settings, tmp_path):
    (tmp_path / "js").mkdir()
    script = tmp_path / "js" / "site.js"
    script.write_text("// first\n")
    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]
    first = dict(subresources(client.get("/").content.decode()))

    script.write_text("// second, longer\n")
    # In production files change only with a deploy, which restarts the
    # workers and so empties their kept pages (core/pagecache.py).
    pagecache.clear()
    second = dict(subresources(client.get("/").content.decode()))

    assert first["/static/js/site.js"] == sha384(b"// first\n")
    assert second["/static/js/site.js"] == sha384(b"// second, longer\n")
