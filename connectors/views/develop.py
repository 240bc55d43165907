"""The Develop page: the company's connectors, create one, upload a bundle, export one."""

from __future__ import annotations

from functools import cache

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from connectors import review_links, selectors, services
from connectors.bundle.import_notes import DROPPED_REASON, grouped
from connectors.bundle.importer import DEVSTUDIO
from connectors.develop_rows import row_html
from connectors.forms import BundleUploadForm, NewConnectorForm
from connectors.page_scopes import company_scope
from portal.errors import PortalError
from portal.fragments import cached_part
from portal.paging import get_page, page_number
from portal.row_urls import row_url

DEVELOP_PAGE_SIZE = 25


@cache
def _blank_form_fields() -> dict:
    # The two forms are always blank on this page, so their crispy markup (a tenth of the
    # page's time) is the same for every request until the code changes: render it once.
    return {"new_name": as_crispy_field(NewConnectorForm()["name"]),
            "upload_bundle": as_crispy_field(BundleUploadForm()["bundle"]),
            "upload_folder": as_crispy_field(BundleUploadForm()["folder"])}


def _company_for(request):
    """The company the new connector goes to (selectors.company_for_new_connector); None after saying why."""
    try:
        return selectors.company_for_new_connector(request.user, request.POST.get("company") or None)
    except LookupError as refused:
        messages.error(request, f"Nothing was created: {refused}")
        return None


def _develop_context(request, companies, query: str, state: str) -> dict:
    page = get_page(selectors.connector_rows_for_user(request.user, query, state), request.GET.get("page"),
                    DEVELOP_PAGE_SIZE, q=query, state=state)
    for row in page.object_list:
        row["edit_url"] = row_url("connectors:edit", row["pk"])
        row["export_url"] = row_url("connectors:export", row["pk"])
        # Formatted here: the |date filter's localisation costs more than the rest of a row.
        row["updated_iso"] = row["updated_at"].isoformat()
        row["updated_title"] = f"{timezone.localtime(row['updated_at']):%Y-%m-%d %H:%M %Z}"
        if row["latest_submission_id"]:
            row["status_url"] = review_links.link("status", row["latest_submission_id"])
        row["html"] = row_html(row)
    return {
        "page": page,
        "connectors": page.object_list,
        "query": query,
        "state": state,
        "state_filters": selectors.DEVELOP_STATE_FILTERS,
        "state_label": selectors.DEVELOP_STATE_FILTERS.get(state, ""),
        "filtered": bool(query or state or page.has_previous),
        "blank_fields": _blank_form_fields(),
        "has_company": bool(companies),
        # Several companies: the forms ask which one, instead of picking one silently.
        "companies": companies if len(companies) > 1 else [],
    }


@login_required
@require_GET
def develop(request):
    """The company's connectors. The content is cached until one of the user's companies'
    connectors changes (connectors.page_scopes); the memberships are read every time, so a
    new one shows at once."""
    query = request.GET.get("q", "").strip()[:100]
    state = request.GET.get("state", "")
    state = state if state in selectors.DEVELOP_STATE_FILTERS else ""
    # The memberships alone (no join, no sort): the companies' names matter only to a render.
    company_ids = sorted(selectors.company_ids_for_user(request.user).values_list("company_id", flat=True))
    body = cached_part(
        request, "connectors/_develop_body.html", scopes=[company_scope(pk) for pk in company_ids],
        key=(query, state, page_number(request.GET.get("page"))),
        context=lambda: _develop_context(
            request, list(selectors.companies_for_user(request.user).order_by("name")), query, state),
    )
    return render(request, "connectors/develop.html", {"body": body})


@login_required
@require_POST
def create(request):
    form = NewConnectorForm(request.POST)
    company = _company_for(request)
    if company is None:
        return redirect("connectors:develop")
    if not form.is_valid():
        messages.error(request, f"Name: {form.errors['name'][0]}")
        return redirect("connectors:develop")
    try:
        connector = services.connector_create(company=company, user=request.user, name=form.cleaned_data["name"])
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("connectors:develop")
    messages.success(request, f"{connector.name} was created. Fill in its parts, then Submit.")
    return redirect("connectors:edit", pk=connector.pk)


def bundle_error_message(upload_name: str, error: PortalError) -> str:
    """'<upload>: <file inside> at <JSON path>: what is wrong' for an InvalidBundle."""
    where = [part for part in (getattr(error, "file", None), getattr(error, "json_path", None)) if part]
    detail = getattr(getattr(error, "error", None), "message", None) or error.message
    if where:
        return f"{upload_name} was not imported: {' at '.join(where)}: {detail}"
    return f"{upload_name} was not imported: {detail}"


@login_required
@require_POST
def upload(request):
    form = BundleUploadForm(request.POST, request.FILES)
    company = _company_for(request)
    if company is None:
        return redirect("connectors:develop")
    if not form.is_valid():
        for error in form.upload_errors():
            messages.error(request, error)
        return redirect("connectors:develop")
    try:
        connector = services.connector_import_bundle(company=company, user=request.user, source=form.source)
    except PortalError as error:
        messages.error(request, bundle_error_message(form.label, error))
        return redirect("connectors:develop")
    report_import(request, f"{form.label} was imported as {connector.name}", connector)
    return redirect("connectors:edit", pk=connector.pk)


def report_import(request, headline: str, connector) -> None:
    """What an upload did, shown once: a plain success, or one grouped summary when a Dev
    Studio export was converted or credentials were dropped (never a box per note)."""
    notes = getattr(connector, "grouped_import_notes", ())
    if not notes:
        messages.success(request, headline + ".")
        warn_if_renamed(request, connector)
        return
    converted = getattr(connector, "import_format", "") == DEVSTUDIO
    missing = services.connector_missing_parts(connector)
    messages.info(request, render_to_string("connectors/_import_summary.html", {
        "headline": headline + (", converted from Domo's Dev Studio layout." if converted else "."),
        "connector": connector,
        "renamed_from": getattr(connector, "renamed_from", None),
        "groups": grouped(notes),
        "dropped_reason": DROPPED_REASON,
        "missing": missing,
    }))


def warn_if_renamed(request, connector) -> None:
    if getattr(connector, "renamed_from", None):
        messages.warning(request, f"{connector.company.name} already has a connector named "
                         f"\u201c{connector.renamed_from}\u201d, so this one is called \u201c{connector.name}\u201d. "
                         "Rename it in General if you like.")


@login_required
@require_GET
def export(request, pk):
    connector = selectors.connector_get_for_user(request.user, pk)
    export_format = request.GET.get("format", "bundle")
    if export_format not in services.EXPORT_FORMATS:
        return HttpResponseBadRequest(
            f"format must be one of {', '.join(services.EXPORT_FORMATS)}, not {export_format[:40]!r}.",
            content_type="text/plain; charset=utf-8",
        )
    data = services.connector_export_bundle(connector, export_format)
    response = HttpResponse(data, content_type="application/zip")
    suffix = "-devstudio" if export_format == "devstudio" else ""
    filename = (slugify(connector.name) or f"connector-{connector.pk}") + suffix + ".zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
