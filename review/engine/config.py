"""Limits and model parameters of one review run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EngineConfig:
    latency_seconds: float = 0.5  # modeled network latency per request (performance test)
    cpu_seconds: float = 10.0  # CPU-time limit of one sandbox run
    heap_mb: int = 128  # hard heap limit of one sandbox run
    workers: int = 2  # sandbox worker processes in the shared pool
    # CPU seconds for all the sandbox runs of one review together: it bounds how long
    # one submission can hold a worker, whatever the bundle holds.
    review_cpu_budget: float | None = None  # None: 2 x cpu_seconds
    # Wall-clock seconds for the syntax check and every sandbox run of one review together:
    # with the CPU budget alone, runs that wait without computing (each up to its own wall
    # bound) could hold a task worker up to django-q2's timeout. portal.settings keeps it
    # well below Q_TIMEOUT (REVIEW_WALL_SECONDS).
    review_wall_seconds: float = 60.0

    @property
    def review_cpu_seconds(self) -> float:
        return self.review_cpu_budget if self.review_cpu_budget is not None else 2 * self.cpu_seconds

    @classmethod
    def from_environment(cls) -> "EngineConfig":
        """The same values as portal.settings reads, without loading Django's settings.

        For review_bundle's fast path; tests/review/test_review_bundle_cli.py keeps the
        two in step.
        """
        from portal.env import env_float, env_int

        cpu_seconds = env_float("SANDBOX_CPU_SECONDS", cls.cpu_seconds)
        return cls(
            latency_seconds=env_float("REVIEW_LATENCY_SECONDS", cls.latency_seconds),
            cpu_seconds=cpu_seconds,
            heap_mb=env_int("SANDBOX_HEAP_MB", cls.heap_mb),
            workers=env_int("SANDBOX_WORKERS", cls.workers),
            review_cpu_budget=env_float("REVIEW_CPU_SECONDS", 2 * cpu_seconds),
            review_wall_seconds=env_float("REVIEW_WALL_SECONDS", env_int("Q_TIMEOUT", 120) / 2),
        )

    @classmethod
    def from_settings(cls) -> "EngineConfig":
        """The portal's settings when Django is configured, the spec's defaults otherwise."""
        try:
            from django.conf import settings

            if not settings.configured:
                return cls()
            return cls(
                latency_seconds=float(getattr(settings, "REVIEW_LATENCY_SECONDS", cls.latency_seconds)),
                cpu_seconds=float(getattr(settings, "SANDBOX_CPU_SECONDS", cls.cpu_seconds)),
                heap_mb=int(getattr(settings, "SANDBOX_HEAP_MB", cls.heap_mb)),
                workers=int(getattr(settings, "SANDBOX_WORKERS", cls.workers)),
                review_cpu_budget=getattr(settings, "REVIEW_CPU_SECONDS", None),
                review_wall_seconds=float(getattr(settings, "REVIEW_WALL_SECONDS", cls.review_wall_seconds)),
            )
        except ImportError:
            return cls()
