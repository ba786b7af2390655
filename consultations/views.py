from django.shortcuts import render

from specialists.models import Specialist


def free_consultation(request):
    context = {
        "specialists": Specialist.objects.featured()[:6],
        "section": "free-consultation",
    }
    return render(request, "consultations/free.html", context)
