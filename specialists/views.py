from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.gating import account_required, acts_as_staff
from core.pagecache import public_page

from . import services
from .forms import EmailPreferencesForm, SpecialistForm
from .models import Specialist
from .ownership import own_specialist


@account_required("specialist_profile")
def create_profile(request):
    if Specialist.objects.owned_by(request.user).exists():
        return redirect("specialists:edit")  # one profile per account
    form = SpecialistForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        services.save_profile(
            form=form, user=request.user, submit="submit" in request.POST
        )
        messages.success(request, _("Your profile has been saved."))
        return redirect("specialists:dashboard")
    context = {"form": form, "creating": True, "section": "specialists"}
    return render(request, "specialists/specialist_form.html", context)


@account_required("specialist_profile")
def edit_profile(request):
    specialist = own_specialist(request)
    form = SpecialistForm(
        request.POST or None, request.FILES or None, instance=specialist
    )
    if form.is_valid():
        was_public = specialist.is_public
        specialist = services.save_profile(
            form=form, user=request.user, submit="submit" in request.POST
        )
        if was_public and not specialist.is_public:
            messages.info(
                request,
                _("Your changes will be public once our team has reviewed them."),
            )
        messages.success(request, _("Your profile has been saved."))
        return redirect("specialists:dashboard")
    context = {"form": form, "specialist": specialist, "section": "specialists"}
    return render(request, "specialists/specialist_form.html", context)


@login_required
def dashboard(request):
    """The specialist's home: review state, consultations, messages and hours.
    Consultations and messages build on this app, so their parts come from
    their own template tags, loaded by the template (no import from here)."""
    specialist = Specialist.objects.owned_by(request.user).with_next_free().first()
    if specialist is None:
        return redirect("specialists:new")
    return render(
        request,
        "specialists/dashboard.html",
        {"specialist": specialist, "section": "dashboard"},
    )


@account_required("specialist_profile")
def notifications(request):
    """The emails the specialist gets: those about bookings always, the
    others as they choose."""
    specialist = own_specialist(request)
    # Not `request.POST or None`: with every box unticked the POST may be empty.
    data = request.POST if request.method == "POST" else None
    form = EmailPreferencesForm(data, instance=specialist)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your email settings have been saved."))
        return redirect("specialists:notifications")
    context = {"form": form, "specialist": specialist, "section": "specialists"}
    return render(request, "specialists/notifications.html", context)


@require_POST
@login_required
def submit_profile(request):
    services.submit_for_review(specialist=own_specialist(request))
    messages.success(request, _("Thank you. Our team will review your profile soon."))
    return redirect("specialists:dashboard")


@public_page
def profile(request, slug):
    specialist = get_object_or_404(
        Specialist.objects.with_next_free().prefetch_related(
            "topics", "approaches", "languages"
        ),
        slug=slug,
    )
    user = request.user
    is_owner = user.is_authenticated and specialist.user_id == user.pk
    if not (specialist.is_public or is_owner or acts_as_staff(user)):
        raise Http404
    context = {
        "specialist": specialist,
        "is_preview": not specialist.is_public,
        "is_owner": is_owner,
        "canonical_url": request.build_absolute_uri(specialist.get_absolute_url()),
        "section": "specialists",
    }
    context["json_ld"] = person_json_ld(specialist, context["canonical_url"], request)
    return render(request, "specialists/specialist_detail.html", context)


def person_json_ld(specialist, url, request):
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": specialist.display_name,
        "jobTitle": specialist.headline,
        "url": url,
        "knowsAbout": [topic.name for topic in specialist.topics.all()],
        "knowsLanguage": [language.code for language in specialist.languages.all()],
    }
    if specialist.photo:
        data["image"] = request.build_absolute_uri(specialist.photo.url)
    if specialist.city or specialist.country:
        data["address"] = {
            "@type": "PostalAddress",
            **({"addressLocality": specialist.city} if specialist.city else {}),
            **(
                {"addressCountry": specialist.country.code}
                if specialist.country
                else {}
            ),
        }
    return data
