from django.shortcuts import render


def free_consultation(request):
    return render(request, "consultations/free.html", {"section": "free-consultation"})
