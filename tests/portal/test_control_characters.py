"""A NUL (or another control character) in any form field or query parameter: 400 naming it, never a 500.

Walks every URL pattern of the URLconf (the admin's custom review views included), as
someone who may open it, collects the names of the page's form fields, then sends a
NUL in each query parameter and each posted field. PostgreSQL refuses NUL in text, so
without the input layer several of these were 500s there; SQLite stored them.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from connectors import services
from connectors.models import Submission
from portal.input_middleware import input_problem
from review.models import Finding

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# Query parameters the pages read (search, paging, filters, export format, admin lists).
QUERY_NAMES = ("q", "page", "format", "state", "sort", "next", "o", "p", "all", "visibility", "_changelist_filters")
# Fields the views read that a GET of the page may not show (modals, htmx posts).
FORM_NAMES = ("answer", "body", "question", "reason", "note", "text", "name", "description", "visibility",
              "additional_instructions", "company", "token_name", "username", "password", "email", "search")
_NAMED_FIELD = re.compile(r"<(?:input|textarea|select)\b[^>]*\bname=\"([^\"]+)\"")


def _patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and "(?P" not in str(entry.pattern):  # the admin catch-all
            yield prefix + str(entry.pattern)


ALL_PATTERNS = sorted(set(_patterns()))


@pytest.fixture
def world(import_connector, alice, erin):
    connector = import_connector("sales-crm")
    submission = services.connector_submit(connector=import_connector("sales-crm-xhr"), user=alice,
                                           visibility="company")
    services.submission_self_publish(submission=submission, user=alice)
    submission = Submission.objects.get(pk=submission.pk)
    return {"connector": connector, "submission": submission}


def erin_id():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="erin").pk


def _url(pattern, world):
    submission, connector = world["submission"], world["connector"]
    about_submission = "submission" in pattern
    values = {
        "pk": submission.pk if about_submission else connector.pk,
        "connector_pk": submission.connector_id,
        "object_id": submission.pk if about_submission else connector.pk,
        "phase": "security",
        "finding_id": (Finding.objects.values_list("pk", flat=True).first() or 1),
        "waiver_id": 1,
        "key": "icon_with_background",
        "token": submission.beta_token or "x",
        "uidb64": "MQ",
        "content_type_id": 1,
        "id": erin_id(),
    }
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), pattern)
    return "/" + url


def _field_names(client, url):
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return set()
    return set(_NAMED_FIELD.findall(response.content.decode("utf-8", "replace"))) - {"csrfmiddlewaretoken"}


def test_every_pattern_is_walked():
    # The walk must reach the pages where NUL was a 500 on PostgreSQL.
    for expected in ("develop/", "submissions/<int:pk>/answer/", "submissions/<int:pk>/withdraw/",
                     "admin/connectors/submission/<path:object_id>/ask/",
                     "admin/connectors/submission/<path:object_id>/request-changes/",
                     "admin/connectors/submission/<path:object_id>/waive/<int:finding_id>/"):
        assert expected in ALL_PATTERNS


@pytest.mark.parametrize("pattern", ALL_PATTERNS)
def test_a_nul_anywhere_answers_400_naming_the_field(pattern, world, client, alice, erin):
    client.force_login(erin if pattern.startswith("admin/") else alice)
    url = _url(pattern, world)
    response = client.get(url, {name: "a\x00b" for name in QUERY_NAMES})
    assert response.status_code == 400, (url, response.status_code)
    assert "query parameter" in response.content.decode(), url
    # Each field the page itself shows, one at a time; then the fields views read without showing.
    for name in sorted(_field_names(client, url)):
        response = client.post(url, {name: "before\x00after"})
        assert response.status_code == 400, (url, name, response.status_code)
        assert name in response.content.decode(), (url, name)
    response = client.post(url, {name: "before\x00after" for name in FORM_NAMES})
    assert response.status_code == 400, (url, response.status_code)


@pytest.mark.parametrize("char,allowed", [("\x00", False), ("\x01", False), ("\x1b", False), ("\x7f", True),
                                          ("\n", True), ("\r", True), ("\t", True), ("é", True)])
def test_only_line_breaks_and_tabs_of_the_control_characters_pass(rf, char, allowed):
    request = rf.post("/develop/", {"description": f"one{char}two"})
    problem = input_problem(request)
    assert (problem is None) is allowed
    if problem:
        assert "'description'" in problem


def test_the_api_answers_json(client):
    response = client.get("/api/v1/submissions/1", {"q": "\x00"})
    assert response.status_code == 400 and "'q'" in response.json()["error"]


def test_the_refused_request_changes_nothing(client, alice, world):
    client.force_login(alice)
    submission = world["submission"]
    response = client.post(f"/submissions/{submission.pk}/withdraw/", {"reason": "because\x00"})
    assert response.status_code == 400
    assert Submission.objects.get(pk=submission.pk).state == submission.state
