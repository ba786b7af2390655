from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from markdownx.views import ImageUploadView

from accounts.gating import acts_as_staff, has_verified_email
from core.markdown import (
    ARTICLE_BODY_MAX_LENGTH,
    BIO_MAX_LENGTH,
    MarkdownTooCostly,
    check_cost,
    render_markdown,
)
from core.pagecache import public_page
from core.ratelimit import RateLimit

from .forms import ImageUploadForm
from .models import Article
from .sharing import share_links

# The editor asks for a preview half a second after typing stops: a person
# writing stays far below one a second, a script looping on it does not.
PREVIEWS_PER_USER = RateLimit("markdown-preview", limit=30, window=30)


@public_page
def article_list(request):
    articles = Article.objects.published().only(
        "title", "slug", "summary", "published_at", "reading_minutes"
    )
    return render(
        request,
        "articles/article_list.html",
        {"articles": articles, "section": "articles"},
    )


@public_page
def article_detail(request, slug):
    # Staff preview drafts through "View on site"; for everyone else a draft
    # does not exist.
    articles = (
        Article.objects.all()
        if acts_as_staff(request.user)
        else Article.objects.published()
    )
    article = get_object_or_404(
        articles.prefetch_related("references", "topics"), slug=slug
    )
    url = request.build_absolute_uri(article.get_absolute_url())
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
        if not acts_as_staff(request.user):
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
            and (acts_as_staff(user) or has_verified_email(user))
        ):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_POST
@verified_user_required
def markdown_preview(request):
    """The editor's live preview. Text longer than the user may save (an
    article for staff, a bio for others), or too costly to render, gets a
    message in the preview instead; the editor keeps the text as it is."""
    retry_after = PREVIEWS_PER_USER.hit(request.user.pk)
    if retry_after:
        response = _preview_refusal(
            _("Too many previews in a short time. The preview resumes shortly."),
            status=429,
        )
        response["Retry-After"] = str(retry_after)
        return response
    max_length = (
        ARTICLE_BODY_MAX_LENGTH if acts_as_staff(request.user) else BIO_MAX_LENGTH
    )
    text = request.POST.get("content", "")
    try:
        check_cost(text, max_length)
        html = render_markdown(text)
    except MarkdownTooCostly as error:
        return _preview_refusal(error.message, status=422)
    return HttpResponse(html)


def _preview_refusal(message, *, status):
    # markdownx writes any answer, whatever its status, into the preview.
    return HttpResponse(format_html('<p class="notice">{}</p>', message), status=status)


class SafeImageUploadView(ImageUploadView):
    form_class = ImageUploadForm

    def form_invalid(self, form):
        # markdownx answers only its editor's requests; anything else was a
        # 500 (it has no template to render the errors into).
        return JsonResponse(form.errors, status=400)


markdown_image_upload = require_POST(staff_required(SafeImageUploadView.as_view()))
