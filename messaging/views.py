from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.gating import account_required
from core.ratelimit import RateLimited, too_many_requests
from specialists.models import Specialist

from . import services
from .forms import BlockForm, MessageForm, ReportForm
from .models import Conversation, Message

START = "messaging/start.html"
THREAD = "messaging/conversation.html"


def _own_conversation(request, pk):
    """A conversation the user takes part in, or 404 for everyone else."""
    return get_object_or_404(
        Conversation.objects.for_user(request.user).select_related(
            "specialist__user", "user"
        ),
        pk=pk,
    )


def _site_url(request):
    return request.build_absolute_uri("/").rstrip("/")


@sensitive_post_parameters("body")
@account_required("message")
def start(request, slug):
    specialist = get_object_or_404(Specialist.objects.approved(), slug=slug)
    existing = Conversation.objects.filter(
        user=request.user, specialist=specialist
    ).first()
    form = MessageForm(request.POST or None)
    context = {"specialist": specialist, "form": form, "existing": existing}
    context["section"] = "messages"
    status = 200
    if form.is_valid():
        try:
            message = services.send_message(
                sender=request.user,
                specialist=specialist,
                conversation=existing,
                body=form.cleaned_data["body"],
                site_url=_site_url(request),
            )
        except RateLimited as error:
            return too_many_requests(request, START, context, form=form, error=error)
        except ValidationError as error:
            form.add_error(None, error)
            status = 400
        else:
            messages.success(request, _("Your message has been sent"))
            return redirect(message.conversation)
    return render(request, START, context, status=status)


@account_required("message")
def inbox(request):
    conversations = list(
        Conversation.objects.for_user(request.user)
        .filter(last_message_at__isnull=False)
        .select_related("specialist", "user")
    )
    rows = [
        {
            "conversation": c,
            "other": c.other_name(request.user),
            "reference": c.other_reference(request.user),
            "unread": c.is_unread_for(request.user),
        }
        for c in conversations
    ]
    return render(
        request, "messaging/inbox.html", {"rows": rows, "section": "messages"}
    )


@sensitive_post_parameters("body")
@account_required("message")
def conversation(request, pk):
    conversation = _own_conversation(request, pk)
    services.mark_read(conversation=conversation, user=request.user)
    form = MessageForm(request.POST or None)
    context = _conversation_context(request, conversation, form)
    status = 200
    if form.is_valid():
        try:
            services.send_message(
                sender=request.user,
                conversation=conversation,
                body=form.cleaned_data["body"],
                site_url=_site_url(request),
            )
        except RateLimited as error:
            return too_many_requests(request, THREAD, context, form=form, error=error)
        except ValidationError as error:
            form.add_error(None, error)
            status = 400
        else:
            messages.success(request, _("Your message has been sent"))
            return redirect(conversation)
    return render(request, THREAD, context, status=status)


def _conversation_context(request, conversation, form):
    return {
        "conversation": conversation,
        "thread": conversation.messages.select_related("sender"),
        "other": conversation.other_name(request.user),
        "reference": conversation.other_reference(request.user),
        "my_side": conversation.side_of(request.user),
        "form": form,
        "report_form": ReportForm(),
        "section": "messages",
    }


@require_POST
@account_required("message")
def block(request, pk):
    conversation = _own_conversation(request, pk)
    form = BlockForm(request.POST)
    if form.is_valid():
        services.set_blocked(
            conversation=conversation, user=request.user, blocked=form.is_block()
        )
        messages.success(request, form.done_message())
    else:
        messages.error(request, _("Unknown action."))
    return redirect(conversation)


@require_POST
@account_required("message")
def report(request, pk):
    message = get_object_or_404(
        Message.objects.filter(
            conversation__in=Conversation.objects.for_user(request.user)
        ),
        pk=pk,
    )
    form = ReportForm(request.POST)
    if form.is_valid():
        services.report(
            message=message, reporter=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Thank you. Our team will look at this message."))
    else:
        messages.error(request, _("Please say what is wrong with the message."))
    return redirect(message.conversation)
