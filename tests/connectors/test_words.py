"""Issue 20, item 12: sentences that read as sentences."""

from django.template.loader import render_to_string

from connectors.bundle.completeness import MissingPart
from connectors.models import ReviewState, Submission, Visibility


def test_one_missing_part_is_this_part():
    one = render_to_string("connectors/_missing_parts.html", {"missing": [MissingPart("name", "Add a name.")],
                                                               "connector": {"name": "X", "pk": 1}})
    assert "Complete this part first:" in one and "these part " not in one
    two = render_to_string("connectors/_missing_parts.html", {
        "missing": [MissingPart("name", "Add a name."), MissingPart("hosts", "Add a host.")], "connector": {"name": "X", "pk": 1}})
    assert "Complete these 2 parts first:" in two


def test_a_state_reads_in_a_sentence():
    submission = Submission(visibility=Visibility.COMPANY, state=ReviewState.CHANGES_REQUESTED)
    [reason] = submission.self_publish_blockers()
    assert reason.endswith("this one is sent back with changes requested.")


def test_the_unsaved_dialog_has_its_verb_with_the_action():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    assert "<span data-unsaved-action>Check now and Submit use</span> the saved draft" in (
        root / "templates/connectors/editor.html").read_text()
    assert '"Check now uses" : "Submit uses"' in (root / "static/js/portal.js").read_text()
