import pytest
from django.template.loader import render_to_string

EXPECTED_CSP = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def parse_csp(header):
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


@pytest.mark.parametrize(
    "url", ["/", "/articles/", "/consultations/free/", "/no-such-page/"]
)
def test_every_page_sends_a_strict_content_security_policy(client, db, url):
    response = client.get(url)

    csp = parse_csp(response["Content-Security-Policy"])
    for directive, value in EXPECTED_CSP.items():
        assert csp[directive] == value
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_pages_forbid_framing_sniffing_and_leaking_the_address(client, db):
    response = client.get("/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_pages_carry_no_inline_script_or_style(client, seed_article):
    for url in [
        "/",
        "/articles/",
        seed_article.get_absolute_url(),
        "/consultations/free/",
        "/privacy/",
    ]:
        content = client.get(url).content.decode()
        assert " style=" not in content
        assert " onclick=" not in content
        assert "<style" not in content
        # Only external scripts and JSON-LD data blocks, which never run.
        for chunk in content.split("<script")[1:]:
            assert chunk.startswith((' src="/static/', ' type="application/ld+json"'))


def test_anonymous_reader_gets_no_cookie(client, seed_article):
    response = client.get(seed_article.get_absolute_url())

    assert not response.cookies


def test_missing_page_is_a_styled_404(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Leave this site" in response.content


def test_server_error_page_is_styled():
    html = render_to_string("500.html")

    assert "Something went wrong" in html
    assert "Leave this site" in html
