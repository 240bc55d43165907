"""The scheduled jobs exist once each (data migration 0004) and run through django-q2's scheduler."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import Schedule
from django_q.scheduler import scheduler

from connectors import services
from connectors.models import BetaState, Submission

pytestmark = pytest.mark.django_db

migration = importlib.import_module("review.migrations.0004_schedules")
JOB_NAMES = [name for name, _func, _minutes in migration.JOBS]


def test_it_creates_each_job_once():
    schedules = Schedule.objects.filter(name__in=JOB_NAMES)

    assert sorted(schedules.values_list("func", flat=True)) == sorted(
        ["review.tasks.expire_betas", "review.tasks.remind_betas", "review.tasks.purge_secrets", "review.tasks.reconcile_reviews"]
    )
    assert schedules.get(func="review.tasks.expire_betas").minutes == 5
    assert all(s.schedule_type == Schedule.MINUTES and s.repeats == -1 for s in schedules)


def test_it_keeps_one_row_per_job_when_the_migration_runs_again():
    migration.create_schedules(apps, None)
    migration.create_schedules(apps, None)

    for name in JOB_NAMES:
        assert Schedule.objects.filter(name=name).count() == 1


def test_it_points_every_job_at_a_task_that_exists():
    for func in Schedule.objects.filter(name__in=JOB_NAMES).values_list("func", flat=True):
        module, name = func.rsplit(".", 1)
        assert callable(getattr(importlib.import_module(module), name))


def test_it_expires_a_due_beta_when_the_scheduler_runs(import_connector, alice):
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    services.submission_self_publish(submission=submission, user=alice)
    Submission.objects.filter(pk=submission.pk).update(beta_expires_at=timezone.now() - timedelta(minutes=1))
    Schedule.objects.filter(name__in=JOB_NAMES).update(next_run=timezone.now() - timedelta(seconds=1))

    scheduler(broker=get_broker())  # sync mode: every due job runs here

    assert Submission.objects.get(pk=submission.pk).beta_state == BetaState.EXPIRED
    expiry = Schedule.objects.get(func="review.tasks.expire_betas")
    assert expiry.next_run > timezone.now() + timedelta(minutes=4)
