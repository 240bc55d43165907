"""Create the scheduled jobs as django-q2 Schedules.

A data migration rather than a command for `make run`/`seed_demo`: every deployment
runs `migrate`, so production gets the jobs without anyone remembering a step.
Idempotent by name (update_or_create), so re-running or later editing the cadence
here, in a new migration, keeps one row per job.
"""

from django.db import migrations
from django.utils import timezone

JOBS = [
    # (name, func, minutes)
    ("Expire betas", "review.tasks.expire_betas", 5),
    ("Remind betas before expiry", "review.tasks.remind_betas", 60),
    ("Purge secrets of ended reviews", "review.tasks.purge_secrets", 24 * 60),
    ("Re-queue stuck review runs", "review.tasks.reconcile_reviews", 5),
]


def create_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for name, func, minutes in JOBS:
        Schedule.objects.update_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": "I",  # Schedule.MINUTES
                "minutes": minutes,
                "repeats": -1,
                "next_run": timezone.now(),
            },
        )


def remove_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name__in=[name for name, _func, _minutes in JOBS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0003_sentemail"),
        ("django_q", "0018_task_success_index"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
