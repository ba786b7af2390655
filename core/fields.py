from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models


class PlainTextField(forms.CharField):
    """Browsers send line breaks as CRLF but count each as one character for
    maxlength: store them as LF, before the length is checked."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, except that an id the database cannot hold (24 digits, say)
    is an invalid choice. Django looks the ids up in one `IN (...)` query, and
    SQLite raises OverflowError on an integer beyond 64 bits: a 500.

    Every form on the site gets it through `formfield` (model forms' callback)
    and `MANY_TO_MANY_OVERRIDES` (the admin)."""

    def _check_values(self, value):
        meta = self.queryset.model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        if isinstance(key, models.IntegerField) and isinstance(value, list | tuple):
            ops = connections[self.queryset.db].ops
            low, high = ops.integer_field_range(key.get_internal_type())
            for pk in value:
                try:
                    number = key.to_python(pk)
                except ValidationError:
                    continue  # not a number: Django's own check reports it
                if number is not None and not low <= number <= high:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": pk},
                    )
        return super()._check_values(value)


def formfield(db_field, **kwargs):
    """A ModelForm's `formfield_callback`: many-to-many fields become the
    ModelMultipleChoiceField above."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    return db_field.formfield(**kwargs)


# A ModelAdmin's formfield_overrides entry, for the same reason.
MANY_TO_MANY_OVERRIDES = {
    models.ManyToManyField: {"form_class": ModelMultipleChoiceField}
}
