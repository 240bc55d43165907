"""Every write to connectors and submissions, by what it changes.

- authoring: the connector as its developers edit it (create, edit, icons, bundles, delete);
- submissions: the review's state machine (submit, start, approve or auto-approve, request changes, withdraw);
- listing: after approval (take down, unpublish, re-list);
- rollback: an earlier approved version in use again;
- betas: the beta's state machine (self-publish, expire one or all due, close);
- history: the mechanics they share (lock, transition, history row, announce).

Callers use the names below; the modules are how the package is kept small.
"""

from connectors.services.authoring import (
    CONNECTOR_FIELDS,
    EXPORT_FORMATS,
    connector_create,
    connector_delete,
    connector_export_bundle,
    connector_import_bundle,
    connector_locked_message,
    connector_missing_parts,
    connector_replace_bundle,
    connector_set_icon,
    connector_update,
)
from connectors.services.betas import (
    EXPIRE_REASON,
    betas_expire_due,
    submission_close_beta,
    submission_expire_beta,
    submission_self_publish,
)
from connectors.services.history import lock_version, submission_record_milestone
from connectors.services.listing import (
    connector_relist,
    connector_take_down,
    connector_unpublish,
    submission_relist,
    submission_take_down,
)
from connectors.services.rollback import submission_roll_back_to
from connectors.services.submissions import (
    connector_submit,
    submission_approve,
    submission_auto_approve,
    submission_fail_checks,
    submission_reopen,
    submission_request_changes,
    submission_start_review,
    submission_withdraw,
)

__all__ = [
    "CONNECTOR_FIELDS",
    "EXPIRE_REASON",
    "EXPORT_FORMATS",
    "betas_expire_due",
    "connector_create",
    "connector_delete",
    "connector_export_bundle",
    "connector_import_bundle",
    "connector_relist",
    "connector_take_down",
    "connector_unpublish",
    "connector_locked_message",
    "lock_version",
    "connector_missing_parts",
    "connector_replace_bundle",
    "connector_set_icon",
    "connector_submit",
    "connector_update",
    "submission_approve",
    "submission_auto_approve",
    "submission_close_beta",
    "submission_expire_beta",
    "submission_fail_checks",
    "submission_record_milestone",
    "submission_relist",
    "submission_reopen",
    "submission_request_changes",
    "submission_roll_back_to",
    "submission_self_publish",
    "submission_start_review",
    "submission_take_down",
    "submission_withdraw",
]
