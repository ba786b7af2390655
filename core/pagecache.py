"""Public pages for anonymous visitors, served from each worker's memory.

Home, the article list and articles, the directory, profiles, the booking
page, the free-consultation page and the questions are the same bytes for
every anonymous visitor. A full render costs several milliseconds; sending a
kept copy costs one indexed query. A view opts in with @public_page.

Correct across workers. Every page is kept with the number of the public
content version (core.models.ContentVersion) it was rendered under, and is
served only while that number is unchanged: one query on every request. The
number moves after the commit of any write, through any worker or command, to
a table a public page shows: the apps name those tables with watch(). Writes
are noticed in the SQL sent to the database, not through model signals: the
code base changes public rows with QuerySet.update() and bulk_create() too
(hiding a reported question, an availability's new hours, a cancellation),
which send no signal. Content that changes with time alone (free slots that
pass, an article whose publication time comes) is rendered again after
PAGE_CACHE_MAX_AGE seconds at the latest.

Never personal. Only GET and HEAD requests without a session or messages
cookie, and with no cookie we do not know, are served from here. Only 200
responses that set no cookie, asked for no CSRF token and are not private or
no-store (config.middleware.private_pages_not_stored) are kept. A page that
carries a CSRF token for anonymous visitors (help now, contact, the booking
details form, which also carries a one-time booking token) is therefore never
kept: none of the fast pages above does, so swapping tokens in kept pages
would add risk for nothing.

Query strings. A page echoes its query string (the Log in link's `next`), so
only a byte-identical query string may share a page. A view lists the
parameters it reads; a request with any other parameter, or one twice, is
rendered and not kept, so one visitor's arbitrary query string never reaches
another visitor. Pages with a query string (a text search, page 50) live in a
store of their own: a flood of distinct searches evicts other searches, never
the pages without a query string. Each store is bounded by entries and bytes
and drops the least recently used page first.

What else a page depends on. The "If you are in danger now" block follows
the reader's country (helplines), times follow the browser's zone (the `tz`
cookie). Code that reads such a value calls note_variant(); the page is kept
per value, and a request is looked up under the values it resolves to. Each
variant has a short, known list of values (countries we have, known zones),
never whatever a header says.

Conditional GETs. Kept pages carry an ETag (a hash of their bytes) and a
request with a matching If-None-Match gets a 304. Private pages get none.
"""

import hashlib
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    IntegrityError,
    connections,
    transaction,
)
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response

from .models import ContentVersion

MAX_QUERY_STRING = 512


@dataclass
class Store:
    """Kept pages, least recently used first, within max_pages and max_bytes."""

    max_pages: int
    max_bytes: int
    entries: OrderedDict = field(default_factory=OrderedDict)
    size: int = 0

    def get(self, key):
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key, variants, values, page):
        entry = self.entries.get(key)
        if entry is None or entry.variants != variants:
            self.drop(key)
            entry = self.entries[key] = Entry(variants)
        self.size -= entry.size
        entry.pages[values] = page
        self.size += entry.size
        self.entries.move_to_end(key)
        while self.entries and (
            self.size > self.max_bytes or len(self.entries) > self.max_pages
        ):
            self.drop(next(iter(self.entries)))

    def drop(self, key):
        entry = self.entries.pop(key, None)
        if entry is not None:
            self.size -= entry.size

    def clear(self):
        self.entries.clear()
        self.size = 0

    def page_count(self):
        return sum(len(entry.pages) for entry in self.entries.values())


@dataclass
class Entry:
    """The pages of one address, one per value of the variants it read."""

    variants: tuple  # names, e.g. ("country",)
    pages: dict = field(default_factory=dict)  # values -> Page

    @property
    def size(self):
        return sum(len(page.body) for page in self.pages.values())


@dataclass(frozen=True)
class Page:
    version: int
    stored_at: float
    headers: dict
    body: bytes


# Pages without a query string: one per public address (and variant).
plain_pages = Store(max_pages=2000, max_bytes=32 * 1024 * 1024)
# Pages with a query string: searches and filters, any number of them.
queried_pages = Store(max_pages=1000, max_bytes=16 * 1024 * 1024)

_variants = {}  # name -> function(request) giving the value a page would read
# Cookies a request may carry and still share pages: the CSRF cookie (a kept
# page never holds a token) and those the variants read, registered with them.
_variant_cookies = []  # functions giving a cookie's name


def clear():
    plain_pages.clear()
    queried_pages.clear()


def public_page(view=None, *, query=()):
    """Marks a view whose anonymous page may be kept: `query` names the
    GET parameters it reads (a request with any other is never kept)."""

    def mark(view):
        view.public_page_query = frozenset(query)
        return view

    return mark(view) if view is not None else mark


def register_variant(name, value, *, cookie=None):
    """`value(request)` gives what a page noted under `name` for this request.
    Its values must be a short, known list: each makes another kept page.
    `cookie()` names the cookie it reads, if any."""
    _variants[name] = value
    if cookie is not None:
        _variant_cookies.append(cookie)


def note_variant(request, name, value):
    """Called by code that reads something of the request other than its
    address (a cookie, a header) while rendering: the page is kept per value."""
    noted = getattr(request, "page_variants", None)
    if noted is None:
        noted = request.page_variants = {}
    noted[name] = value


