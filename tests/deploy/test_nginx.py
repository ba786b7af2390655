"""deploy/nginx.conf, run by Debian's nginx in front of gunicorn with production
settings, does what it promises: HTTPS only, compressed pages, the app's
security headers intact, hashed static files cached for a year, uploaded
images served from disk with the app's headers, request size limits, and the
rate limits counting each client's own address whatever it claims.

The config is the committed file; only its ports, paths, upstream and
certificate are replaced (each replacement must match, so a change to the file
that the test no longer covers fails here). nginx runs with its prefix, pid
and logs in a temporary folder and listens on free loopback ports.
"""

import contextlib
import dataclasses
import datetime
import gzip
import http.client
import os
import re
import socket
import ssl
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bench.prodsite import (
    ARTICLE_PATH,
    ARTICLE_TITLE,
    PROJECT_ROOT,
    gunicorn_server,
    prepare_site,
)
from bench.services import free_port, terminate, wait_for_port

NGINX = "/usr/sbin/nginx"
HOST = "example.org"
RESET = "/accounts/password/reset/"
ONE_YEAR = "public, max-age=31536000, immutable"
SECURITY_HEADERS = [
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "Cross-Origin-Resource-Policy",
    "X-Frame-Options",
    "Referrer-Policy",
]


def require_nginx():
    if os.access(NGINX, os.X_OK):
        return
    if os.environ.get("REQUIRE_SERVICES"):
        pytest.fail("not installed: nginx")
    pytest.skip("not installed: nginx (apt-get install nginx)")


def ipv6_loopback():
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET6) as probe:
        probe.bind(("::1", 0))
        return True
    return False


def replace(text, old, new, count):
    assert text.count(old) == count, f"deploy/nginx.conf: {old!r} not found {count}x"
    return text.replace(old, new)


def site_config(folder, *, http_port, https_port, app_port, media_root):
    text = (PROJECT_ROOT / "deploy" / "nginx.conf").read_text()
    text = replace(text, "server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};", 1)
    text = replace(text, "listen 80", f"listen 127.0.0.1:{http_port}", 2)
    text = replace(text, "listen 443", f"listen 127.0.0.1:{https_port}", 2)
    for port, new_port in [(80, http_port), (443, https_port)]:
        old = f"    listen [::]:{port}"
        if ipv6_loopback():
            text = replace(text, old, f"    listen [::1]:{new_port}", 2)
        else:
            text = replace(text, old, f"    # listen [::]:{port}", 2)
    text = replace(text, "/var/log/nginx/", f"{folder}/", 3)
    text = replace(text, f"/etc/letsencrypt/live/{HOST}/", f"{folder}/tls/", 2)
    text = replace(text, "/var/www/letsencrypt", f"{folder}/acme", 1)
    return replace(text, "/srv/site/media/", f"{media_root}/", 1)


