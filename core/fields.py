from django import forms


class PlainTextField(forms.CharField):
    """Browsers send line breaks as CRLF but count each as one character for
    maxlength: store them as LF, before the length is checked."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")
