"""Help the app serves itself, so a developer building a connector from scratch needs no file
from the repository: the Samples box's format and the account names each sign-in method gives
the scripts (issue 20, item 4)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from connectors.labels import ACCOUNT_KEYS, samples_template
from connectors.models import AuthMethod


@login_required
@require_GET
def samples_format(request):
    methods = [{"value": value, "label": label, "keys": ACCOUNT_KEYS.get(value)} for value, label in AuthMethod.choices]
    example = samples_template("api_key", None, "api.example.com", "Items")
    example["parameters"] = {"Region": "eu", "Since": {"start": "2026-11-01", "end": "2026-11-27"}}
    example["responses"].append({"method": "GET", "url_prefix": "https://api.example.com/v1/items?page=",
                                 "status": 200, "headers": {"Content-Type": "application/json"}, "body": "[]"})
    return render(request, "connectors/help_samples.html", {"methods": methods,
                                                            "example": json.dumps(example, indent=2)})
