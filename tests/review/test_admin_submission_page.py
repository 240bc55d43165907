"""The submission page: connector details, phases with findings, code at its lines, requests, history."""

import re

from tests.review.admin_support import PROCESS_FINDING, change_url, reviewing  # noqa: F401


def _page(client, erin, submission):
    client.force_login(erin)
    response = client.get(change_url(submission))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_connector_as_submitted(client, erin, reviewing):
    html = _page(client, erin, reviewing)
    assert reviewing.manifest["name"] in html
    for host in reviewing.manifest["hosts"]:
        assert host in html


def test_it_shows_each_script_with_line_numbers_and_anchors(client, erin, reviewing):
    html = _page(client, erin, reviewing)
    for path, source in reviewing.scripts.items():
        assert f">{path}</h3>" in html
        anchor = "code-" + re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")
        assert f'id="{anchor}-L{len(source.splitlines())}"' in html
        assert f'id="{anchor}-L{len(source.splitlines()) + 1}"' not in html


def test_it_shows_a_finding_under_its_line(client, erin, reviewing):
    html = _page(client, erin, reviewing)
    line = html.index('id="code-processdata-js-L3"')
    finding = html.index(PROCESS_FINDING["message"], line)
    assert finding < html.index('id="code-processdata-js-L4"')
    # The phase's list links to that line.
    assert 'href="#code-processdata-js-L3">processdata.js:3:11</a>' in html


def test_it_shows_the_observed_requests_against_the_declared_hosts(client, erin, reviewing):
    html = _page(client, erin, reviewing)
    assert "https://collector.evil.example/x" in html
    assert "1 request to undeclared hosts" in html
    assert '<tr class="undeclared">' in html


def test_it_shows_the_history(client, erin, reviewing):
    html = _page(client, erin, reviewing)
    history = html[html.index('id="history"'):]
    # People's words, as in the developer's status window; never the method or state names.
    assert "Submitted for review" in history and "Review started" in history and "alice" in history
    assert "start_review" not in history and "in_review" not in history


def test_it_shows_every_phase_with_its_status(client, erin, reviewing):
    html = _page(client, erin, reviewing)
    for label in ("Automated tests: Passed", "Security test: Waiting for an engineer", "Performance test: Passed", "Code review: Waiting for an engineer"):
        assert label in html


def test_it_shows_the_performance_table(client, erin, reviewing):
    from review.models import Phase

    rows = [
        {"report": "Opportunities", "records": 1237, "requests": 3, "cpu_seconds": 0.01,
         "modeled_seconds": 1.51, "records_per_5_min": 245762, "passed": True},
        {"report": "Empty", "records": 0, "requests": 1, "cpu_seconds": 0.0,
         "modeled_seconds": 0.5, "records_per_5_min": None, "passed": None},
    ]
    reviewing.phases.filter(phase=Phase.PERFORMANCE).update(details={"performance": rows})
    html = _page(client, erin, reviewing)
    table = html[html.index('id="performance"'):html.index('id="performance"') + 3000]
    assert "<td>Opportunities</td><td>1237</td>" in table and "245762" in table
    assert "not measured" in table
