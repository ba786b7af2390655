"""The client address the rate limits count: X-Forwarded-For is believed only
from TRUSTED_PROXIES, read from the right, and never trusted past garbage."""

import subprocess
import sys

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from accounts.adapter import AccountAdapter
from bench.prodsite import PROJECT_ROOT, production_env
from core.ratelimit import client_ip

RESET = "/accounts/password/reset/"
TOO_MANY = 429


@pytest.fixture
def empty_cache(db):
    """allauth's counters live in the shared cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


def request_from(remote_addr, forwarded_for=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **headers)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []

    request = request_from("198.51.100.7", "203.0.113.1")

    assert client_ip(request) == "198.51.100.7"


def test_a_header_from_a_peer_that_is_not_a_trusted_proxy_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]

    request = request_from("198.51.100.7", "203.0.113.1, 10.0.0.1")

    assert client_ip(request) == "198.51.100.7"


def test_through_a_trusted_proxy_the_address_it_saw_counts(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]

    request = request_from("10.0.0.1", "203.0.113.1")

    assert client_ip(request) == "203.0.113.1"


def test_what_the_client_wrote_left_of_its_own_address_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    # The client sent "X-Forwarded-For: 192.0.2.1, 10.0.0.9"; two proxies of
    # ours appended the address each saw.
    request = request_from("10.0.0.1", "192.0.2.1, 10.0.0.9, 203.0.113.1, 10.0.0.2")

    assert client_ip(request) == "203.0.113.1"


def test_a_request_that_only_passed_trusted_proxies_counts_the_first_of_them(
    settings,
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    request = request_from("10.0.0.1", "10.0.0.3, 10.0.0.2")

    assert client_ip(request) == "10.0.0.3"


def test_a_trusted_proxy_without_the_header_counts_as_itself(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    assert client_ip(request_from("127.0.0.1")) == "127.0.0.1"
    assert client_ip(request_from("127.0.0.1", "")) == "127.0.0.1"


def test_ipv6_proxies_and_clients(settings):
    settings.TRUSTED_PROXIES = ["2001:db8:1::/48", "::1"]

    assert client_ip(request_from("::1", "2001:db8:2::5")) == "2001:db8:2::5"
    assert (
        client_ip(request_from("2001:db8:1::9", "2001:db8:2::5, 2001:db8:1::2"))
        == "2001:db8:2::5"
    )
    assert client_ip(request_from("2001:db8:3::1", "192.0.2.1")) == "2001:db8:3::1"


def test_an_ipv4_client_seen_through_a_dual_stack_socket_counts_as_ipv4(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    assert client_ip(request_from("::ffff:127.0.0.1", "192.0.2.1")) == "192.0.2.1"
    assert client_ip(request_from("::ffff:198.51.100.7")) == "198.51.100.7"


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        ("not-an-address", "10.0.0.1"),
        ("203.0.113.1, not-an-address", "10.0.0.1"),
        ("203.0.113.1,", "10.0.0.1"),
        ("203.0.113.1:4711", "10.0.0.1"),
        ("[2001:db8::1]", "10.0.0.1"),
        ("999.1.1.1", "10.0.0.1"),
        ("203.0.113.1\x00", "10.0.0.1"),
        ("not-an-address, 10.0.0.2", "10.0.0.2"),
        ("203.0.113.1, not-an-address, 10.0.0.2", "10.0.0.2"),
        (",,,", "10.0.0.1"),
        ("ö" * 100, "10.0.0.1"),
    ],
)
def test_garbage_stops_the_walk_at_the_last_trusted_hop(
    settings, forwarded_for, expected
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_ip(request_from("10.0.0.1", forwarded_for)) == expected


def test_allauth_counts_the_same_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    spoofed = request_from("198.51.100.7", "203.0.113.1")
    proxied = request_from("10.0.0.1", "203.0.113.1")

    assert AccountAdapter(spoofed).get_client_ip(spoofed) == "198.51.100.7"
    assert AccountAdapter(proxied).get_client_ip(proxied) == "203.0.113.1"


def reset_password(client, n, **headers):
    return client.post(RESET, {"email": f"someone{n}@example.org"}, **headers)


def test_a_spoofed_header_does_not_escape_the_rate_limit(client, empty_cache):
    # reset_password allows 5 a minute from one address (settings).
    statuses = [
        reset_password(
            client,
            n,
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(6)
    ]

    assert TOO_MANY not in statuses[:5]
    assert statuses[5] == TOO_MANY


def test_through_a_trusted_proxy_each_client_is_counted_on_its_own(
    client, settings, empty_cache
):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    via_proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(5):
        reset_password(client, n, HTTP_X_FORWARDED_FOR="203.0.113.1", **via_proxy)

    refused = reset_password(client, 5, HTTP_X_FORWARDED_FOR="203.0.113.1", **via_proxy)
    other = reset_password(client, 6, HTTP_X_FORWARDED_FOR="203.0.113.2", **via_proxy)
    # The client's own claim, left of the address our proxy saw, buys nothing.
    claimed = reset_password(
        client, 7, HTTP_X_FORWARDED_FOR="203.0.113.3, 203.0.113.1", **via_proxy
    )

    assert refused.status_code == TOO_MANY
    assert other.status_code != TOO_MANY
    assert claimed.status_code == TOO_MANY


def test_garbage_in_the_header_is_answered_not_crashed_on(
    client, settings, empty_cache
):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]

    response = reset_password(
        client, 0, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="<script>, 1.2.3"
    )

    assert response.status_code == 302


@pytest.mark.parametrize("value", ["10.0.0.1/8", "proxy.example.org", "10.0.0.0/33"])
def test_settings_refuse_a_trusted_proxy_that_is_not_an_address(tmp_path, value):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=PROJECT_ROOT,
        env=production_env(tmp_path, TRUSTED_PROXIES=f"127.0.0.1, {value}"),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "TRUSTED_PROXIES must list IP addresses or networks" in result.stderr
