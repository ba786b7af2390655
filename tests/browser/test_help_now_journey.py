"""A reader on a phone goes from an article to "Help now" and back.

The page fixtures fail any test whose pages log a console error, throw, break
the Content-Security-Policy or ask another host for anything (see conftest.py);
this journey also lists every request it makes and checks that none of them
left the machine.
"""

import io
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

PHONE = {"width": 375, "height": 667}


@pytest.fixture
def shipped_lines(transactional_db):
    call_command("load_helplines", stdout=io.StringIO())


@pytest.mark.parametrize("javascript", [True, False])
def test_reader_on_a_phone_goes_from_article_to_help_now_and_back(
    new_page, check_page, live_server, seed_content, shipped_lines, javascript
):
    page = new_page(viewport=PHONE, locale="en-GB", java_script_enabled=javascript)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    article_url = live_server.url + seed_content.get_absolute_url()

    page.goto(article_url)
    block = page.get_by_role("complementary", name="If you are in danger now")
    expect(block.get_by_role("link", name="999")).to_have_attribute("href", "tel:999")
    expect(block.get_by_role("link", name="116 123")).to_have_attribute(
        "href", "tel:116123"
    )
    check_page(page, javascript)

    page.locator(".exit-bar").get_by_role("link", name="Help now").click()
    expect(page).to_have_url(f"{live_server.url}/help-now/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Help now")
    expect(
        page.get_by_role("heading", name="Support lines in United Kingdom")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Call 116 123")).to_have_attribute(
        "href", "tel:116123"
    )
    # Nothing wider than the phone: no sideways scrolling to reach a number.
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    check_page(page, javascript, PHONE)

    # Another country, chosen with the form: kept for the article too.
    page.get_by_label("Your country").select_option("DE")
    page.get_by_role("button", name="Show the lines").click()
    expect(page.get_by_role("heading", name="Support lines in Germany")).to_be_visible()
    expect(page.get_by_role("link", name="Call 116 016")).to_have_attribute(
        "href", "tel:116016"
    )
    check_page(page, javascript, PHONE)

    page.go_back()
    page.go_back()
    expect(page).to_have_url(article_url)
    page.reload()
    expect(block.get_by_role("link", name="112")).to_have_attribute("href", "tel:112")

    server_host = urlsplit(live_server.url).hostname
    hosts = {urlsplit(url).hostname for url in requested if url.startswith("http")}
    assert hosts == {server_host}
    assert server_host in {"127.0.0.1", "localhost"}


def test_help_now_without_a_country_offers_the_picker_and_international_list(
    new_page, check_page, live_server, shipped_lines
):
    page = new_page(locale="en")  # a language without a region
    page.goto(f"{live_server.url}/help-now/")
    expect(page.get_by_role("heading", name="Choose your country")).to_be_visible()
    expect(page.get_by_role("heading", name="International list")).to_be_visible()
    check_page(page, True)
