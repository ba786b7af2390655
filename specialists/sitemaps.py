from django.contrib.sitemaps import Sitemap

from .models import Specialist


class SpecialistSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Specialist.objects.approved().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at
