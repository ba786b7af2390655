from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from articles.models import Article
from core.pagecache import public_page
from specialists.models import Specialist


@public_page
def home(request):
    featured = (
        Article.objects.published()
        .only("title", "slug", "summary", "reading_minutes")
        .first()
    )
    context = {
        "featured_article": featured,
        "featured_specialists": Specialist.objects.featured()[:3],
        "section": "home",
    }
    return render(request, "pages/home.html", context)


@public_page
def for_specialists(request):
    """Why and how a specialist joins, with one button to start: to the
    profile form (gated for anonymous visitors), or to the dashboard when
    this account already has a profile."""
    user = request.user
    has_profile = user.is_authenticated and Specialist.objects.owned_by(user).exists()
    context = {"has_profile": has_profile, "section": "for-specialists"}
    return render(request, "pages/for_specialists.html", context)


@public_page
def privacy(request):
    return render(request, "pages/privacy.html", {"section": "privacy"})


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /markdownx/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )
