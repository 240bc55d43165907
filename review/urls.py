"""Check now, under the developer's /develop/ pages."""

from django.urls import path

from review.views import check

app_name = "review"
urlpatterns = [
    path("develop/<int:pk>/check/", check.check_now, name="check_now"),
    path("develop/<int:pk>/check/result/", check.check_result, name="check_result"),
]
