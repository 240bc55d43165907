"""View Code: the submitted scripts, read-only, a tab per script, findings at their lines."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from connectors import selectors
from connectors.bundle.types import DEFAULT_SCRIPTS
from portal.fragments import cached_part
from review.models import Finding
from review.pages.changes import mark_finding_origins
from review.pages.code_viewer import render_script
from review.selectors import last_approved_before


def script_order(submission, paths) -> list[str]:
    """The tabs: the processdata script first (the one Domo's View Code shows), then the
    other main script, then discovery scripts."""
    roles = (submission.manifest or {}).get("scripts") or {}
    main = [roles.get("processdata") or DEFAULT_SCRIPTS["processdata"],
            roles.get("authentication") or DEFAULT_SCRIPTS["authentication"]]
    return sorted(paths, key=lambda p: (main.index(p) if p in main else len(main), p))


def default_script(ordered: list[str], per_file: Counter) -> str:
    """What View Code opens on: the first script with findings, else the processdata one."""
    return next((p for p in ordered if per_file[p]), ordered[0])


def _code_context(request, submission) -> dict:
    context = {"submission": submission, "connector": submission.connector, "script": None}
    if submission.scripts:
        findings = list(Finding.objects.filter(submission=submission).select_related("waiver"))
        mark_finding_origins(submission, findings, last_approved_before(submission))
        per_file = Counter(f.file for f in findings)
        paths = script_order(submission, submission.scripts)
        path = request.GET.get("file") or default_script(paths, per_file)
        if path not in submission.scripts:
            raise Http404("No such script in this submission.")
        context["tabs"] = [(p, per_file[p]) for p in paths]
        # Once the connector can be edited again, a finding's line leads to that line of
        # the draft in the editor (static/js/portal.js reads ?goto=).
        # (Asked only when a link could show: an open submission locks its connector itself.)
        editable = (
            not submission.is_open
            and any(f.file == path and f.line for f in findings)
            and selectors.open_submission(submission.connector) is None
        )
        edit_url = reverse("connectors:edit", args=[submission.connector_id]) if editable else ""
        context["script"] = render_script(submission, path, findings, edit_url=edit_url)
        context["edit_url"] = edit_url
    return context


@login_required
@require_GET
def code(request, pk):
    """View Code. Its content is cached until the submission's pages change
    (connectors.page_scopes): the code of a snapshot never changes, its findings seldom."""
    page = selectors.submission_page_key(request.user, pk)
    body = cached_part(
        request, "submissions/_code_body.html", scopes=page.scopes(), key=(request.GET.get("file", ""),),
        context=lambda: _code_context(request, selectors.submission_get_for_user(request.user, pk)),
    )
    return render(request, "submissions/code.html", {"submission": page, "body": body})
