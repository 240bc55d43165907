"""The run page (beta, private, public), its progress part, the CSV, the history. Thin."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from runs import access, csv_store, selectors, services
from runs.access import RunRefused
from runs.forms import RunForm


# The account's values never reach an error report or a log.
@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def run_page(request, kind, token=None, pk=None):
    target = access.runnable(request.user, kind, str(pk if pk is not None else token))
    connector = target.submission.connector
    saved = list(selectors.saved_accounts_for(request.user, connector))
    form = RunForm(request.POST or None, manifest=target.submission.manifest, saved=saved)
    refused = ""
    try:
        access.check_still_runnable(target)
    except RunRefused as why:
        refused = str(why)
    if request.method == "POST" and form.is_valid() and not refused:
        account = form.account()
        if form.cleaned_data.get("saved_account"):
            account = selectors.saved_account_values(request.user, form.cleaned_data["saved_account"])
        try:
            run = services.live_run_start(user=request.user, target=target, report=form.cleaned_data["report"],
                                          parameters=form.parameters(), account=account)
        except RunRefused as why:
            refused = str(why)
        else:
            if form.cleaned_data.get("save_as"):
                services.saved_account_create(owner=request.user, connector=connector,
                                              name=form.cleaned_data["save_as"], values=account)
            return redirect("runs:run", pk=run.pk)
    status = 403 if refused and request.method == "POST" else 200
    return render(request, "runs/run_page.html", {
        "target": target, "submission": target.submission, "form": form, "refused": refused, "saved": saved,
        "runs": selectors.runs_of_version_for_user(request.user, target.submission)}, status=status)


@login_required
@require_GET
def run(request, pk):
    return render(request, "runs/run.html", {"run": selectors.run_get_for_user(request.user, pk)})


@login_required
@require_GET
def run_progress(request, pk):
    return render(request, "runs/_progress.html", {"run": selectors.run_get_for_user(request.user, pk)})


@login_required
@require_GET
def run_csv(request, pk):
    live_run = selectors.run_get_for_user(request.user, pk)
    if not live_run.csv_name:
        raise Http404("This run's CSV is gone (or there never was one).")
    try:
        handle = csv_store.open_csv(live_run.csv_name)  # FileResponse closes it
    except FileNotFoundError:
        raise Http404("This run's CSV is gone.") from None
    return FileResponse(handle, as_attachment=True, filename=f"run-{live_run.pk}.csv", content_type="text/csv")


@login_required
@require_GET
def history(request):
    return render(request, "runs/history.html", {"runs": selectors.runs_for_user(request.user)[:200]})


@login_required
@require_POST
def saved_account_delete(request, pk):
    if not services.saved_account_delete(owner=request.user, pk=pk):
        raise Http404("No such saved account.")
    next_page = request.POST.get("next", "")
    # Only a path on this site: never an open redirect.
    return redirect(next_page if next_page.startswith("/") and not next_page.startswith("//") else "runs:history")
