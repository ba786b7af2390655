"""Questions and answers.

Query budget: the list runs the topic options, the count and the page's rows
(with topic, author and answer count joined in); a question page runs the
question (topic and author joined) and its answers (specialist, helpful count
and the visitor's own vote joined), plus one query to learn whether a
logged-in visitor is an approved specialist. Session, user and the header's
unread count come on top for logged-in visitors.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.gating import account_required, has_verified_email, verify_first
from core.listing import filtered_page
from core.pagecache import public_page
from core.ratelimit import RateLimited, too_many_requests
from specialists.models import Specialist

from . import services
from .forms import AnswerForm, QuestionFilterForm, QuestionForm, ReportForm
from .models import Answer, Question

PER_PAGE = 20


def _public_question(pk):
    """A question the public may see, or 404 (hidden ones too, for everyone)."""
    return get_object_or_404(
        Question.objects.published().select_related("topic", "author"), pk=pk
    )


def _visible_answer(pk):
    return get_object_or_404(
        Answer.objects.visible().select_related("question", "specialist"), pk=pk
    )


def _approved_specialist(user):
    """The user's public specialist profile, or None."""
    if not user.is_authenticated:
        return None
    return Specialist.objects.approved().filter(user=user).first()


def _site_url(request):
    return request.build_absolute_uri("/").rstrip("/")


def filter_questions(questions, filters):
    # Every word must appear in the title or the details.
    for word in filters.get("q", "").split():
        questions = questions.filter(Q(title__icontains=word) | Q(body__icontains=word))
    if topic := filters.get("topic"):
        questions = questions.filter(topic=topic)
    return questions


@public_page(query=[*QuestionFilterForm.base_fields, "page"])
def question_list(request):
    questions = (
        Question.objects.published()
        .with_answer_count()
        .select_related("topic", "author")
        # Meta.ordering does not apply to a query with GROUP BY (the count).
        .order_by("-created_at", "-pk")
    )
    form, page, filter_params = filtered_page(
        request, QuestionFilterForm, questions, filter_questions, per_page=PER_PAGE
    )
    context = {
        "form": form,
        "page_obj": page,
        "filter_params": filter_params,
        "section": "questions",
    }
    return render(request, "questions/question_list.html", context)


@sensitive_post_parameters("title", "body")
@account_required("question")
def ask(request):
    form = QuestionForm(request.POST or None)
    context = {"form": form, "section": "questions"}
    if form.is_valid():
        try:
            question = services.ask_question(author=request.user, **form.cleaned_data)
        except RateLimited as error:
            return too_many_requests(
                request, "questions/question_form.html", context, form=form, error=error
            )
        messages.success(request, _("Your question has been published."))
        return redirect(question)
    return render(request, "questions/question_form.html", context)


@public_page
def question_detail(request, pk):
    return _render_question(request, _public_question(pk))


def _render_question(request, question, *, answer_form=None):
    answers = list(Answer.objects.for_page(request.user).filter(question=question))
    can_answer = _approved_specialist(request.user) is not None
    url = request.build_absolute_uri(question.get_absolute_url())
    context = {
        "question": question,
        "answers": answers,
        "is_asker": question.is_asked_by(request.user),
        "answer_form": (answer_form or AnswerForm()) if can_answer else None,
        "canonical_url": url,
        "json_ld": qa_page_json_ld(question, answers, url, request),
        "section": "questions",
    }
    return render(request, "questions/question_detail.html", context)


def qa_page_json_ld(question, answers, url, request):
    """schema.org QAPage. The asker's name only when they chose to show it."""

    def answer_data(answer):
        data = {
            "@type": "Answer",
            "text": answer.body,
            "dateCreated": answer.created_at.isoformat(),
            "upvoteCount": answer.helpful_count,
            "url": f"{url}#answer-{answer.pk}",
        }
        if specialist := answer.specialist:
            data["author"] = {"@type": "Person", "name": specialist.display_name}
            if specialist.is_public:
                data["author"]["url"] = request.build_absolute_uri(
                    specialist.get_absolute_url()
                )
        return data

    entity = {
        "@type": "Question",
        "name": question.title,
        "text": question.body,
        "answerCount": len(answers),
        "dateCreated": question.created_at.isoformat(),
    }
    if question.author_name:
        entity["author"] = {"@type": "Person", "name": question.author_name}
    accepted = [a for a in answers if a.is_accepted]
    suggested = [a for a in answers if not a.is_accepted]
    if accepted:
        entity["acceptedAnswer"] = answer_data(accepted[0])
    if suggested:
        entity["suggestedAnswer"] = [answer_data(a) for a in suggested]
    return {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": entity}


@require_POST
@sensitive_post_parameters("body")
def answer(request, pk):
    question = _public_question(pk)
    if not request.user.is_authenticated:
        return redirect_to_login(question.get_absolute_url())
    specialist = _approved_specialist(request.user)
    if specialist is None:
        raise PermissionDenied(_("Only approved specialists can answer questions."))
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _render_question(request, question, answer_form=form)
    answer = services.publish_answer(
        question=question,
        specialist=specialist,
        body=form.cleaned_data["body"],
        site_url=_site_url(request),
    )
    messages.success(request, _("Your answer has been published."))
    return redirect(answer)


@require_POST
def mark_helpful(request, pk):
    answer = _visible_answer(pk)
    if not request.user.is_authenticated:
        return redirect_to_login(answer.question.get_absolute_url())
    if not has_verified_email(request.user):
        return verify_first(request, answer.question.get_absolute_url())
    try:
        services.mark_helpful(answer=answer, user=request.user)
    except ValidationError as error:
        messages.info(request, error.messages[0])
    else:
        messages.success(request, _("Thank you. You marked this answer as helpful."))
    return redirect(answer)


@require_POST
def accept(request, pk):
    answer = _visible_answer(pk)
    if not request.user.is_authenticated:
        return redirect_to_login(answer.question.get_absolute_url())
    if not answer.question.is_asked_by(request.user):
        raise PermissionDenied(_("Only the person who asked can accept an answer."))
    services.accept_answer(answer=answer)
    messages.success(request, _("You accepted this answer."))
    return redirect(answer)


@sensitive_post_parameters("reason")
def report_question(request, pk):
    question = _public_question(pk)
    return _report(request, question=question, page=question)


@sensitive_post_parameters("reason")
def report_answer(request, pk):
    answer = _visible_answer(pk)
    return _report(request, answer=answer, page=answer)


def _report(request, *, page, **target):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_verified_email(request.user):
        return verify_first(request)
    form = ReportForm(request.POST or None)
    if form.is_valid():
        services.report(
            reporter=request.user, reason=form.cleaned_data["reason"], **target
        )
        messages.success(request, _("Thank you. Our team will look at it."))
        return redirect(page)
    context = {
        "form": form,
        "page": page,
        "is_answer": "answer" in target,
        "section": "questions",
    }
    return render(request, "questions/report_form.html", context)
