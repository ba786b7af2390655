from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from . import country as reader_country
from .forms import CountryForm
from .models import Country, Line


@require_http_methods(["GET", "HEAD", "POST"])
def help_now(request):
    countries = list(Country.objects.all())
    form = CountryForm(request.POST or None, countries=countries)
    if request.method == "POST" and form.is_valid():
        response = redirect("helplines:help_now")
        response.status_code = 303
        if code := form.cleaned_data["country"]:
            reader_country.set_cookie(response, code)
        else:
            reader_country.delete_cookie(response)
        return response
    choice = reader_country.choose(request, {c.code.code for c in countries})
    current = next((c for c in countries if c.code.code == choice.code), None)
    lines = Line.objects.current().filter(country=current) if current else []
    if request.method == "GET":
        form = CountryForm(initial={"country": choice.code}, countries=countries)
    context = {
        "form": form,
        "country": current,
        "choice": choice,
        "lines": lines,
        "international": Line.objects.current().international(),
        "section": "help-now",
    }
    response = render(
        request, "helplines/help_now.html", context, status=400 if form.errors else 200
    )
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response
