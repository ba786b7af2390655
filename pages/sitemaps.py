from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StaticPagesSitemap(Sitemap):
    def items(self):
        return [
            "pages:home",
            "articles:list",
            "specialists:list",
            "questions:list",
            "consultations:free",
            "pages:for_specialists",
            "pages:privacy",
        ]

    def location(self, item):
        return reverse(item)
