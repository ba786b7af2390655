"""Profile photos: checked, cropped square, resized and re-encoded by Pillow,
so what is stored holds no metadata (camera, place) and no surprises.

Next to each photo lie its thumbnails, one per size a page shows it at (1× and
2× of each slot's CSS box), named after the photo: `specialists/<random>.jpg`
has `specialists/<random>-96.jpg` and so on. They are written once, when the
photo is saved (signals.py), so a page only names files that exist and no
request resizes anything; the names need no column and no query.
"""

import posixpath
import uuid
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from core.images import in_srgb, reencode, upright, verify_image

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 800


class Slot(NamedTuple):
    box: int  # the CSS box on wide screens: the img's width and height
    sizes: str  # the box on every screen, as static/css/site.css sets it
    sides: tuple  # the thumbnails offered: 1× and 2× of each box


# Where pages show a photo. Keep in step with .card-photo, .mini-photo and
# .profile-photo in static/css/site.css (30rem is where the phone layout starts).
SLOTS = {
    "card": Slot(96, "(max-width: 30rem) 64px, 96px", (96, 192)),
    "mini": Slot(56, "56px", (56, 112)),
    "profile": Slot(160, "(max-width: 30rem) 96px, 160px", (96, 160, 192, 320)),
}
THUMBNAIL_SIDES = tuple(
    sorted({side for slot in SLOTS.values() for side in slot.sides})
)


def process_photo(upload):
    """A square JPEG of at most 800 px from a JPEG, PNG or WebP upload."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("This photo is larger than 5 MB."), code="too_big")
    verify_image(upload)
    with Image.open(upload) as image:
        image = in_srgb(upright(image))
        side = min(image.size)
        image = ImageOps.fit(image, (side, side))
        if side > MAX_SIDE:
            image = image.resize((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        output = reencode(image, "JPEG", quality=85)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


class PhotoField(forms.ImageField):
    """The photo field for forms that do not process uploads themselves (the
    admin): a new upload is stored as process_photo makes it, never as sent."""

    def clean(self, data, initial=None):
        photo = super().clean(data, initial)
        if photo and hasattr(photo, "content_type"):  # a new upload
            return process_photo(photo)
        return photo


def thumbnail_name(name, side):
    stem, _extension = posixpath.splitext(name)
    return f"{stem}-{side}.jpg"


def thumbnail_names(name):
    return [thumbnail_name(name, side) for side in THUMBNAIL_SIDES]


def save_thumbnails(name, *, storage=default_storage):
    """Writes every thumbnail of the stored photo `name`, replacing any there.
    A photo smaller than a thumbnail is not enlarged: the file keeps the
    photo's size, and the browser scales it as it would have anyway."""
    with storage.open(name, "rb") as stored, Image.open(stored) as image:
        image = upright(image)
        side = min(image.size)
        square = ImageOps.fit(image, (side, side))
        for thumbnail_side in THUMBNAIL_SIDES:
            small = square
            if thumbnail_side < side:
                small = square.resize(
                    (thumbnail_side, thumbnail_side), Image.Resampling.LANCZOS
                )
            output = reencode(small, "JPEG", quality=82)
            _write(storage, thumbnail_name(name, thumbnail_side), output.getvalue())


def _write(storage, name, content):
    # The name is derived, so it must be this one: storage.save() would pick
    # another if a file of that name was left behind.
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(content))
    if saved != name:
        raise RuntimeError(f"Thumbnail stored as {saved} instead of {name}")


def delete_photo(name, *, storage=default_storage):
    """Removes the photo `name` and its thumbnails from storage."""
    for stored_name in [name, *thumbnail_names(name)]:
        storage.delete(stored_name)


def img_attributes(photo, slot_name):
    """The src, srcset, sizes, width and height of `photo` (a stored
    ImageField file) shown in the slot `slot_name`, as (name, value) pairs."""
    slot = SLOTS[slot_name]
    url = photo.storage.url
    srcset = ", ".join(
        f"{url(thumbnail_name(photo.name, side))} {side}w" for side in slot.sides
    )
    return [
        ("src", url(thumbnail_name(photo.name, slot.box))),
        ("srcset", srcset),
        ("sizes", slot.sizes),
        ("width", slot.box),
        ("height", slot.box),
    ]
