"""A review's machine work is bounded in wall-clock time, well below the task's timeout, so a
slow or hostile bundle never holds a review worker until django-q2 kills it."""

import time

import pytest
from django.conf import settings

from review.engine import EngineConfig
from review.engine.review import ReviewOutOfTime
from review.engine.sandbox_pool import HANG_GRACE_SECONDS
from tests.review.helpers import review


def test_the_review_wall_clock_leaves_a_margin_below_the_task_timeout():
    timeout = settings.Q_CLUSTER["timeout"]
    wall = EngineConfig.from_settings().review_wall_seconds
    assert wall == settings.REVIEW_WALL_SECONDS
    # The last sandbox job may overrun the deadline by the pool's hang grace; what is left
    # stores the result. A quarter of the timeout, at least, stays free for that.
    assert wall + HANG_GRACE_SECONDS <= timeout * 0.75, (wall, timeout)


def test_the_cli_reads_the_same_bound_as_the_portal(monkeypatch):
    monkeypatch.setenv("Q_TIMEOUT", "80")
    monkeypatch.delenv("REVIEW_WALL_SECONDS", raising=False)
    assert EngineConfig.from_environment().review_wall_seconds == 40
    monkeypatch.setenv("REVIEW_WALL_SECONDS", "12")
    assert EngineConfig.from_environment().review_wall_seconds == 12


def test_a_too_large_bound_is_refused_at_start_up():
    import subprocess
    import sys

    env = {"REVIEW_WALL_SECONDS": "100", "Q_TIMEOUT": "120", "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-c", "import portal.settings"], cwd=settings.BASE_DIR, env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "REVIEW_WALL_SECONDS (100) must leave a quarter of Q_TIMEOUT" in run.stderr


def test_many_slow_reports_end_at_the_review_wall_clock_whatever_the_cpu_budget():
    # 20 endless reports of 1 s CPU each, with a CPU budget that would allow them all:
    # 10 s or more on two sandbox workers without the wall clock; 2 s with it. Each run
    # kept within its own limits, so running out of the review's time is our failure
    # (retried by the pipeline as "checks delayed"), never a finding against the connector.
    manifest = {"reports": [f"R{i}" for i in range(20)]}
    config = EngineConfig(cpu_seconds=1.0, heap_mb=64, workers=2, review_cpu_budget=100.0, review_wall_seconds=2.0)
    started = time.monotonic()
    with pytest.raises(ReviewOutOfTime, match="wall-clock bound of 2 s"):
        review(processdata="while (true) {}", manifest=manifest, config=config)
    assert time.monotonic() - started < 2.0 + HANG_GRACE_SECONDS


def test_a_review_out_of_time_is_checks_delayed_and_retried_not_a_rejection(settings, import_connector, alice,
                                                                          monkeypatch):
    from connectors import services
    from review import services as review_services
    from review.models import Phase, PhaseStatus

    monkeypatch.setattr(review_services, "queue_review", lambda submission_id: None)
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    settings.REVIEW_WALL_SECONDS = 0.0001  # no time for a single run
    assert review_services.review_submission(submission.pk) == "error"
    automated = submission.phases.get(phase=Phase.AUTOMATED)
    assert automated.status == PhaseStatus.ERROR and "ReviewOutOfTime" in automated.details["error"]
    assert not submission.findings.exists()
