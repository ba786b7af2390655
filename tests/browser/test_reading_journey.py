"""A reader's journey through the site in a real browser (Chromium via Playwright).

The page fixture fails any test whose pages log a console error, throw, break the
Content-Security-Policy or ask another host for anything (see conftest.py).
"""

import pytest
from playwright.sync_api import expect

OFFLINE_TEXTS = [
    "No Internet Connection",
    "It seems you’ve lost your internet connection. "
    "Please refresh your page to try again.",
]

# Every page a reader can reach from the home page without an account.
PAGES = {
    "home": "/",
    "article list": "/articles/",
    "article": None,  # the seed article's own address
    "free consultation": "/consultations/free/",
    "privacy": "/privacy/",
}


@pytest.fixture
def article_url(live_server, seed_content):
    return live_server.url + seed_content.get_absolute_url()


def page_url(live_server, seed_content, name):
    return live_server.url + (PAGES[name] or seed_content.get_absolute_url())


def test_reader_follows_featured_article_contents_and_reference(
    page, live_server, seed_content, article_url
):
    page.goto(live_server.url + "/")
    page.locator(".featured").get_by_role("link", name=seed_content.title).click()
    expect(page).to_have_url(article_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(seed_content.title)

    # A section far down the article: out of sight until its contents link is used.
    toc = page.get_by_role("navigation", name="Contents")
    section_links = toc.get_by_role("link").filter(has_not_text="References")
    link = section_links.last
    target_id = link.get_attribute("href").removeprefix("#")
    heading = page.locator("div.prose").locator(f"[id='{target_id}']")
    expect(heading).to_have_text(link.inner_text())
    expect(heading).not_to_be_in_viewport()
    link.click()
    expect(page).to_have_url(f"{article_url}#{target_id}")
    expect(heading).to_be_in_viewport()

    toc.get_by_role("link", name="References", exact=True).click()
    expect(page).to_have_url(f"{article_url}#references")
    first_reference = page.locator("section.references #ref-1")
    expect(first_reference).to_be_visible()
    expect(first_reference).to_be_in_viewport()


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_wcag_violations(page, axe, live_server, seed_content, name):
    page.goto(page_url(live_server, seed_content, name))
    axe(page)


def test_offline_banner_announces_lost_connection_and_clears_when_back(
    page, article_url
):
    page.goto(article_url)
    region = page.locator("[data-offline-region]")
    expect(region).to_have_attribute("role", "status")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region).to_be_empty()

    page.context.set_offline(True)
    expect(region.locator("p")).to_have_text(OFFLINE_TEXTS)
    expect(region).to_be_visible()

    page.context.set_offline(False)
    expect(region).to_be_empty()
    expect(region).to_be_hidden()


def leave_and_go_back(page, leave, live_server, article_url):
    """Leave with `leave`, land on the (stand-in) neutral site, then press Back."""
    exit_url = page.locator("a[data-quick-exit]").get_attribute("href")
    page.watch.stand_in_for(exit_url)
    leave()
    page.wait_for_url(exit_url)
    expect(page.get_by_text("Stand-in page")).to_be_visible()

    page.go_back()
    assert page.url != article_url
    assert not page.url.startswith(live_server.url), (
        f"Back returned to this site: {page.url}"
    )


def test_leave_this_site_link_replaces_the_page_in_history(
    page, live_server, article_url
):
    page.goto(article_url)
    link = page.get_by_role("link", name="Leave this site")
    leave_and_go_back(page, link.click, live_server, article_url)


def test_pressing_escape_three_times_leaves_the_site(page, live_server, article_url):
    page.goto(article_url)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert page.evaluate("document.body.hidden") is False, "two presses already left"

    leave_and_go_back(
        page, lambda: page.keyboard.press("Escape"), live_server, article_url
    )


def test_article_reads_and_contents_work_without_javascript(
    new_page, seed_content, article_url
):
    page = new_page(java_script_enabled=False)
    page.goto(article_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(seed_content.title)
    expect(page.locator("div.prose p").first).to_be_visible()
    # The share buttons need JavaScript: they stay hidden rather than do nothing.
    expect(page.locator(".share").get_by_role("button")).to_have_count(0)

    link = page.get_by_role("navigation", name="Contents").get_by_role("link").nth(3)
    target_id = link.get_attribute("href").removeprefix("#")
    heading = page.locator(f"[id='{target_id}']")
    expect(heading).not_to_be_in_viewport()
    link.click()
    expect(page).to_have_url(f"{article_url}#{target_id}")
    expect(heading).to_be_in_viewport()


def test_article_page_loads_with_at_most_four_requests_all_to_this_site(
    page, live_server, article_url
):
    page.goto(article_url)
    page.wait_for_load_state("networkidle")
    requests = list(page.watch.requests)
    # Headless Chromium never asks for the icon; a reader's browser does, so
    # the icon counts against the budget, and must be served from this site.
    icons = page.locator("link[rel~='icon']").evaluate_all(
        "links => links.map(link => link.href)"
    )
    assert icons, "no favicon declared"
    for icon in icons:
        assert page.request.get(icon).ok, f"favicon not served: {icon}"
    requests += [icon for icon in icons if icon not in requests]

    assert len(requests) <= 4, requests
    assert all(url.startswith(live_server.url + "/") for url in requests), requests


def test_pages_do_not_scroll_sideways_at_320_pixels(
    new_page, live_server, seed_content
):
    page = new_page(viewport={"width": 320, "height": 640})
    too_wide = {}
    for name in PAGES:
        page.goto(page_url(live_server, seed_content, name))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[name] = (width, widest_elements(page))
    assert not too_wide, too_wide


def widest_elements(page):
    """The innermost elements reaching past the viewport's right edge, for a report."""
    return page.evaluate(
        """() => [...document.body.querySelectorAll("*")]
        .filter(el => el.getBoundingClientRect().right > innerWidth + 0.5)
        .filter(el => ![...el.children].some(
            child => child.getBoundingClientRect().right > innerWidth + 0.5))
        .slice(0, 5)
        .map(el => el.outerHTML.slice(0, 120))"""
    )
