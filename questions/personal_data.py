from django.utils.translation import gettext_lazy as _

from accounts import personal_data

from .models import Answer, Question, Report, Vote


@personal_data.register(_("Your questions"))
def questions(user):
    return [
        {
            "question": q.title,
            "details": q.body,
            "topic": q.topic.name if q.topic else "",
            "anonymous": q.is_anonymous,
            "hidden by our team": q.is_hidden,
            "asked": q.created_at.isoformat(),
        }
        for q in Question.objects.filter(author=user).select_related("topic")
    ]


@personal_data.register(_("Your answers"))
def answers(user):
    return [
        {
            "question": a.question.title,
            "answer": a.body,
            "hidden by our team": a.is_hidden,
            "answered": a.created_at.isoformat(),
        }
        for a in Answer.objects.filter(specialist__user=user)
        .select_related("question")
        .order_by("-created_at")
    ]


@personal_data.register(_("Answers you found helpful"))
def helpful_votes(user):
    return [
        {"question": v.answer.question.title, "marked": v.created_at.isoformat()}
        for v in Vote.objects.filter(user=user)
        .select_related("answer__question")
        .order_by("-created_at")
    ]


@personal_data.register(_("Your reports about questions and answers"))
def reports(user):
    return [
        {
            "about": r.question.title
            if r.question
            else _("An answer to “%(title)s”") % {"title": r.answer.question.title},
            "reason": r.reason,
            "reported": r.created_at.isoformat(),
        }
        for r in Report.objects.filter(reporter=user).select_related(
            "question", "answer__question"
        )
    ]
