"""The connector's own submission pages: Withdraw, Self Publish, a connector's versions, the
Data Center and its public pages, the private and beta URLs, the snapshot's icons.

The review's pages about a submission (the status window, View Code, the answer to the
reviewers) are the review's own URLs (review/urls.py): connectors registers only what
connectors serves, so it stands without review.
"""

from django.urls import path

from connectors.views import published

app_name = "submissions"
urlpatterns = [
    path("submissions/<int:pk>/withdraw/", published.withdraw, name="withdraw"),
    path("submissions/<int:pk>/self-publish/", published.self_publish, name="self_publish"),
    path("submissions/<int:pk>/roll-back/", published.roll_back, name="roll_back"),
    path("submissions/<int:pk>/icons/<str:key>.png", published.icon, name="icon"),
    path("submissions/of-connector/<int:connector_pk>/", published.connector_submissions, name="list"),
    path("submissions/of-connector/<int:connector_pk>/unpublish/", published.unpublish, name="unpublish"),
    path("data-center/", published.data_center, name="data_center"),
    path("data-center/<int:pk>/", published.public_connector, name="public_connector"),
    path("beta/<str:token>/", published.beta, name="beta"),
    path("private/<str:token>/", published.private, name="private"),
]
