"""The review's pages: a submission's status window, View Code and the answer to the
reviewers, and Check now under the developer's /develop/ pages."""

from django.urls import path

from review.views import check, code, conversation, status

app_name = "review"
urlpatterns = [
    path("submissions/<int:pk>/", status.status, name="status"),
    path("submissions/<int:pk>/code/", code.code, name="code"),
    path("submissions/<int:pk>/answer/", conversation.answer, name="answer"),
    path("submissions/<int:pk>/contest/", conversation.contest, name="contest"),
    path("develop/<int:pk>/check/", check.check_now, name="check_now"),
    path("develop/<int:pk>/check/result/", check.check_result, name="check_result"),
]
