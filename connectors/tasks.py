"""django-q2 entry points of the developer pages: take ids, call one function."""

from __future__ import annotations

from connectors.conversion import connector_as_bundle
from connectors.models import Connector


def check_draft(connector_id: int) -> dict:
    """Check now: the automated checks on the connector's saved draft, without submitting.

    Runs in a qcluster worker because the engine runs the scripts in sandbox
    subprocesses and can take seconds; the web process only polls for the result.
    Returns the result as bundle-format.md's JSON (picklable, template-friendly).
    """
    from review.engine import EngineConfig, run_review

    connector = Connector.objects.get(pk=connector_id)
    return run_review(connector_as_bundle(connector), EngineConfig.from_settings()).to_dict()
