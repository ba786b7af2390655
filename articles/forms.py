import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from markdownx.forms import ImageForm
from PIL import Image

from core.images import ALLOWED_FORMATS, reencode, upright, verify_image


class ImageUploadForm(ImageForm):
    """markdownx's upload form, which trusts the browser's content type, plus a
    look at the bytes: only a real JPEG, PNG or WebP of sane size gets through."""

    def clean(self):
        upload = super().clean()
        if ALLOWED_FORMATS[verify_image(upload)] != upload.content_type:
            raise ValidationError(
                _("Upload a JPEG, PNG or WebP image."), code="invalid_image"
            )
        return upload

    @staticmethod
    def _process_raster(image, extension):
        """Replaces markdownx's resize, which writes the upload's metadata (a
        JPEG's comment, for one) back into the stored file: the image is
        turned upright, fitted into MARKDOWNX_IMAGE_MAX_SIZE and re-encoded
        with its pixels only. markdownx expects the buffer positioned at its end."""
        options = settings.MARKDOWNX_IMAGE_MAX_SIZE
        with Image.open(image) as opened:
            fitted = upright(opened)
            fitted.thumbnail(options["size"], Image.Resampling.LANCZOS)
            output = reencode(fitted, extension, quality=options["quality"])
        output.seek(0, io.SEEK_END)
        return output
