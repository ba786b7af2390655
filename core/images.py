"""Checks on uploaded images: the bytes, not the name or the browser's word."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# Pillow's format name -> the MIME type we accept for it.
ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# A small file can still decode to a huge bitmap (a decompression bomb).
MAX_PIXELS = 40_000_000


def verify_image(upload):
    """Returns Pillow's format name for a real JPEG, PNG or WebP of sane size;
    raises ValidationError otherwise. Leaves the file at its start."""
    invalid = ValidationError(
        _("Upload a JPEG, PNG or WebP image."), code="invalid_image"
    )
    try:
        with Image.open(upload) as image:
            image_format, (width, height) = image.format, image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("This image is too large: at most 40 megapixels."),
                    code="too_large",
                )
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError):
        raise invalid from None
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise invalid
    return image_format
