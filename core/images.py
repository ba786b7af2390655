"""Uploaded images: checked by their bytes, not the name or the browser's word,
and written afresh so that nothing but the pixels is stored."""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

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


def in_srgb(image):
    """The image with its colours converted to sRGB when it carries an ICC
    profile. reencode() drops the profile with the rest of the metadata, and
    pixels described in another space (a phone's Display P3, a print file's
    CMYK) would then be read as sRGB: faded or garish colours. An image the
    colour engine cannot convert is left as it is."""
    profile = image.info.get("icc_profile")
    if not profile:
        return image
    mode = "RGBA" if "A" in image.getbands() else "RGB"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        return ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=mode
        )
    except (ImageCms.PyCMSError, ValueError, OSError):
        return image


def upright(image):
    """The image turned as its EXIF orientation says: re-encoding drops EXIF,
    and a photo taken sideways would then be stored sideways."""
    return ImageOps.exif_transpose(image)


def reencode(image, image_format, *, quality=85):
    """`image` written as a new `image_format` file holding its pixels only.

    Pillow writes what an image carries in `image.info` back into the file:
    a JPEG's comment, for one, survives a save even when EXIF is dropped. So
    the pixels are copied with an empty `info`; a palette image first becomes
    RGBA, since its transparency lives in that `info`."""
    if image.mode == "P":
        image = image.convert("RGBA")
    if image_format == "JPEG" and image.mode != "RGB":
        image = image.convert("RGB")
    elif image_format == "WEBP" and image.mode not in {"RGB", "RGBA"}:
        image = image.convert("RGBA")
    pixels = image.copy()
    pixels.info = {}
    output = io.BytesIO()
    pixels.save(output, image_format, quality=quality, optimize=True)
    return output