def main_config(folder, site_conf):
    """What Debian's /etc/nginx/nginx.conf provides around a site's file, minus
    its own gzip settings (the site's file must bring those), with every
    writable path in `folder`."""
    temp = "\n".join(
        f"    {kind}_temp_path {folder}/temp-{kind};"
        for kind in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    )
    # As root, workers would run as `nobody`, who cannot read the temporary
    # folder; Debian's config names www-data.
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""{user}
worker_processes 1;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
{temp}
    include {site_conf};
}}
"""


def write_certificate(folder):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), False)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir()
    (folder / "fullchain.pem").write_bytes(
        certificate.public_bytes(serialization.Encoding.PEM)
    )
    (folder / "privkey.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


@contextlib.contextmanager
def nginx_server(folder, *, app_port, media_root, startup_timeout=10):
    folder.mkdir()
    write_certificate(folder / "tls")
    (folder / "acme").mkdir()
    http_port, https_port = free_port(), free_port()
    site_conf = folder / "site.conf"
    site_conf.write_text(
        site_config(
            folder,
            http_port=http_port,
            https_port=https_port,
            app_port=app_port,
            media_root=media_root,
        )
    )
    conf = folder / "nginx.conf"
    conf.write_text(main_config(folder, site_conf))
    error_log = folder / "error.log"
    command = [
        NGINX, "-p", f"{folder}/", "-c", str(conf), "-e", str(error_log),
        "-g", f"daemon off; pid {folder}/nginx.pid;",
    ]  # fmt: skip
    server = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=None
    )
    try:
        wait_for_port(https_port, server, error_log, startup_timeout)
        yield http_port, https_port
    finally:
        terminate(server)


@dataclasses.dataclass
class Proxy:
    http_port: int
    https_port: int
    app_port: int
    site: object
    folder: Path

    def request(self, method, path, *, tls=True, source="127.0.0.1", **options):
        port = self.https_port if tls else self.http_port
        return request(port, method, path, tls=tls, source=source, **options)


class Connection(http.client.HTTPConnection):
    """HTTP or HTTPS to a loopback port, from a chosen loopback address, with
    the site's host name as TLS server name (the certificate is throwaway)."""

    def __init__(self, port, *, tls, source, server_name=HOST):
        super().__init__("127.0.0.1", port, timeout=10, source_address=(source, 0))
        self.tls = tls
        self.server_name = server_name

    def connect(self):
        super().connect()
        if self.tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            self.sock = context.wrap_socket(self.sock, server_hostname=self.server_name)


