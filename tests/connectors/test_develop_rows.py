"""The Develop page's rows (connectors.develop_rows) say what the templates said."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from connectors.develop_rows import row_html, state_badge
from connectors.models import BetaState, ReviewState

STATES = ["", *ReviewState.values]
BETAS = ["", *BetaState.values]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("beta_state", BETAS)
def test_it_badges_states_as_the_partial_does(state, beta_state):
    partial = render_to_string("connectors/_state_badge.html", {"state": state, "beta_state": beta_state})
    assert state_badge(state, beta_state) == partial.strip()


def _row(**changes):
    updated = timezone.now() - timedelta(hours=3)
    row = {"pk": 7, "name": 'CRM <b>"&', "latest_number": 2, "latest_state": "in_review", "latest_beta_state": "none",
           "edit_url": "/develop/7/", "export_url": "/develop/7/export/", "status_url": "/submissions/9/",
           "updated_at": updated, "updated_iso": updated.isoformat(), "updated_title": "then"}
    row.update(changes)
    return row


def test_it_escapes_the_name_and_links_the_status():
    html = row_html(_row())
    assert "CRM &lt;b&gt;&quot;&amp;" in html and "<b>" not in html
    assert 'href="/submissions/9/">View Status</a>' in html
    assert ">Open</a>" in html and "v2</span>" in html
    assert "3\xa0hours ago" in html


def test_it_offers_edit_and_no_status_for_a_draft():
    html = row_html(_row(latest_number=None, latest_state=None, latest_beta_state=None, status_url=None))
    assert ">Edit</a>" in html and "View Status" not in html and "small\">v" not in html
    assert 'data-state="draft"' in html
