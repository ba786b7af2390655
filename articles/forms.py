from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from markdownx.forms import ImageForm
from PIL import Image, UnidentifiedImageError

# Pillow's MIME type for each format we accept.
ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# A small file can still decode to a huge bitmap (a decompression bomb).
MAX_PIXELS = 40_000_000


class ImageUploadForm(ImageForm):
    """markdownx's upload form, which trusts the browser's content type, plus a
    look at the bytes: only a real JPEG, PNG or WebP of sane size gets through."""

    def clean(self):
        upload = super().clean()
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
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            OSError,
            SyntaxError,
        ):
            raise invalid from None
        if ALLOWED_FORMATS.get(image_format) != upload.content_type:
            raise invalid
        upload.seek(0)
        return upload
