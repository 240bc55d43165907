"""The scheduled purge of live runs' CSVs past LIVE_RUN_CSV_DAYS (as review's 0004_schedules: a data migration)."""

from django.db import migrations
from django.utils import timezone

NAME = "Purge expired live-run CSVs"


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(name=NAME, defaults={
        "func": "runs.tasks.purge_live_run_csvs", "schedule_type": "I", "minutes": 60, "repeats": -1,
        "next_run": timezone.now()})


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("runs", "0001_initial"), ("django_q", "0018_task_success_index")]
    operations = [migrations.RunPython(create, remove)]
