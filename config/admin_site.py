from django.apps import apps as installed_apps
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse


class AdminSite(admin.AdminSite):
    """The Django admin, with everything about a person's account in one
    section: allauth's email addresses (app "account", whose section is also
    called "Accounts") and two-factor authenticators (app "mfa") are listed
    in our `accounts` section, next to the users they belong to."""

    FOLDED_APPS = {"account": "accounts", "mfa": "accounts"}

    def get_app_list(self, request, app_label=None):
        apps = {app["app_label"]: app for app in super().get_app_list(request)}
        for folded, into in self.FOLDED_APPS.items():
            if folded not in apps:
                continue
            app = apps.pop(folded)
            if into in apps:
                apps[into]["models"].extend(app["models"])
            else:  # someone who may see email addresses but not users
                apps[into] = {
                    **app,
                    "name": installed_apps.get_app_config(into).verbose_name,
                    "app_label": into,
                    "app_url": reverse(
                        "admin:app_list", args=[into], current_app=self.name
                    ),
                }
        for app in apps.values():
            for model in app["models"]:
                # A model's admin may name itself with a live figure, such as
                # the number of profiles waiting for review.
                model_admin = self._registry[model["model"]]
                if hasattr(model_admin, "index_name"):
                    model["name"] = model_admin.index_name(request)
            app["models"].sort(key=lambda model: model["name"])
        app_list = sorted(apps.values(), key=lambda app: app["name"].lower())
        if app_label:
            return [app for app in app_list if app["app_label"] == app_label]
        return app_list

    def app_index(self, request, app_label, extra_context=None):
        # The breadcrumbs of a folded app's pages still link to its own page.
        if app_label in self.FOLDED_APPS:
            return redirect("admin:app_list", app_label=self.FOLDED_APPS[app_label])
        return super().app_index(request, app_label, extra_context)
