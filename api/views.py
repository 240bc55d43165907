"""The JSON API for CI pipelines: thin views over connectors.services.

Every object is fetched through a selector scoped to the token owner's companies, so
another company's connector or submission answers 404.
"""

from __future__ import annotations

from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParser, MultiPartParserError

from api import selectors
from api.auth import api_view
from api.serializers import ApiError, connector_json, submission_json
from connectors import selectors as connector_selectors
from connectors import services
from connectors.bundle.manifest import json_path
from portal import safe_input

UPLOAD_HELP = "Send the bundle zip as the multipart/form-data field 'bundle'."


def _bundle_upload(request):
    """The uploaded bundle; PUT bodies are parsed here because Django parses only POST's."""
    if not request.content_type.startswith("multipart/form-data"):
        raise ApiError(UPLOAD_HELP, field="bundle")
    try:
        if request.method == "POST":
            files = request.FILES
        else:
            _data, files = MultiPartParser(request.META, request, request.upload_handlers, request.encoding).parse()
    except (MultiPartParserError, SuspiciousOperation) as error:
        raise ApiError(f"The multipart body could not be read ({error}). {UPLOAD_HELP}", field="bundle") from None
    upload = files.get("bundle")
    if upload is None:
        raise ApiError(UPLOAD_HELP, field="bundle")
    return upload


def _json_body(request) -> dict:
    if not request.body:
        return {}
    try:
        body = safe_input.loads(request.body)
    except safe_input.InputError as error:
        where = f" at {json_path(*error.where)}" if error.where else ""
        raise ApiError(f"The body{where} {error.message}.") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiError(f"The body is not valid JSON ({error}).") from None
    if not isinstance(body, dict):
        raise ApiError("The body must be a JSON object.")
    return body


def _submission_response(request, submission_id: int, status: int = 200) -> JsonResponse:
    # Read back through the selector so phases created on commit (the review pipeline) are included.
    submission = selectors.submission_detail_for_user(request.user, submission_id)
    return JsonResponse(submission_json(submission), status=status)


@api_view("POST")
def connector_create(request):
    upload = _bundle_upload(request)
    try:
        company = connector_selectors.company_for_new_connector(request.user, request.POST.get("company"))
    except LookupError as error:
        raise ApiError(str(error), field="company") from None
    connector = services.connector_import_bundle(company=company, user=request.user, source=upload)
    return JsonResponse(connector_json(connector, services.connector_missing_parts(connector)), status=201)


@api_view("PUT")
def connector_bundle(request, pk):
    connector = connector_selectors.connector_get_for_user(request.user, pk)
    upload = _bundle_upload(request)
    connector = services.connector_replace_bundle(connector=connector, user=request.user, source=upload)
    return JsonResponse(connector_json(connector, services.connector_missing_parts(connector)))


@api_view("POST")
def connector_submit(request, pk):
    connector = connector_selectors.connector_get_for_user(request.user, pk)
    body = _json_body(request)
    visibility = body.get("visibility", "")
    instructions = body.get("instructions", "")
    release_notes = body.get("release_notes", "")
    if not isinstance(visibility, str):
        raise ApiError('"visibility" must be "company" or "public".', field="visibility")
    if not isinstance(instructions, str):
        raise ApiError('"instructions" must be a string.', field="instructions")
    if not isinstance(release_notes, str):
        raise ApiError('"release_notes" must be a string.', field="release_notes")
    submission = services.connector_submit(
        connector=connector, user=request.user, visibility=visibility, instructions=instructions,
        release_notes=release_notes,
    )
    return _submission_response(request, submission.pk, status=201)


@api_view("GET")
def submission_detail(request, pk):
    return JsonResponse(submission_json(selectors.submission_detail_for_user(request.user, pk)))


@api_view("POST")
def submission_withdraw(request, pk):
    submission = connector_selectors.submission_get_for_user(request.user, pk)
    reason = _json_body(request).get("reason", "")
    if not isinstance(reason, str):
        raise ApiError('"reason" must be a string.', field="reason")
    services.submission_withdraw(submission=submission, user=request.user, reason=reason.strip())
    return _submission_response(request, submission.pk)


@api_view("POST")
def submission_self_publish(request, pk):
    submission = connector_selectors.submission_get_for_user(request.user, pk)
    services.submission_self_publish(submission=submission, user=request.user)
    return _submission_response(request, submission.pk)
