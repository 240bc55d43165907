"""View Code: highlighted, read-only, an anchor per line, findings at their lines, cached."""

import pytest
from django.urls import reverse

from connectors import services
from connectors.models import Submission
from review.models import Finding, Phase, ReviewPhase
from review.pages import code_viewer

pytestmark = pytest.mark.usefixtures("empty_cache")


@pytest.fixture
def submission(import_connector, alice):
    return services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")


def _url(submission, **query):
    url = reverse("review:code", args=[submission.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_it_shows_a_tab_per_script_and_opens_processdata(client, alice, submission):
    client.force_login(alice)
    body = client.get(_url(submission)).content.decode()
    paths = sorted(submission.scripts)
    assert len(paths) >= 2
    for path in paths:
        assert f'href="?file={path}"' in body
    # Domo's View Code shows the processdata script; it is also the first tab.
    assert 'class="nav-link active" aria-current="page" href="?file=processdata.js' in body
    assert body.index('href="?file=processdata.js') < body.index('href="?file=authentication.js')


def test_it_opens_the_first_script_with_findings(client, alice, submission):
    review_phase = ReviewPhase.objects.get_or_create(submission=submission, phase=Phase.SECURITY)[0]
    Finding.objects.create(submission=submission, review_phase=review_phase, rule="x", severity="error",
                           phase=Phase.SECURITY, file="authentication.js", line=2, message="Here.")
    client.force_login(alice)
    body = client.get(_url(submission)).content.decode()
    assert 'class="nav-link active" aria-current="page" href="?file=authentication.js' in body


def test_it_links_a_findings_line_to_the_editor_only_once_editable(client, alice, submission):
    review_phase = ReviewPhase.objects.get_or_create(submission=submission, phase=Phase.SECURITY)[0]
    Finding.objects.create(submission=submission, review_phase=review_phase, rule="x", severity="error",
                           phase=Phase.SECURITY, file="processdata.js", line=3, message="Here.")
    client.force_login(alice)
    edit = reverse("connectors:edit", args=[submission.connector_id]) + "?goto=processdata.js:3"
    assert edit not in client.get(_url(submission)).content.decode()  # still in review: read-only
    services.submission_withdraw(submission=Submission.objects.get(pk=submission.pk), user=alice)
    assert edit in client.get(_url(submission)).content.decode()


def test_it_highlights_with_an_anchor_per_line(client, alice, submission):
    client.force_login(alice)
    body = client.get(_url(submission, file="processdata.js")).content.decode()
    lines = submission.scripts["processdata.js"].splitlines()
    assert 'id="code-processdata-js-L1"' in body and f'id="code-processdata-js-L{len(lines)}"' in body and f'id="code-processdata-js-L{len(lines) + 1}"' not in body
    assert 'href="#code-processdata-js-L1"' in body
    assert '<span class="kd">' in body or '<span class="k">' in body  # Pygments token classes
    assert "css/code.css" in body
    assert "<textarea" not in body and "<form" not in body.split("<main", 1)[1].split("</main>")[0]


def test_it_shows_each_finding_at_its_line(client, alice, submission):
    phase, _ = ReviewPhase.objects.get_or_create(submission=submission, phase=Phase.AUTOMATED)
    Finding.objects.create(
        submission=submission, review_phase=phase, phase=Phase.AUTOMATED, rule="es5-syntax", severity="warning",
        file="processdata.js", line=3, message="Arrow functions are ES2015.", hint="Fine in practice.",
    )
    client.force_login(alice)
    body = client.get(_url(submission, file="processdata.js")).content.decode()
    line3 = body.index('id="code-processdata-js-L3"')
    assert body.index("Arrow functions are ES2015.") > line3
    assert body.index("Arrow functions are ES2015.") < body.index('id="code-processdata-js-L4"')
    assert "code-line-flagged" in body and "Fine in practice." in body


def test_it_keeps_line_numbers_right_after_leading_blank_lines():
    lines = code_viewer.highlight_lines("\n\nvar a = 1;\n/* two\nlines */\n")
    assert len(lines) == 5
    assert "var" in lines[2] and "lines" in lines[4]
    # Every line closes what it opens, so lines can be wrapped one by one.
    assert all(line.count("<span") == line.count("</span>") for line in lines)


def test_it_escapes_the_source(client, alice, submission):
    Submission.objects.filter(pk=submission.pk).update(
        scripts={"processdata.js": "var x = '<script>alert(1)</script>';\n"}, content_hash="other-hash"
    )
    client.force_login(alice)
    body = client.get(_url(submission)).content.decode()
    assert "<script>alert(1)" not in body and "&lt;script&gt;" in body


def test_it_renders_each_script_version_once(client, alice, submission, monkeypatch):
    calls = []
    real = code_viewer.highlight_lines
    monkeypatch.setattr(code_viewer, "highlight_lines", lambda source: calls.append(1) or real(source))
    client.force_login(alice)
    client.get(_url(submission, file="processdata.js"))
    client.get(_url(submission, file="processdata.js"))
    assert len(calls) == 1
    client.get(_url(submission, file="authentication.js"))
    assert len(calls) == 2


def test_it_keys_the_cache_by_content_hash():
    assert code_viewer.cache_key("a" * 64, "processdata.js") != code_viewer.cache_key("b" * 64, "processdata.js")
    assert code_viewer.cache_key("a" * 64, "processdata.js") != code_viewer.cache_key("a" * 64, "authentication.js")


def test_it_stays_fast_on_a_large_script(client, alice, submission, django_assert_max_num_queries):
    big = "".join(f"var v{i} = httprequest.get('https://crm.example-sales.com/' + {i});\n" for i in range(5000))
    Submission.objects.filter(pk=submission.pk).update(scripts={"processdata.js": big}, content_hash="big")
    client.force_login(alice)
    assert 'id="code-processdata-js-L5000"' in client.get(_url(submission)).content.decode()
    # session, user, submission, its submitter, findings
    with django_assert_max_num_queries(5):
        client.get(_url(submission))


def test_it_answers_404_for_an_unknown_script(client, alice, submission):
    client.force_login(alice)
    assert client.get(_url(submission, file="nope.js")).status_code == 404


def test_it_hides_another_companys_code(client, bob, submission):
    client.force_login(bob)
    assert client.get(_url(submission)).status_code == 404
