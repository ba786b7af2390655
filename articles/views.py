from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST
from markdownx.views import ImageUploadView

from accounts.gating import has_verified_email
from core.markdown import render_markdown

from . import pagecache
from .forms import ImageUploadForm
from .models import Article
from .sharing import share_links


def article_list(request):
    articles = Article.objects.published().only(
        "title", "slug", "summary", "published_at", "reading_minutes"
    )
    return render(
        request,
        "articles/article_list.html",
        {"articles": articles, "section": "articles"},
    )


def article_detail(request, slug):
    # Staff preview drafts through "View on site"; for everyone else a draft
    # does not exist.
    articles = (
        Article.objects.all() if request.user.is_staff else Article.objects.published()
    )
    article = get_object_or_404(
        articles.prefetch_related("references", "topics"), slug=slug
    )
    url = request.build_absolute_uri(article.get_absolute_url())
    pagecache.remember_version(request, article)
    context = {
        "article": article,
        "canonical_url": url,
        "share_links": share_links(url, article.title),
        "json_ld": article_json_ld(article, url),
        "section": "articles",
    }
    response = render(request, "articles/article_detail.html", context)
    # The "If you are in danger now" block follows the reader's country.
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


def article_json_ld(article, url):
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "description": article.summary,
        "mainEntityOfPage": url,
        "url": url,
        "inLanguage": "en",
        "dateModified": article.updated_at.isoformat(),
        "citation": [
            {
                "@type": "CreativeWork",
                "name": ref.title,
                "author": ref.authors,
                **({"datePublished": str(ref.year)} if ref.year else {}),
                **({"publisher": ref.source} if ref.source else {}),
                **({"url": ref.link} if ref.link else {}),
                "description": ref.citation(),
            }
            for ref in article.references.all()
        ],
    }
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    return data


def staff_required(view):
    """markdownx's endpoints are open to anyone by default."""

    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def verified_user_required(view):
    """Staff, and specialists writing their bio: the preview is sanitised
    exactly like the page, so any user with a verified email may use it."""

    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (
            user.is_authenticated
            and user.is_active
            and (user.is_staff or has_verified_email(user))
        ):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_POST
@verified_user_required
def markdown_preview(request):
    return HttpResponse(render_markdown(request.POST.get("content", "")))


class SafeImageUploadView(ImageUploadView):
    form_class = ImageUploadForm


markdown_image_upload = require_POST(staff_required(SafeImageUploadView.as_view()))
