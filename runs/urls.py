from django.urls import path

from runs import views

app_name = "runs"

urlpatterns = [
    path("runs/", views.history, name="history"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="progress"),
    path("runs/<int:pk>/csv/", views.run_csv, name="csv"),
    path("runs/accounts/<int:pk>/delete/", views.saved_account_delete, name="saved_account_delete"),
    # The run form of a beta, of an approved company connector, of a Data Center connector.
    path("run/beta/<str:token>/", views.run_page, {"kind": "beta"}, name="run_beta"),
    path("run/private/<str:token>/", views.run_page, {"kind": "private"}, name="run_private"),
    path("run/public/<int:pk>/", views.run_page, {"kind": "public"}, name="run_public"),
]