# The public content version: read on every request, moved after writes.
_watched_tables = set()
WRITE = re.compile(r"\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`\"]?(\w+)", re.I)
VERSION_TABLE = ContentVersion._meta.db_table
READ_SQL = f"SELECT number FROM {VERSION_TABLE} WHERE id = 1"
BUMP_SQL = f"UPDATE {VERSION_TABLE} SET number = number + 1 WHERE id = 1"


def watch(*models):
    """Writes to these models' tables (and their many-to-many tables) move
    the public content version: their rows show on public pages."""
    for model in models:
        _watched_tables.add(model._meta.db_table)
        for many in model._meta.local_many_to_many:
            _watched_tables.add(many.remote_field.through._meta.db_table)


def current_version(using=DEFAULT_DB_ALIAS):
    with connections[using].cursor() as cursor:
        cursor.execute(READ_SQL)
        row = cursor.fetchone()
    return row[0] if row else None


def bump(using=DEFAULT_DB_ALIAS):
    connection = connections[using]
    try:
        with connection.cursor() as cursor:
            cursor.execute(BUMP_SQL)
            if cursor.rowcount:
                return
    except DatabaseError:
        # Migrations write to watched tables before core's migration made
        # this one: nothing can be kept without it, so nothing is stale.
        if VERSION_TABLE not in connection.introspection.table_names():
            return
        raise
    # The row is made by core's migration; a flushed test database lacks it.
    try:
        with transaction.atomic(using=using):
            ContentVersion.objects.using(using).create(pk=1, number=1)
    except IntegrityError:  # another worker made it meanwhile
        bump(using)


# The worker that writes also forgets its own kept pages at once, before the
# commit: its next page shows the write even if the bump fails, and a test
# (whose transaction never commits) sees its writes. Other workers learn of
# it from the version; a page this worker renders before the commit is kept
# under the old number and dropped at the bump.
forget_on_write = True


def notice_writes(execute, sql, params, many, context):
    """A database execute wrapper: a committed write to a watched table moves
    the version (after the commit, so that no worker can read the new number
    and then render the old rows)."""
    result = execute(sql, params, many, context)
    match = WRITE.match(sql)
    if match and match[1] in _watched_tables:
        if forget_on_write:
            clear()
        alias = context["connection"].alias
        # Robust: the write is committed whatever happens here, and a failed
        # bump (logged) must not turn it into an error page. A transaction
        # that writes several rows moves the number several times: one
        # UPDATE of one row each, cheaper than working out which was last.
        transaction.on_commit(partial(bump, alias), using=alias, robust=True)
    return result


@receiver(connection_created)
def _watch_connection(connection, **kwargs):
    if notice_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(notice_writes)


def watch_open_connections():
    for connection in connections.all(initialized_only=True):
        _watch_connection(connection)


def _is_shareable(request):
    known = {settings.CSRF_COOKIE_NAME, *(cookie() for cookie in _variant_cookies)}
    return (
        request.method in ("GET", "HEAD")
        and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_STRING
        and known.issuperset(request.COOKIES)
        # Listed although unknown cookies already stop here: these two are the
        # ones that matter (see the module docstring).
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _reads_only(request, allowed):
    query = request.META.get("QUERY_STRING", "")
    names = [name for name, _ in parse_qsl(query, keep_blank_values=True)]
    return len(names) == len(set(names)) and set(names) <= allowed


def _view_query(request):
    """The parameters the view of this address reads, or None when its page
    is never kept."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return getattr(match.func, "public_page_query", None)


def _is_keepable(request, response):
    cache_control = response.get("Cache-Control", "")
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        # The page asked for a CSRF token: a per-visitor value, never shared.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "no-store" not in cache_control
        and "private" not in cache_control
        and set(getattr(request, "page_variants", {})) <= set(_variants)
    )


def _etag(body):
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_shareable(request):
            return self.get_response(request)
        query = request.META.get("QUERY_STRING", "")
        store = queried_pages if query else plain_pages
        key = (request.scheme, request.get_host(), request.path, query)
        version = None
        entry = store.get(key)
        if entry is not None:
            values = tuple(_variants[name](request) for name in entry.variants)
            page = entry.pages.get(values)
            if (
                page is not None
                and time.monotonic() - page.stored_at < settings.PAGE_CACHE_MAX_AGE
            ):
                version = current_version()
                if page.version == version:
                    response = HttpResponse(page.body, headers=page.headers)
                    return get_conditional_response(
                        request, etag=page.headers["ETag"], response=response
                    )
        allowed = _view_query(request)
        if allowed is None or not _reads_only(request, allowed):
            return self.get_response(request)
        # Read before rendering: a write committed during the render moves
        # the number, and the page kept under the old one is not served.
        if version is None:
            version = current_version()
        response = self.get_response(request)
        if version is None or not _is_keepable(request, response):
            return response
        response["ETag"] = _etag(response.content)
        noted = getattr(request, "page_variants", {})
        variants = tuple(sorted(noted))
        page = Page(version, time.monotonic(), dict(response.items()), response.content)
        store.put(key, variants, tuple(noted[name] for name in variants), page)
        return get_conditional_response(
            request, etag=response["ETag"], response=response
        )


def _reported_zone(request):
    from .timezones import reported_zone  # it imports this module

    return reported_zone(request)


register_variant("tz", _reported_zone, cookie=lambda: "tz")
