"""The review rules page: the standard reasons' texts, the page their links in the emails,
the editor's "What to fix" and the admin point to (connectors.standard_reasons)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from connectors.standard_reasons import REASONS


@require_GET
def review_rules(request):
    # Public: the same text for everyone, linked from emails a developer may open signed out.
    return render(request, "connectors/review_rules.html", {
        "policies": [r for r in REASONS if r.policy], "others": [r for r in REASONS if not r.policy]})
