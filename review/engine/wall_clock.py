"""The wall-clock bound of a sandbox run, from its CPU limit: one definition for the
parent that sends it and the worker that enforces it (no imports: the worker starts fast)."""

WALL_FACTOR, WALL_EXTRA_SECONDS = 3.0, 10.0


def wall_seconds(cpu_seconds: float) -> float:
    """Only a run that waits without computing reaches this; CPU time is the real limit."""
    return cpu_seconds * WALL_FACTOR + WALL_EXTRA_SECONDS
