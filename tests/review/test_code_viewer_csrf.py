"""View Code of a script that spells the cached part's CSRF placeholder: the visitor's
token goes only where the part's own {% csrf_token %} stood, never into the script's text
(issue 18: it used to appear three times, once per copy in the script)."""

import hashlib
import hmac
import re

import pytest
from django.conf import settings
from django.middleware.csrf import _unmask_cipher_token
from django.urls import reverse

from connectors import services

pytestmark = pytest.mark.usefixtures("empty_cache")


def _old_placeholder() -> str:
    # What portal.fragments rendered in place of the token before this change: derived
    # from SECRET_KEY, which a development install leaves at its public default.
    return hmac.new(settings.SECRET_KEY.encode(), b"portal.fragments.csrf", hashlib.sha256).hexdigest()


def _visitor_tokens(page: str, secret: str) -> int:
    """How many strings on the page are the visitor's CSRF token (masked or not)."""
    found = 0
    for candidate in re.findall(r"[A-Za-z0-9]{32,64}", page):
        if candidate == secret or (len(candidate) == 64 and _unmask_cipher_token(candidate) == secret):
            found += 1
    return found


def _view_code(client, submission) -> str:
    return client.get(reverse("review:code", args=[submission.pk]) + "?file=processdata.js").content.decode()


def test_a_script_that_spells_the_placeholder_never_receives_the_token(client, import_connector, alice):
    client.force_login(alice)
    clean = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    clean_page = _view_code(client, clean)
    secret = client.cookies[settings.CSRF_COOKIE_NAME].value
    expected = _visitor_tokens(clean_page, secret)  # the page's own: the logout form, htmx's header

    connector = import_connector("sales-crm-xhr")
    placeholder = _old_placeholder()
    script = (
        f"// {placeholder}\n"
        f'var form = \'<input type="hidden" name="csrfmiddlewaretoken" value="{placeholder}">\';\n'
        f'var attr = \'name="csrfmiddlewaretoken" value="{placeholder}"\';\n'
        "datagrid.magicParseJSON(form + attr);\n"
    )
    services.connector_update(connector=connector, user=alice, processdata_script=script)
    spelled = services.connector_submit(connector=connector, user=alice, visibility="company")

    for _ in range(2):  # the render that fills the cache, and one served from it
        page = _view_code(client, spelled)
        assert placeholder in page  # the script is shown as written
        assert _visitor_tokens(page, secret) == expected

