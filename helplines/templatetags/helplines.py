"""What other apps' pages show of the support lines, without importing them."""

from django import template

from core.pagecache import note_variant
from helplines import country as reader_country
from helplines.models import Country, Line

register = template.Library()

# The first line of each kind, in this order, until the block has enough.
BLOCK_KINDS = [
    Line.Kind.CRISIS,
    Line.Kind.DOMESTIC_ABUSE,
    Line.Kind.SEXUAL_VIOLENCE,
    Line.Kind.YOUNG_PEOPLE,
]


def most_relevant(lines, limit=2):
    first = {}
    for line in lines:
        first.setdefault(line.kind, line)
    return [first[kind] for kind in BLOCK_KINDS if kind in first][:limit]


@register.inclusion_tag("helplines/_danger_now.html", takes_context=True)
def danger_now(context):
    """The "If you are in danger now" block: the reader's emergency number and
    the two most relevant current lines of their country; two queries at most.
    It notes on the request which country it showed, for the page cache
    (core/pagecache.py), which keeps one page per country."""
    request = context.get("request")
    choice = (
        reader_country.choose(request) if request else reader_country.Choice("", "")
    )
    if request is not None:
        note_variant(request, "country", choice.code)
    country = lines = None
    if choice.code:
        country = Country.objects.filter(code=choice.code).first()
    if country is not None:
        lines = most_relevant(Line.objects.current().filter(country=country))
    return {"country": country, "lines": lines}
