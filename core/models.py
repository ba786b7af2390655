from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.Model):
    """A subject shared by articles, specialists and questions."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        # The model moved here from articles; its table, with every row and
        # every link to it, stayed where it was (core/migrations/0001).
        db_table = "articles_topic"
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name
