"""Articles shipped with the project, as Markdown files with TOML front matter.

A file looks like:

    +++
    title = "..."
    slug = "..."
    [[references]]
    authors = "..."
    +++
    The Markdown body.

Loading creates each article that does not exist yet, with its topics and
references. An article that exists is left exactly as it is, so loading twice
changes nothing and never overwrites what an admin has edited.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from core.models import Topic

from .models import Article, Reference

CONTENT_DIR = Path(__file__).resolve().parent / "content"
DELIMITER = "+++"


@dataclass
class ArticleSource:
    meta: dict
    body: str

    @property
    def slug(self):
        return self.meta["slug"]


def parse(text):
    lines = text.splitlines()
    if not lines or lines[0].strip() != DELIMITER:
        raise ValueError("An article file starts with a +++ line.")
    try:
        end = lines.index(DELIMITER, 1)
    except ValueError:
        raise ValueError(
            "An article file's front matter ends with a +++ line."
        ) from None
    meta = tomllib.loads("\n".join(lines[1:end]))
    body = "\n".join(lines[end + 1 :]).strip() + "\n"
    return ArticleSource(meta=meta, body=body)


def sources(directory=CONTENT_DIR):
    return [
        parse(path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("*.md"))
    ]


@transaction.atomic
def load_article(source):
    """Create the article described by `source`; return (article, created)."""
    existing = Article.objects.filter(slug=source.slug).first()
    if existing is not None:
        return existing, False
    meta = dict(source.meta)
    topic_names = meta.pop("topics", [])
    references = meta.pop("references", [])
    article = Article.objects.create(body=source.body, **meta)
    article.topics.set(
        Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in topic_names
    )
    Reference.objects.bulk_create(
        Reference(article=article, position=position, **fields)
        for position, fields in enumerate(references, start=1)
    )
    return article, True
