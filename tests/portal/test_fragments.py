"""portal.fragments: a part is rendered once, served until one of its scopes changes, and
every visitor gets their own CSRF token in it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from portal.fragments import cached_part, changed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]
TEMPLATE = "tests/fragment.html"  # tests/fixtures/templates, added by portal/test_settings.py


@pytest.fixture
def renders():
    """cached_part for one scope, counting how often its context is built."""
    calls = []

    def _render(text="hello", *, scopes=("thing:1",), key=(), request=None):
        calls.append(text)
        return cached_part(request or RequestFactory().get("/"), TEMPLATE, scopes=scopes, key=key,
                           context=lambda: {"text": text})

    _render.calls = calls
    return _render


def test_it_renders_once_while_nothing_changes():
    counted = []
    request = RequestFactory().get("/")

    def context():
        counted.append(1)
        return {"text": "hello"}

    first = cached_part(request, TEMPLATE, scopes=["thing:1"], key=(), context=context)
    again = cached_part(request, TEMPLATE, scopes=["thing:1"], key=(), context=context)
    assert "hello" in first and "hello" in again
    assert len(counted) == 1


def test_a_change_of_its_scope_renders_it_again(renders):
    assert "old" in renders("old")
    assert "old" in renders("new")  # nothing changed: still the stored part
    changed("thing:1")
    assert "new" in renders("new")


def test_a_change_of_another_scope_does_not(renders):
    renders("old")
    changed("thing:2")
    assert "old" in renders("new")


def test_each_key_is_its_own_part(renders):
    assert "page one" in renders("page one", key=("1",))
    assert "page two" in renders("page two", key=("2",))
    assert "page one" in renders("again", key=("1",))


def test_a_part_with_several_scopes_moves_with_any_of_them(renders):
    renders("old", scopes=("a:1", "b:1"))
    changed("b:1")
    assert "new" in renders("new", scopes=("a:1", "b:1"))


def test_a_lost_generation_is_a_new_one(renders):
    renders("old")
    cache.clear()  # Redis restarted, the key evicted
    assert "new" in renders("new")


def test_a_render_between_the_change_and_its_commit_is_not_kept(renders, django_capture_on_commit_callbacks):
    # Another request may render from the data before the commit, after the first bump:
    # the bump after the commit must throw that part away.
    renders("before")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        changed("thing:1")
    assert "old data" in renders("old data")  # rendered in the window, from uncommitted-away data
    for callback in callbacks:
        callback()  # the commit
    assert "committed" in renders("committed")


def test_every_visitor_gets_their_own_csrf_token():
    factory = RequestFactory()
    first, second = factory.get("/"), factory.get("/")
    html_first = cached_part(first, TEMPLATE, scopes=["form:1"], key=(), context=lambda: {"text": "x"})
    html_second = cached_part(second, TEMPLATE, scopes=["form:1"], key=(), context=lambda: {"text": "x"})
    token_first, token_second = first.META["CSRF_COOKIE"], second.META["CSRF_COOKIE"]
    assert token_first != token_second
    assert html_first.count('name="csrfmiddlewaretoken"') == html_second.count('name="csrfmiddlewaretoken"') == 1
    from django.middleware.csrf import _unmask_cipher_token

    def token_in(html):
        return html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    assert _unmask_cipher_token(token_in(html_first)) == token_first
    assert _unmask_cipher_token(token_in(html_second)) == token_second


def test_text_from_content_never_receives_the_token():
    # The token goes where the part's own {% csrf_token %} stood, by position recorded at
    # render time: content that copies a hidden input (any value) is shown as written.
    from django.middleware.csrf import _unmask_cipher_token

    text = '<input type="hidden" name="csrfmiddlewaretoken" value="abc123">'
    request = RequestFactory().get("/")
    for _ in range(2):  # rendered, then served from the cache
        html = cached_part(request, TEMPLATE, scopes=["text:1"], key=(), context=lambda: {"text": text})
        assert 'value=&quot;abc123&quot;' in html
        tokens = [t for t in html.split('value="')[1:] if t.split('"')[0] != "abc123"]
        assert len(tokens) == 1
        assert _unmask_cipher_token(tokens[0].split('"')[0]) == request.META["CSRF_COOKIE"]


ROOT = Path(__file__).resolve().parents[2]


def test_the_default_cache_is_shared_between_processes(tmp_path):
    # `make run` starts the web server and the review worker as two processes: the worker's
    # changes must reach the web's cached parts, which a per-process memory cache cannot.
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", CACHE_DIR=str(tmp_path), DEBUG="true")
    script = "import django; django.setup(); from django.core.cache import cache; {}"
    write = subprocess.run([sys.executable, "-c", script.format("cache.set('shared', 'yes', 60)")],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert write.returncode == 0, write.stderr
    read = subprocess.run([sys.executable, "-c", script.format("print(cache.get('shared'))")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert read.stdout.strip() == "yes", read.stderr


def test_with_cached_parts_off_every_call_renders(settings, renders):
    settings.CACHED_PAGE_PARTS = False
    assert "old" in renders("old")
    assert "new" in renders("new")


class _Down:
    """A cache whose server does not answer."""

    def __getattr__(self, name):
        def refuse(*args, **kwargs):
            raise ConnectionError("the cache does not answer")

        return refuse


def test_without_a_cache_parts_are_rendered_and_writes_go_on(monkeypatch, renders, caplog):
    import portal.fragments

    monkeypatch.setattr(portal.fragments, "cache", _Down())
    assert "first" in renders("first")
    assert "second" in renders("second")  # nothing kept, nothing stale
    changed("thing:1")  # a save must not fail because the cache is away
    assert "did not answer" in caplog.text and "Could not move the generations of thing:1" in caplog.text


def test_pages_and_sign_in_work_while_the_cache_is_down(monkeypatch, client, alice):
    import portal.fragments
    from connectors import services

    client.force_login(alice)
    monkeypatch.setattr(portal.fragments, "cache", _Down())
    services.connector_create(company=alice.memberships.get().company, user=alice, name="Made without a cache")
    page = client.get("/develop/")
    assert page.status_code == 200 and "Made without a cache" in page.content.decode()


def test_a_new_database_does_not_read_the_old_ones_parts(renders):
    # A deleted db.sqlite3 migrated again (or a bench's throw-away database) starts its
    # primary keys at 1 again: the cache it shares must not answer for its rows.
    from datetime import timedelta

    from django.db.migrations.recorder import MigrationRecorder

    from portal.fragments import key_prefix

    assert "old database" in renders("old database")
    first = MigrationRecorder.Migration.objects.order_by("pk").first()
    first.applied += timedelta(days=1)  # what a new database's first migration looks like
    first.save()
    key_prefix.cache_clear()
    try:
        assert "new database" in renders("new database")
    finally:
        key_prefix.cache_clear()
        first.applied -= timedelta(days=1)
        first.save()
        key_prefix()
