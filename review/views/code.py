"""View Code: the submitted scripts, read-only, a tab per script, findings at their lines."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from connectors import selectors
from review.changes import mark_finding_origins
from review.code_viewer import render_script
from review.models import Finding
from review.selectors import last_approved_before


@login_required
@require_GET
def code(request, pk):
    submission = selectors.submission_get_for_user(request.user, pk)
    context = {"submission": submission, "connector": submission.connector, "script": None}
    paths = sorted(submission.scripts)
    if paths:
        path = request.GET.get("file") or paths[0]
        if path not in submission.scripts:
            raise Http404("No such script in this submission.")
        findings = list(Finding.objects.filter(submission=submission).select_related("waiver"))
        mark_finding_origins(submission, findings, last_approved_before(submission))
        per_file = Counter(f.file for f in findings)
        context["tabs"] = [(p, per_file[p]) for p in paths]
        context["script"] = render_script(submission, path, findings)
    return render(request, "submissions/code.html", context)
