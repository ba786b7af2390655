"""Profile photos: checked, cropped square, resized and re-encoded by Pillow,
so what is stored holds no metadata (camera, place) and no surprises."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from core.images import reencode, upright, verify_image

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 800


def process_photo(upload):
    """A square JPEG of at most 800 px from a JPEG, PNG or WebP upload."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("This photo is larger than 5 MB."), code="too_big")
    verify_image(upload)
    with Image.open(upload) as image:
        image = upright(image)
        side = min(image.size)
        image = ImageOps.fit(image, (side, side))
        if side > MAX_SIDE:
            image = image.resize((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        output = reencode(image, "JPEG", quality=85)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
