"""The Develop page's table rows, rendered in Python.

Each row went through an `{% include %}` of the state badge, a dozen variable lookups and
`naturaltime`: at 25 rows, about half the page's time. The HTML is what
`connectors/_state_badge.html` and the row markup in `develop.html` rendered
(tests/connectors/test_develop_rows.py holds the two side by side).
"""

from __future__ import annotations

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from connectors.editor_findings import ASKED
from connectors.models import OPEN_STATES, ReviewState
from connectors.templatetags.connector_tags import beta_badge_class, beta_label, state_badge_class, state_label


def state_badge(state: str, beta_state: str = "") -> str:
    """`connectors/_state_badge.html` with `state` and `beta_state` strings."""
    html = (f'<span class="badge {escape(state_badge_class(state))}" data-state="{escape(state or "draft")}">'
            f"{escape(state_label(state))}</span>")
    if beta_state and beta_state != "none":
        html += (f' <span class="badge {escape(beta_badge_class(beta_state))}" data-beta-state="{escape(beta_state)}">'
                 f"{escape(beta_label(beta_state))}</span>")
    return html


def _asks_badges(row: dict) -> str:
    """What the engineers wait for on the newest version: its "Request changes" note to
    read (while the version stands changed-requested) and a question to answer."""
    badges = ""
    if row.get("latest_has_note") and row["latest_state"] == ReviewState.CHANGES_REQUESTED:
        badges += ' <span class="badge text-bg-warning" data-badge="request-note">Note from the engineer</span>'
    if row.get("latest_talk") == ASKED:
        badges += ' <span class="badge text-bg-info" data-badge="question">Question to answer</span>'
    return badges


def row_html(row: dict) -> SafeString:
    """One connector's <tr>, from a connector_rows_for_user row with the view's URLs and times added."""
    edit_url = escape(row["edit_url"])
    export_url = escape(row["export_url"])
    number = row["latest_number"]
    version = f'<span class="text-body-secondary small">v{escape(number)}</span>' if number else ""
    status = (f'<a class="btn btn-sm btn-outline-secondary" href="{escape(row["status_url"])}">View Status</a>'
              if row.get("status_url") else "")
    return mark_safe(
        f'    <tr data-connector="{escape(row["pk"])}">\n'
        f'      <td><a href="{edit_url}" class="fw-semibold">{escape(row["name"])}</a>\n'
        f"        {version}{_asks_badges(row)}</td>\n"
        f'      <td>{state_badge(row["latest_state"], row["latest_beta_state"])}</td>\n'
        f'      <td class="d-none d-md-table-cell"><time datetime="{escape(row["updated_iso"])}" '
        f'title="{escape(row["updated_title"])}">{escape(naturaltime(row["updated_at"]))}</time></td>\n'
        f'      <td class="text-end"><div class="d-flex flex-wrap justify-content-end gap-1 connector-actions">\n'
        f'        <a class="btn btn-sm btn-outline-secondary" href="{edit_url}">'
        f'{"Open" if row["latest_state"] in OPEN_STATES else "Edit"}</a>\n'
        f"        {status}\n"
        f'        <a class="btn btn-sm btn-outline-secondary" href="{export_url}" download>Export</a>\n'
        f'        <a class="btn btn-sm btn-outline-secondary" href="{export_url}?format=devstudio" download '
        f"title=\"Export in Domo Connector Dev Studio's layout (without hosts and samples)\">Export for Dev Studio</a>\n"
        f"      </div></td>\n"
        f"    </tr>\n"
    )
