from django import forms
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models


class PlainTextField(forms.CharField):
    """Browsers send line breaks as CRLF but count each as one character for
    maxlength: store them as LF, before the length is checked."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


def is_out_of_range(field, value, using="default"):
    """Whether value is a whole number the integer model field `field` cannot
    hold in the database (SQLite raises OverflowError beyond 64 bits, where
    Django's own lookups do not guard, e.g. `IN (...)`)."""
    if not isinstance(field, models.IntegerField):
        return False
    try:
        number = field.to_python(value)
    except ValidationError:
        return False  # no number at all: that is another error
    if number is None:
        return False
    low, high = connections[using or DEFAULT_DB_ALIAS].ops.integer_field_range(
        field.get_internal_type()
    )
    return not low <= number <= high


def is_key(field, value, using="default"):
    """Whether value can be looked up as the model field `field`."""
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return not is_out_of_range(field, value, using)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, except that an id the database cannot hold (24 digits, say)
    is an invalid choice: Django looks the ids up in one `IN (...)` query,
    where SQLite raised OverflowError, a 500.

    Every form on the site gets it through `formfield` (model forms' callback)
    and `MANY_TO_MANY_OVERRIDES` (the admin)."""

    def _check_values(self, value):
        meta = self.queryset.model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        for pk in value if isinstance(value, list | tuple) else ():
            if is_out_of_range(key, pk, self.queryset.db):
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
