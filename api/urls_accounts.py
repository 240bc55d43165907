from django.urls import path

from api import accounts

app_name = "accounts"
urlpatterns = [
    path("", accounts.settings_page, name="settings"),
    path("tokens/", accounts.token_create, name="token-create"),
    path("tokens/<int:pk>/revoke/", accounts.token_revoke, name="token-revoke"),
]
