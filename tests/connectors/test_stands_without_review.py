"""connectors stands without review (docs/design.md, "Layers"): its Python and the
templates it renders name only URLs that connectors or portal register; the links to the
review's pages (the status window, Check now) come from the provider review registers
(connectors/review_links.py), and without one connectors' pages simply leave them out."""

import re
from pathlib import Path

import pytest
from django.urls import URLResolver, get_resolver, reverse

from connectors import review_links, services

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
OWNERS_CONNECTORS_MAY_NAME = ("connectors", "portal")

NAMED_URL = re.compile(r"""["']([a-z_]+):([a-z_]+)["']""")
URL_TAG = re.compile(r"""\{%\s*url\s+["']([^"']+)["']""")
TEMPLATE_NAME = re.compile(r"""["']([\w/.-]+\.(?:html|txt))["']""")
TEMPLATE_TAG = re.compile(r"""\{%\s*(?:include|extends)\s+["']([^"']+)["']""")


def namespace_owners() -> dict[str, str]:
    """namespace -> the top package of the URLconf that registers it (portal for admin/auth)."""
    owners = {}
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace:
            module = getattr(entry.urlconf_module, "__name__", "portal.urls")
            owners[entry.namespace] = module.split(".")[0]
    return owners


def connectors_python() -> list[Path]:
    return [p for p in (ROOT / "connectors").rglob("*.py") if "migrations" not in p.parts]


def connectors_templates() -> set[Path]:
    """templates/connectors/ and every template connectors' Python names, with what they include or extend."""
    names = {f"connectors/{p.relative_to(TEMPLATES / 'connectors')}" for p in (TEMPLATES / "connectors").rglob("*.html")}
    for path in connectors_python():
        names |= {n for n in TEMPLATE_NAME.findall(path.read_text()) if (TEMPLATES / n).exists()}
    seen: set[str] = set()
    while names:
        name = names.pop()
        if name in seen or not (TEMPLATES / name).exists():
            continue
        seen.add(name)
        names |= set(TEMPLATE_TAG.findall((TEMPLATES / name).read_text()))
    return {TEMPLATES / n for n in seen}


def named_urls() -> list[tuple[str, str]]:
    """(where, "namespace:name") for every URL name connectors' code and templates write."""
    found = []
    for path in connectors_python():
        found += [(str(path.relative_to(ROOT)), f"{ns}:{name}") for ns, name in NAMED_URL.findall(path.read_text())]
    for path in connectors_templates():
        found += [(str(path.relative_to(ROOT)), name) for name in URL_TAG.findall(path.read_text()) if ":" in name]
    return found


def test_the_walk_finds_the_templates_connectors_renders_and_their_urls():
    walked = {str(p.relative_to(TEMPLATES)) for p in connectors_templates()}
    assert {"connectors/editor.html", "submissions/list.html", "submissions/_connector_card.html", "base.html"} <= walked
    assert ("connectors/views/develop.py", "connectors:develop") in named_urls()


def test_connectors_names_only_urls_that_connectors_or_portal_register():
    owners = namespace_owners()
    assert owners["connectors"] == "connectors" and owners["review"] == "review"
    foreign = [
        (where, name) for where, name in named_urls()
        if name.split(":")[0] in owners and owners[name.split(":")[0]] not in OWNERS_CONNECTORS_MAY_NAME
    ]
    assert foreign == []


@pytest.fixture
def without_review_links(monkeypatch):
    monkeypatch.setattr(review_links, "_providers", {})


def test_review_registers_the_links_connectors_shows(import_connector, alice):
    submission = services.connector_submit(connector=import_connector("sales-crm"), user=alice, visibility="company")
    assert review_links.link("status", submission.pk) == f"/submissions/{submission.pk}/"
    assert review_links.link("check_now", submission.connector_id) == f"/develop/{submission.connector_id}/check/"


def test_the_editor_leaves_the_reviews_links_out_without_review(client, alice, import_connector, without_review_links):
    connector = import_connector("sales-crm")
    services.connector_submit(connector=connector, user=alice, visibility="company")
    client.force_login(alice)
    page = client.get(reverse("connectors:edit", args=[connector.pk])).content.decode()
    assert "View Status" not in page and "/check/" not in page
    assert review_links.link("status", 1) is None


def test_a_withdrawal_goes_back_to_the_editor_without_review(client, alice, import_connector, without_review_links):
    connector = import_connector("sales-crm")
    submission = services.connector_submit(connector=connector, user=alice, visibility="company")
    client.force_login(alice)
    response = client.post(reverse("submissions:withdraw", args=[submission.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("connectors:edit", args=[connector.pk])
