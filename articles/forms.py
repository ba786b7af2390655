from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from markdownx.forms import ImageForm

from core.images import ALLOWED_FORMATS, verify_image


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
