from django.urls import path

from api import views

app_name = "api"
urlpatterns = [
    path("connectors", views.connector_create, name="connector-create"),
    path("connectors/<int:pk>/bundle", views.connector_bundle, name="connector-bundle"),
    path("connectors/<int:pk>/submit", views.connector_submit, name="connector-submit"),
    path("submissions/<int:pk>", views.submission_detail, name="submission-detail"),
    path("submissions/<int:pk>/withdraw", views.submission_withdraw, name="submission-withdraw"),
    path("submissions/<int:pk>/self-publish", views.submission_self_publish, name="submission-self-publish"),
]
