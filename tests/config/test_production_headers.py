"""With production settings, behind TLS, every kind of response carries the
full set of security headers: pages, static files (whitenoise answers them
before most middleware runs), uploaded files, 404, 500, the admin and its
Markdown editor, the login page. gunicorn serves the production-mode site of
tests/config/conftest.py; requests say they came through the TLS proxy, as
DJANGO_BEHIND_PROXY lets them."""

import base64
import hashlib
import json
import re

import pytest

from bench.prodsite import ARTICLE_PATH, Site, fetch, gunicorn_server, manage
from tests.factories import jpeg_bytes
from tests.html import parse_html

ONE_YEAR = 365 * 24 * 60 * 60
MEDIA_PATH = "/media/markdownx/illustration.jpg"

# A staff member with two-factor authentication (the admin asks for it in
# production), logged in: the session cookie's name and value, and the seed
# article the admin opens in its Markdown editor.
STAFF_SESSION = """
import json
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client
from accounts.models import User
from articles.models import Article

staff = User.objects.create_user(
    email="editor@example.org", password="a-long-test-password",
    is_staff=True, is_superuser=True,
)
Authenticator.objects.create(
    user=staff, type=Authenticator.Type.TOTP, data={"secret": "unused"}
)
client = Client()
client.force_login(staff)
print(json.dumps({
    "cookie": f"{settings.SESSION_COOKIE_NAME}="
    f"{client.cookies[settings.SESSION_COOKIE_NAME].value}",
    "article": Article.objects.get(slug="complex-roots-of-harassment").pk,
}))
"""


@pytest.fixture(scope="module")
def staff(site):
    result = manage(site.env, "shell", "-c", STAFF_SESSION)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])  # after shell's banner


@pytest.fixture(scope="module")
def server(site):
    media = site.directory / "media" / MEDIA_PATH.removeprefix("/media/")
    media.parent.mkdir(parents=True, exist_ok=True)
    media.write_bytes(jpeg_bytes())
    env = {
        **site.env,
        "DJANGO_SETTINGS_MODULE": "tests.config.failing_route_settings",
        "DJANGO_BEHIND_PROXY": "true",
    }
    with gunicorn_server(Site(site.directory, env), workers=1) as base_url:
        yield base_url


def get(server, path, **headers):
    return fetch(server, path, {"X-Forwarded-Proto": "https", **headers})


def parse_csp(header):
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


def assert_security_headers(response):
    headers = response.headers
    csp = parse_csp(headers["Content-Security-Policy"])
    assert csp["default-src"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["form-action"] in {"'self'", "'none'"}
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "unsafe-eval" not in headers["Content-Security-Policy"]
    hsts = headers["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts)[1]) >= ONE_YEAR
    assert "includeSubDomains" in hsts
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in {"same-origin", "no-referrer"}
    assert headers["X-Frame-Options"] == "DENY"
    return csp


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        (ARTICLE_PATH, 200),
        ("/accounts/login/", 200),
        ("/robots.txt", 200),
        ("/no-such-page/", 404),
        ("/deliberate-failure/", 500),
        ("/admin/", 302),  # to the login page, for someone not logged in
    ],
)
def test_pages_carry_every_security_header(server, path, status):
    response = get(server, path)

    assert response.status == status
    csp = assert_security_headers(response)
    if response.headers.get_content_type() == "text/html":
        assert csp["script-src"] == csp["style-src"] == "'self'"


def test_server_error_page_is_the_sites_own(server):
    response = get(server, "/deliberate-failure/")

    assert response.status == 500
    assert "Something went wrong" in response.body.decode()


@pytest.mark.parametrize("name", ["css/site.css", "js/site.js", "favicon.ico"])
def test_static_files_carry_every_security_header(site, server, name):
    response = get(server, site.static_url(name), **{"Accept-Encoding": "gzip"})

    assert response.status == 200
    assert_security_headers(response)


def test_uploaded_files_are_sandboxed(server):
    response = get(server, MEDIA_PATH)

    assert response.status == 200
    assert response.headers.get_content_type() == "image/jpeg"
    csp = assert_security_headers(response)
    assert "sandbox" in csp
    assert csp.keys() == {
        "default-src", "base-uri", "form-action", "frame-ancestors", "object-src",
        "sandbox",
    }  # fmt: skip


def test_admin_pages_and_the_markdown_editor_carry_every_security_header(server, staff):
    for path in ["/admin/", f"/admin/articles/article/{staff['article']}/change/"]:
        response = get(server, path, Cookie=staff["cookie"])

        assert response.status == 200, path
        assert_security_headers(response)
        cache_control = response.headers["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control
    assert "markdownx" in response.body.decode()


def test_pages_link_the_collected_files_with_their_hash(server):
    html = parse_html(get(server, ARTICLE_PATH).body.decode())
    linked = [(s.attrs["src"], s.attrs["integrity"]) for s in html.find_all("script")
              if "src" in s.attrs]  # fmt: skip
    linked += [
        (link.attrs["href"], link.attrs["integrity"])
        for link in html.find_all("link")
        if link.attrs.get("rel") == "stylesheet"
    ]

    assert len(linked) == 2
    for address, integrity in linked:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", address)
        body = get(server, address, **{"Accept-Encoding": "identity"}).body
        digest = base64.b64encode(hashlib.sha384(body).digest()).decode()
        assert integrity == f"sha384-{digest}"
