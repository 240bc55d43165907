"""The engineers' console (issue 12, item 9): actions at hand, destructive ones marked,
the queue one click away, the evidence beside the security sign-off."""

from django.urls import reverse

from tests.review.admin_support import change_url, reviewing  # noqa: F401


def test_it_marks_fail_and_request_changes_as_destructive(client, erin, reviewing):
    client.force_login(erin)
    html = client.get(change_url(reviewing)).content.decode()
    actions = html[html.index('id="actions"'):html.index('id="instructions"')]
    assert 'value="fail" class="button button-danger">Fail security test' in actions
    assert 'class="button button-danger">Request changes' in actions
    assert 'value="pass" class="button default">Sign off security test' in actions


def test_it_puts_where_the_data_goes_beside_the_security_sign_off(client, erin, reviewing):
    client.force_login(erin)
    html = client.get(change_url(reviewing)).content.decode()
    assert "1 to undeclared hosts" in html[html.index('class="help security-evidence"'):][:400]
    assert (html.index('id="actions"') < html.index('id="data-flow"') < html.index('id="requests"')
            < html.index('id="phases"') < html.index('id="code"'))
    assert 'href="#data-flow">Where the data goes</a>' in html


def test_it_links_the_review_queue_to_the_open_submissions(client, erin):
    client.force_login(erin)
    page = client.get(reverse("submissions:data_center")).content.decode()
    assert f'href="{reverse("admin:connectors_submission_changelist")}">Review queue' in page