def request(port, method, path, *, tls, source, headers=None, body=None):
    connection = Connection(port, tls=tls, source=source)
    try:
        host = HOST if port in (80, 443) else f"{HOST}:{port}"
        connection.request(method, path, body, {"Host": host, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    require_nginx()
    folder = tmp_path_factory.mktemp("nginx")
    (folder / "site").mkdir()
    site = prepare_site(folder / "site")
    # Production defaults (HTTPS redirect on), behind a proxy on this machine.
    env = {
        **site.env,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "true",
        "DJANGO_BEHIND_PROXY": "true",
        "TRUSTED_PROXIES": "127.0.0.1",
    }
    site = dataclasses.replace(site, env=env)
    with gunicorn_server(site, workers=2) as base_url:
        app_port = int(base_url.rsplit(":", 1)[1])
        media_root = Path(env["MEDIA_ROOT"])
        with nginx_server(
            folder / "nginx", app_port=app_port, media_root=media_root
        ) as (http_port, https_port):
            yield Proxy(http_port, https_port, app_port, site, folder / "nginx")


def test_http_redirects_to_https_on_the_same_host(proxy):
    status, headers, _body = proxy.request("GET", "/articles/?page=2", tls=False)

    assert status == 301
    assert headers["Location"] == f"https://{HOST}/articles/?page=2"


def test_another_host_name_gets_no_tls_handshake(proxy):
    connection = Connection(
        proxy.https_port, tls=True, source="127.0.0.1", server_name="other.example"
    )
    with pytest.raises(ssl.SSLError):
        connection.connect()
    connection.close()


def test_html_arrives_compressed(proxy):
    status, headers, body = proxy.request(
        "GET", ARTICLE_PATH, headers={"Accept-Encoding": "gzip"}
    )

    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    assert ARTICLE_TITLE in gzip.decompress(body).decode()


@pytest.mark.parametrize("path", ["/", ARTICLE_PATH, RESET])
def test_the_apps_security_headers_survive_the_proxy(proxy, path):
    status, headers, _body = proxy.request("GET", path)

    # 200, not a redirect: the app knows the request came over HTTPS.
    assert status == 200
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Server"] == "nginx"  # no version


def test_a_hashed_static_file_is_cached_for_a_year(proxy):
    path = proxy.site.static_url("css/site.css")

    status, headers, _body = proxy.request(
        "GET", path, headers={"Accept-Encoding": "gzip"}
    )

    assert re.search(r"\.[0-9a-f]{12}\.css$", path)
    assert status == 200
    assert headers.get_all("Cache-Control") == [ONE_YEAR]
    assert headers["Content-Encoding"] == "gzip"
    assert all(headers[name] for name in SECURITY_HEADERS)


def test_other_files_are_not_cached_for_a_year(proxy):
    _status, headers, _body = proxy.request("GET", "/robots.txt")

    assert "immutable" not in headers.get("Cache-Control", "")


def directives(headers):
    policy = headers["Content-Security-Policy"]
    return {directive.strip() for directive in policy.split(";")}


def test_an_uploaded_image_comes_from_disk_with_the_apps_headers(proxy):
    media = Path(proxy.site.env["MEDIA_ROOT"]) / "specialists"
    media.mkdir(parents=True, exist_ok=True)
    (media / "picture.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    proxy_headers = {"Host": HOST, "X-Forwarded-Proto": "https"}

    status, headers, body = proxy.request("GET", "/media/specialists/picture.jpg")
    _status, app_headers, _body = request(
        proxy.app_port,
        "GET",
        "/media/specialists/picture.jpg",
        tls=False,
        source="127.0.0.1",
        headers=proxy_headers,
    )

    assert status == 200
    assert body == b"\xff\xd8\xff\xe0 not really a jpeg"
    assert headers["Content-Type"] == "image/jpeg"
    assert "sandbox" in headers["Content-Security-Policy"]
    assert directives(headers) == directives(app_headers)
    for name in SECURITY_HEADERS[1:]:
        assert headers[name] == app_headers[name], name


def post_of_size(proxy, size, *, send_body):
    connection = Connection(proxy.https_port, tls=True, source="127.0.0.1")
    try:
        connection.putrequest("POST", RESET, skip_host=True)
        connection.putheader("Host", f"{HOST}:{proxy.https_port}")
        connection.putheader("Content-Type", "application/octet-stream")
        connection.putheader("Content-Length", str(size))
        connection.endheaders(b"x" * size if send_body else None)
        return connection.getresponse().status
    finally:
        connection.close()


def test_a_request_body_over_the_upload_limit_is_refused_by_the_proxy(proxy):
    assert post_of_size(proxy, 7 * 1024 * 1024, send_body=False) == 413


def test_a_request_the_size_of_the_largest_photo_reaches_the_app(proxy):
    # The app refuses it (no CSRF token), but it got there.
    assert post_of_size(proxy, 5 * 1024 * 1024 + 4096, send_body=True) == 403


def reset_form(proxy):
    _status, headers, body = proxy.request("GET", RESET)
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    return cookie, token.group(1).decode()


def ask_for_reset(proxy, source, cookie, token, n, forwarded_for):
    body = f"csrfmiddlewaretoken={token}&email=someone{n}%40example.org"
    status, _headers, _body = proxy.request(
        "POST",
        RESET,
        source=source,
        body=body,
        headers={
            "Cookie": cookie,
            "Origin": f"https://{HOST}:{proxy.https_port}",
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": forwarded_for,
        },
    )
    return status


def test_the_rate_limit_counts_each_clients_own_address(proxy):
    # The password reset allows 5 requests a minute from one address.
    cookie, token = reset_form(proxy)

    # Each request claims another address; nginx replaces the claim.
    first_five = [
        ask_for_reset(proxy, "127.0.0.2", cookie, token, n, f"203.0.113.{n}")
        for n in range(5)
    ]
    sixth = ask_for_reset(proxy, "127.0.0.2", cookie, token, 5, "203.0.113.99")
    other_client = ask_for_reset(proxy, "127.0.0.3", cookie, token, 6, "127.0.0.2")

    assert first_five == [302] * 5
    assert sixth == 429
    assert other_client == 302


def test_the_access_log_holds_no_path_and_no_address(proxy):
    token = "a-private-token-in-the-path"
    proxy.request("GET", f"/consultations/manage/{token}/", source="127.0.0.2")
    proxy.request("GET", "/?q=private", source="127.0.0.2")
    # nginx writes a request's line once the response is sent.
    log = (proxy.folder / "site-access.log").read_text()
    lines = log.splitlines()

    assert lines
    assert all(
        re.fullmatch(r"\S+ [A-Z]+ \d{3} \d+ [\d.]+ [\d.,: -]+", line) for line in lines
    )
    assert token not in log
    assert "private" not in log
    assert "127.0.0" not in log
