from allauth.account.decorators import secure_admin_login
from allauth.mfa.totp.views import activate_totp
from csp.constants import NONE, SELF
from csp.decorators import csp, csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.static import serve

from articles.sitemaps import ArticleSitemap
from articles.views import markdown_image_upload, markdown_preview
from config.health import healthz
from consultations import urls as consultations_urls
from messaging import urls as messaging_urls
from pages.sitemaps import StaticPagesSitemap
from pages.views import robots_txt
from questions.sitemaps import QuestionSitemap
from specialists.sitemaps import SpecialistSitemap


# An uploaded file is never a page: were one ever taken for HTML or SVG, it
# could run nothing, load nothing and reach no form or frame.
@csp(
    {
        "default-src": [NONE],
        "base-uri": [NONE],
        "form-action": [NONE],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "sandbox": True,
    }
)
def serve_media(request, path):
    # Read MEDIA_ROOT per request, so a changed setting (tests) is honoured.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


# The admin's login goes through allauth: its rate limits and two-factor step.
admin.site.login = secure_admin_login(admin.site.login)

sitemaps = {
    "pages": StaticPagesSitemap,
    "articles": ArticleSitemap,
    "specialists": SpecialistSitemap,
    "questions": QuestionSitemap,
}

# Each app owns its routes, also those of its pages that sit under another
# app's prefix (booking at /specialists/<slug>/book/). Django gives every
# include its own namespace, so such an app is one include of its route lists,
# each mounted here under its prefix: the names stay consultations:book and
# messaging:start.
consultations_routes = [
    path("consultations/", include(consultations_urls.urlpatterns)),
    path("specialists/", include(consultations_urls.specialist_urlpatterns)),
]
messaging_routes = [
    path("messages/", include(messaging_urls.urlpatterns)),
    path("specialists/", include(messaging_urls.specialist_urlpatterns)),
]

urlpatterns = [
    path("", include("pages.urls")),
    path("articles/", include("articles.urls")),
    # Before specialists' own routes, so that its <slug:slug>/ patterns can
    # never take specialists/me/consultations/ and the like.
    path("", include((consultations_routes, consultations_urls.app_name))),
    path("", include((messaging_routes, messaging_urls.app_name))),
    path("specialists/", include("specialists.urls")),
    path("contact/", include("contact.urls")),
    path("questions/", include("questions.urls")),
    path("help-now/", include("helplines.urls")),
    # allauth shows the authenticator QR code as a data: image: allowed here only.
    path(
        "accounts/2fa/totp/activate/",
        csp_update({"img-src": [SELF, "data:"]})(activate_totp),
        name="mfa_activate_totp",
    ),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    # markdownx's editor looks these two up by name; ours check who is asking.
    path("markdownx/markdownify/", markdown_preview, name="markdownx_markdownify"),
    path("markdownx/upload/", markdown_image_upload, name="markdownx_upload"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("healthz", healthz, name="healthz"),
    # Uploaded images (Markdown illustrations): only JPEG, PNG or WebP that
    # Pillow re-encoded get here. A proxy in front may serve MEDIA_ROOT instead.
    re_path(r"^media/(?P<path>.*)$", serve_media),
]
