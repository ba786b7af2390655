from django.contrib.sitemaps import Sitemap

from .models import Question


class QuestionSitemap(Sitemap):
    """Answered questions only: an unanswered one has little to offer."""

    changefreq = "weekly"

    def items(self):
        return Question.objects.answered().only("updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at
