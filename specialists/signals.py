"""Keeps Specialist.search_text in step with the names it contains.

save() covers the profile's own fields; these cover adding or removing a
topic, approach or language (either side of the relation) and renaming one.
"""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from core.models import Topic

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
