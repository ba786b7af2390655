from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "questions"
    verbose_name = _("Questions and answers")

    def ready(self):
        from core import pagecache

        from . import personal_data  # noqa: F401
        from .models import Answer, Question, Vote

        # Not Report: a report shows nowhere until a moderator hides something.
        pagecache.watch(Answer, Question, Vote)
