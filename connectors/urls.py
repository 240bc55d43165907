"""The developer pages, all under /develop/."""

from django.urls import path

from connectors.views import develop, editor, help_pages, rules, submit

app_name = "connectors"
urlpatterns = [
    path("develop/", develop.develop, name="develop"),
    path("develop/new/", develop.create, name="create"),
    path("develop/upload/", develop.upload, name="upload"),
    path("develop/help/samples/", help_pages.samples_format, name="samples_format"),
    path("develop/<int:pk>/", editor.edit, name="edit"),
    path("develop/<int:pk>/export/", develop.export, name="export"),
    path("develop/<int:pk>/delete/", editor.delete, name="delete"),
    path("develop/<int:pk>/upload/", editor.replace_bundle, name="replace_bundle"),
    path("develop/<int:pk>/submit/", submit.submit, name="submit"),
    path("develop/<int:pk>/submit/continue/", submit.submit_confirm, name="submit_confirm"),
    path("develop/submissions/<int:pk>/submitted/", submit.submitted, name="submitted"),
    # What the standard reasons of "Request changes" and a take-down link to.
    path("develop/review-rules/", rules.review_rules, name="review_rules"),
]
