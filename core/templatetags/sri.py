"""The site's own scripts and stylesheets, linked with subresource integrity:
a browser runs or applies the file only if its SHA-384 matches the page's, so
a file changed on its way or on disk (a compromised proxy or static host) is
refused rather than run on pages about people's health.

The digest is taken of the very file whitenoise sends: the hashed copy
collectstatic made (whose CSS has its url()s rewritten) in production, the
source file the finders find in development. Each file is read once per
process and again only when it changes on disk.
"""

import base64
import hashlib
import os
from functools import lru_cache

from django import template
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def stylesheet(name):
    """<link rel="stylesheet"> to static `name`, with its integrity hash."""
    return format_html(
        '<link rel="stylesheet" href="{}" integrity="{}">',
        static(name),
        integrity(name),
    )


@register.simple_tag
def script(name):
    """<script defer> of static `name`, with its integrity hash."""
    return format_html(
        '<script src="{}" integrity="{}" defer></script>', static(name), integrity(name)
    )


def integrity(name):
    """The integrity attribute's value for static `name`: "sha384-…"."""
    path = served_file(name)
    stat = os.stat(path)
    return _digest(path, stat.st_mtime_ns, stat.st_size)


def served_file(name):
    if isinstance(staticfiles_storage, ManifestFilesMixin):
        return staticfiles_storage.path(staticfiles_storage.stored_name(name))
    path = finders.find(name)
    if path is None:
        raise ValueError(f"No static file named {name!r}")
    return path


@lru_cache(maxsize=64)
def _digest(path, mtime_ns, size):
    with open(path, "rb") as file:
        digest = hashlib.sha384(file.read()).digest()
    return "sha384-" + base64.b64encode(digest).decode("ascii")
