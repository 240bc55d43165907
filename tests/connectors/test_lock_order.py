"""One lock order for a connector's rows: the connector first, then its versions.

A write that locked a version and then reached for its connector (or a sibling version)
deadlocked on PostgreSQL against a take-down of the whole connector, which locks the
connector and then every version (an approval racing a take-down failed 1 run in 3).
connectors.services.lock_version takes the connector first; a version is locked anywhere
else only where the connector's row is already held, named here with where it is taken.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("api", "connectors", "portal", "review", "runs")
LOCKS_A_VERSION = re.compile(r"Submission\.objects\.select_for_update\(")
AFTER_THE_CONNECTOR = {
    "connectors/services/history.py": "lock_version itself",
    "connectors/services/listing.py": "locked_versions: the connector's row, then every version",
    "connectors/services/submissions.py": "connector_submit: the connector's row, then the older versions",
    "review/carry_over.py": "the approved sibling, under review.services._store's lock_version",
}


def _version_locks():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if LOCKS_A_VERSION.search(line):
                    yield relative, number


def test_a_version_is_locked_through_lock_version_or_after_its_connector():
    elsewhere = [f"{path}:{number}" for path, number in _version_locks() if path not in AFTER_THE_CONNECTOR]
    assert not elsewhere, f"lock a version with connectors.services.lock_version: {elsewhere}"


def test_the_named_places_still_lock_a_version():
    # A place that no longer locks one leaves the list, so the list cannot hide a new one.
    assert {path for path, _ in _version_locks()} >= set(AFTER_THE_CONNECTOR)
