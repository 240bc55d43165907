"""Runs at once and runs per hour, per user and per company; the wait a refused user is shown."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from runs.models import ACTIVE, LiveRun

HOUR = timedelta(hours=1)


def _count(n: int, noun: str) -> str:
    # "1 run", "2 runs": the nouns here all take an s.
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def wait_for(user, company) -> str:
    """'' when a run may start now, else what the user waits for."""
    scopes = [("You", {"user": user}, settings.LIVE_RUNS_AT_ONCE_PER_USER, settings.LIVE_RUNS_PER_HOUR_PER_USER)]
    if company is not None:
        scopes.append((f"{company.name}", {"company": company}, settings.LIVE_RUNS_AT_ONCE_PER_COMPANY,
                       settings.LIVE_RUNS_PER_HOUR_PER_COMPANY))
    now = timezone.now()
    for who, scope, at_once, per_hour in scopes:
        running = LiveRun.objects.filter(status__in=ACTIVE, **scope).count()
        if running >= at_once:
            return f"{who} already {'have' if who == 'You' else 'has'} {_count(running, 'run')} going (limit {at_once}): " \
                   "wait until one ends."
        recent = LiveRun.objects.filter(created_at__gt=now - HOUR, **scope).order_by("created_at")
        if recent.count() >= per_hour:
            oldest = recent.values_list("created_at", flat=True)[recent.count() - per_hour]
            minutes = max(1, int(((oldest + HOUR) - now).total_seconds() // 60) + 1)
            return f"{who} reached {_count(per_hour, 'run')} in an hour: the next can start in about {_count(minutes, 'minute')}."
    return ""
