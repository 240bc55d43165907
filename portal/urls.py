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
    # The connector's own submission pages: Withdraw, Self Publish, Data Center, private and beta URLs.
    path("", include("connectors.urls_submissions")),
    # The review's: the status window, View Code, the answer to the reviewers, Check now.
    path("", include("review.urls")),
    # The JSON API for CI pipelines (personal access tokens).
    # Live runs of a beta or a published connector (issue 22).
    path("", include("runs.urls")),
    path("api/v1/", include("api.urls")),
]

if settings.BENCH_BASELINE_PAGE:
    urlpatterns.append(path("bench/baseline/", views.bench_baseline))

# htmx requests get a short plain-text error (portal/htmx_errors.py); pages, the portal's error pages.
handler400 = "portal.htmx_errors.bad_request"
handler403 = "portal.htmx_errors.permission_denied"
handler404 = "portal.htmx_errors.page_not_found"
handler500 = "portal.htmx_errors.server_error"
