from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("data/", views.your_data, name="data"),
    path("name/", views.display_name, name="name"),
    path("data/download/", views.export_data, name="export"),
    path("delete/", views.delete_account, name="delete"),
    path("deleted/", views.account_deleted, name="deleted"),
    path("logged-out/", views.logged_out, name="logged_out"),
    path("verify/resend/", views.resend_verification, name="resend_verification"),
]
