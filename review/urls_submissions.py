"""Submissions: the status window and View Code (the review's), with the connector's own
submission pages (connectors.views.published) under the one `submissions` namespace.

Here rather than in connectors because the review builds on connectors, never the
other way round.
"""

from django.urls import path

from connectors.views import published
from review.views import code, conversation, status

app_name = "submissions"
urlpatterns = [
    path("submissions/<int:pk>/", status.status, name="status"),
    path("submissions/<int:pk>/withdraw/", published.withdraw, name="withdraw"),
    path("submissions/<int:pk>/self-publish/", published.self_publish, name="self_publish"),
    path("submissions/<int:pk>/code/", code.code, name="code"),
    path("submissions/<int:pk>/answer/", conversation.answer, name="answer"),
    path("submissions/<int:pk>/icons/<str:key>.png", published.icon, name="icon"),
    path("submissions/of-connector/<int:connector_pk>/", published.connector_submissions, name="list"),
    path("data-center/", published.data_center, name="data_center"),
    path("data-center/<int:pk>/", published.public_connector, name="public_connector"),
    path("beta/<str:token>/", published.beta, name="beta"),
    path("private/<str:token>/", published.private, name="private"),
]
