"""Keeps Specialist.search_text in step with the names it contains, and the
photo files in step with the rows that show them.

save() covers the profile's own fields; these cover adding or removing a
topic, approach or language (either side of the relation) and renaming one.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.dispatch import receiver

from core.models import Topic

from . import photos
from .models import Approach, Language, Specialist


def _relation_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            Specialist.objects.filter(pk=instance.pk).refresh_search_text()
        return
    # From the topic's side: `pk_set` holds the specialists, except for a
    # clear, where they are only known before it happens.
    if action == "pre_clear":
        instance._specialists_before_clear = list(
            instance.specialists.values_list("pk", flat=True)
        )
    elif action == "post_clear":
        pk_set = instance.__dict__.pop("_specialists_before_clear", [])
    if action in ("post_add", "post_remove", "post_clear"):
        Specialist.objects.filter(pk__in=pk_set).refresh_search_text()


for _through in (
    Specialist.topics.through,
    Specialist.approaches.through,
    Specialist.languages.through,
):
    m2m_changed.connect(
        _relation_changed, sender=_through, dispatch_uid=f"search_text_{_through}"
    )


@receiver(post_save, sender=Topic, dispatch_uid="search_text_topic_renamed")
@receiver(post_save, sender=Approach, dispatch_uid="search_text_approach_renamed")
@receiver(post_save, sender=Language, dispatch_uid="search_text_language_renamed")
def _name_changed(sender, instance, created, **kwargs):
    if not created:
        instance.specialists.all().refresh_search_text()


# Photo files. Storage is not part of the transaction: a replaced or orphaned
# file is deleted only once the change is committed (a failed save keeps the
# photo its row still names), and only if no row names it any more. Until
# then it would stay public under /media/, after its owner removed it.


def _loaded_photo(instance):
    """The photo's name as the row holds it, or None when the field was not
    loaded (reading it would cost a query)."""
    if "photo" not in instance.__dict__:
        return None
    value = instance.__dict__["photo"]
    return getattr(value, "name", value) or ""


@receiver(post_init, sender=Specialist, dispatch_uid="photo_remember_stored")
def _remember_stored_photo(sender, instance, **kwargs):
    instance._stored_photo = _loaded_photo(instance)


@receiver(post_save, sender=Specialist, dispatch_uid="photo_saved")
def _photo_saved(sender, instance, update_fields, **kwargs):
    if update_fields is not None and "photo" not in update_fields:
        return
    before, now = instance._stored_photo, _loaded_photo(instance)
    if now is None or before == now:
        return
    storage = instance.photo.storage
    if now:
        photos.save_thumbnails(now, storage=storage)
    if before:
        _delete_when_committed(before, storage)
    instance._stored_photo = now


@receiver(post_delete, sender=Specialist, dispatch_uid="photo_deleted")
def _photo_deleted(sender, instance, **kwargs):
    if name := _loaded_photo(instance):
        _delete_when_committed(name, instance.photo.storage)


def _delete_when_committed(name, storage):
    transaction.on_commit(partial(_delete_if_unused, name, storage), robust=True)


def _delete_if_unused(name, storage):
    if not Specialist.objects.filter(photo=name).exists():
        photos.delete_photo(name, storage=storage)
