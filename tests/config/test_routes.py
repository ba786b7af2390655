"""Every public address stays where it was, whichever app routes it.

The paths are literal on purpose: moving a route between apps' urls.py (or
reordering the includes in config/urls.py) must not move or shadow a page.
"""

import pytest
from django.contrib.sitemaps.views import sitemap
from django.urls import resolve, reverse

from accounts import views as accounts_views
from articles import views as articles_views
from articles.feeds import LatestArticlesFeed
from config.health import healthz
from config.urls import serve_media
from consultations import specialist_views
from consultations import views as consultations_views
from contact import views as contact_views
from messaging import views as messaging_views
from pages import views as pages_views
from questions import views as questions_views
from specialists import directory
from specialists import views as specialists_views

PUBLIC_PATHS = {
    "/": pages_views.home,
    "/privacy/": pages_views.privacy,
    "/for-specialists/": pages_views.for_specialists,
    "/robots.txt": pages_views.robots_txt,
    "/healthz": healthz,
    "/sitemap.xml": sitemap,
    "/articles/": articles_views.article_list,
    "/articles/some-article/": articles_views.article_detail,
    "/consultations/free/": consultations_views.free_consultation,
    "/consultations/booked/": consultations_views.booked,
    "/consultations/manage/tok3n/": consultations_views.manage,
    "/consultations/manage/tok3n/appointment.ics": consultations_views.manage_ics,
    "/consultations/manage/tok3n/cancel/": consultations_views.manage_cancel,
    "/consultations/manage/tok3n/reschedule/": consultations_views.manage_reschedule,
    "/specialists/": directory.directory,
    "/specialists/new/": specialists_views.create_profile,
    "/specialists/me/": specialists_views.dashboard,
    "/specialists/me/edit/": specialists_views.edit_profile,
    "/specialists/me/submit/": specialists_views.submit_profile,
    "/specialists/me/availability/": specialist_views.availability,
    "/specialists/me/consultations/": specialist_views.consultations,
    "/specialists/me/consultations/7/": specialist_views.update_consultation,
    "/specialists/rowan/": specialists_views.profile,
    "/specialists/rowan/book/": consultations_views.book,
    "/specialists/rowan/message/": messaging_views.start,
    "/contact/": contact_views.contact,
    "/messages/": messaging_views.inbox,
    "/messages/7/": messaging_views.conversation,
    "/messages/7/block/": messaging_views.block,
    "/messages/message/7/report/": messaging_views.report,
    "/questions/": questions_views.question_list,
    "/questions/ask/": questions_views.ask,
    "/questions/7/": questions_views.question_detail,
    "/questions/7/answer/": questions_views.answer,
    "/questions/7/report/": questions_views.report_question,
    "/questions/answers/7/helpful/": questions_views.mark_helpful,
    "/questions/answers/7/accept/": questions_views.accept,
    "/questions/answers/7/report/": questions_views.report_answer,
    "/account/data/": accounts_views.your_data,
    "/account/data/download/": accounts_views.export_data,
    "/account/delete/": accounts_views.delete_account,
    "/account/verify/resend/": accounts_views.resend_verification,
    "/markdownx/markdownify/": articles_views.markdown_preview,
    "/markdownx/upload/": articles_views.markdown_image_upload,
    "/media/specialists/photo.jpg": serve_media,
}


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_every_public_path_still_reaches_the_same_view(path):
    assert resolve(path).func is PUBLIC_PATHS[path]


def test_the_article_feed_is_still_served_by_the_feed():
    assert isinstance(resolve("/articles/feed/").func, LatestArticlesFeed)


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("consultations:book", {"slug": "rowan"}, "/specialists/rowan/book/"),
        ("consultations:availability", {}, "/specialists/me/availability/"),
        (
            "consultations:specialist_consultations",
            {},
            "/specialists/me/consultations/",
        ),
        ("consultations:update", {"pk": 7}, "/specialists/me/consultations/7/"),
        ("consultations:free", {}, "/consultations/free/"),
        ("messaging:start", {"slug": "rowan"}, "/specialists/rowan/message/"),
        ("messaging:inbox", {}, "/messages/"),
        ("specialists:detail", {"slug": "rowan"}, "/specialists/rowan/"),
        ("pages:for_specialists", {}, "/for-specialists/"),
    ],
)
def test_url_names_carry_the_owning_apps_namespace(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
