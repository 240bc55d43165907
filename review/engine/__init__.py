"""The automated review engine: static checks, the sandbox, the performance test.

Public API:
    run_review(bundle, config=None) -> ReviewResult
    EngineConfig(latency_seconds=0.5, cpu_seconds=10.0, heap_mb=128), EngineConfig.from_settings()
    ReviewResult (.ruleset, .verdict, .findings, .requests, .performance, .timings, .to_dict())
    Finding(rule, severity, phase, file, line, column, message, hint)

Exports are loaded lazily so that the sandbox worker (python -m
review.engine.sandbox_worker) does not import tree-sitter and detect-secrets.
"""

__all__ = ["run_review", "EngineConfig", "ReviewResult", "Finding", "RULESET"]


def __getattr__(name):
    if name == "run_review":
        from review.engine.review import run_review

        return run_review
    if name == "EngineConfig":
        from review.engine.config import EngineConfig

        return EngineConfig
    if name in ("ReviewResult", "Finding", "RULESET"):
        from review.engine import findings

        return getattr(findings, name)
    raise AttributeError(name)
