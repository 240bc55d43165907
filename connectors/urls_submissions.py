"""Submissions: the status window, the code viewer, icons, the Data Center, private and beta URLs."""

from django.urls import path

from connectors import views_submissions as views

app_name = "submissions"
urlpatterns = [
    path("submissions/<int:pk>/", views.status, name="status"),
    path("submissions/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("submissions/<int:pk>/self-publish/", views.self_publish, name="self_publish"),
    path("submissions/<int:pk>/code/", views.code, name="code"),
    path("submissions/<int:pk>/icons/<str:key>.png", views.icon, name="icon"),
    path("submissions/of-connector/<int:connector_pk>/", views.connector_submissions, name="list"),
    path("data-center/", views.data_center, name="data_center"),
    path("data-center/<int:pk>/", views.public_connector, name="public_connector"),
    path("beta/<str:token>/", views.beta, name="beta"),
    path("private/<str:token>/", views.private, name="private"),
]
