"""django-q2 entry points of live runs: take ids, call one service."""

from runs import services


def perform_live_run(run_id: int) -> int:
    return services.live_run_perform(run_id=run_id).pk


def purge_live_run_csvs() -> int:
    return services.live_run_csvs_purge()
