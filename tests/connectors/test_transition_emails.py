"""A step that emails carries its subject and templates in its table entry
(connectors/transitions.py), so a step without them fails here, not as a KeyError or
TemplateDoesNotExist in the worker that is retried and then given up."""

import pytest
from django.template.loader import get_template

from connectors.transitions import REMINDERS, STEPS, Email, _step

EMAILS = {f"step {name}": s.email for name, s in STEPS.items() if s.email} | {
    f"reminder {name}": email for name, email in REMINDERS.items()
}


def test_the_steps_that_email_are_the_ones_people_are_told_about():
    assert {name for name, s in STEPS.items() if s.email} >= {
        "submit", "fail_checks", "checks_passed", "request_changes", "approve", "withdraw", "self_publish", "expire",
    }
    assert STEPS["start_review"].email is None


@pytest.mark.parametrize("where", sorted(EMAILS))
def test_every_email_has_a_subject_that_formats(where):
    email = EMAILS[where]
    subject = email.subject_for(name="Sales CRM", number=3, days=1)
    assert subject.strip() and "Sales CRM" in subject and "3" in subject, where


@pytest.mark.parametrize("where", sorted(EMAILS))
def test_every_email_has_its_text_and_html_templates(where):
    email = EMAILS[where]
    assert [get_template(path).template.name for path in email.templates] == [
        f"emails/{email.template}.txt", f"emails/{email.template}.html"
    ]


@pytest.mark.parametrize("template,subject", [("", "{name} v{number} was approved"), ("approved", " "),
                                              ("approved", "{name} v{number}: {unknown}")])
def test_an_email_without_a_template_or_subject_is_refused_where_it_is_written(template, subject):
    with pytest.raises(ValueError):
        _step("Approved", Email(template, subject))


def test_the_reminders_subject_counts_days():
    email = REMINDERS["beta_expiring"]
    assert email.subject_for(name="X", number=1, days=1).endswith("1 day")
    assert email.subject_for(name="X", number=1, days=3).endswith("3 days")
