from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/settings/", include("api.urls_accounts")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    # Developer pages: the Develop list, the editor, uploads and exports, Submit.
    path("", include("connectors.urls")),
    # Check now (the review's, on the developer's pages).
    path("", include("review.urls")),
    # Submissions: status window, code viewer, Data Center, private and beta URLs.
    path("", include("review.urls_submissions")),
    # The JSON API for CI pipelines (personal access tokens).
    path("api/v1/", include("api.urls")),
]

if settings.BENCH_BASELINE_PAGE:
    urlpatterns.append(path("bench/baseline/", views.bench_baseline))
