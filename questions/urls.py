from django.urls import path

from . import views

app_name = "questions"

urlpatterns = [
    path("", views.question_list, name="list"),
    path("ask/", views.ask, name="ask"),
    path("<int:pk>/", views.question_detail, name="detail"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/report/", views.report_question, name="report_question"),
    path("answers/<int:pk>/helpful/", views.mark_helpful, name="helpful"),
    path("answers/<int:pk>/accept/", views.accept, name="accept"),
    path("answers/<int:pk>/report/", views.report_answer, name="report_answer"),
]
