"""What other apps' pages show of the specialists, without importing them."""

from django import template
from django.utils.html import format_html_join

from specialists.models import Specialist
from specialists.photos import img_attributes

register = template.Library()


@register.inclusion_tag("specialists/_for_topics.html")
def specialists_for_topics(topics, limit=3):
    """Up to `limit` approved specialists who work on any of these topics,
    featured first: one query. Pass topics already loaded (a prefetched
    `article.topics.all`) and reading their keys costs nothing more."""
    topic_ids = [topic.pk for topic in topics]
    return {"specialists": Specialist.objects.matching_topics(topic_ids)[:limit]}


@register.simple_tag
def has_specialist_profile(user):
    """Whether this logged-in account has a specialist profile: one small
    query, for the account menu on every page (call it once per page)."""
    return Specialist.objects.owned_by(user).exists()


@register.simple_tag
def photo_attributes(photo, slot):
    """The src, srcset, sizes, width and height of an <img> showing this
    profile photo in `slot` ("card", "mini" or "profile", see photos.SLOTS):
    the browser fetches the thumbnail that fits the box and the screen."""
    return format_html_join(" ", '{}="{}"', img_attributes(photo, slot))
