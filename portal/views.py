from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect


def home(request):
    if request.user.is_authenticated:
        return redirect("/develop/")
    return redirect("login")


def health(request):
    """For load balancers: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
