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


class ContentVersion(models.Model):
    """One row whose number moves on every write to what public pages show
    (core/pagecache.py): each app-server worker compares it with the number
    its kept pages were rendered under, so an edit made through any worker
    shows at once on all of them."""

    number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("public content version")

    def __str__(self):
        return str(self.number)
