"""Content-Security-Policy: every page sends it, and no page needs inline script or style."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an event handler attribute"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def _inline_problems(html):
    return [what for pattern, what in INLINE if pattern.search(html)]


def test_it_sends_a_policy_without_inline_or_eval(client, alice):
    client.force_login(alice)
    policy = client.get(reverse("connectors:develop"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_it_sends_the_policy_on_the_sign_in_page_and_the_admin(client, erin):
    assert "Content-Security-Policy" in client.get("/accounts/login/")
    client.force_login(erin)
    assert "Content-Security-Policy" in client.get("/admin/")


def _templates():
    roots = [Path(settings.BASE_DIR) / "templates"] + [
        Path(settings.BASE_DIR) / app / "templates" for app in ("connectors", "review", "api", "portal")
    ]
    for root in roots:
        for path in sorted(root.rglob("*.html")) if root.exists() else []:
            if "emails" not in path.relative_to(root).parts:  # mail clients, not browsers, read these
                yield path


@pytest.mark.parametrize("path", list(_templates()), ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_it_has_no_inline_script_or_style_in_any_template(path):
    assert _inline_problems(path.read_text()) == []


def test_it_renders_pages_without_inline_script_or_style(client, alice, erin, import_connector):
    from connectors import services

    connector = import_connector("workspaces-discovery")
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    client.force_login(alice)
    pages = [
        reverse("connectors:develop"),
        reverse("connectors:edit", args=[connector.pk]),
        reverse("connectors:submit", args=[connector.pk]),
        f"/submissions/{submission.pk}/",
        "/data-center/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _inline_problems(response.content.decode()) == [], url
    client.force_login(erin)
    pages = ["/admin/", "/admin/connectors/submission/", f"/admin/connectors/submission/{submission.pk}/change/",
             "/admin/axes/accessattempt/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _inline_problems(response.content.decode()) == [], url

