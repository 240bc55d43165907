from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static


def home(request):
    if request.user.is_authenticated:
        return redirect("/develop/")
    return redirect("login")


def health(request):
    """For load balancers: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the static file
    (a temporary redirect: its hashed name changes whenever the icon does)."""
    return redirect(static("favicon.ico"))


BASELINE_ROWS = [{"number": i, "name": f"Row {i}", "state": "approved"} for i in range(1, 51)]


def bench_baseline(request):
    """The load bench's yardstick: a 50-row template through the same middleware, no
    database. Mounted only with BENCH_BASELINE_PAGE=true (bench/load/run.py sets it)."""
    return render(request, "bench_baseline.html", {"rows": BASELINE_ROWS})
