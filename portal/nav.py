"""What the apps above portal add to the navbar (the live runs' "Runs").

base.html belongs to portal, which imports no app above it and names none of their URLs
(docs/design.md, "Layers"): an app registers its entry when it starts, as runs.apps does,
and the context processor below hands the entries to every page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    section: str  # the URL namespace whose pages are "in" this entry (marked active)


_entries: list[NavEntry] = []


def register_nav(label: str, url_name: str, section: str) -> None:
    if all(entry.url_name != url_name for entry in _entries):  # ready() may run twice in tests
        _entries.append(NavEntry(label, url_name, section))


def nav_entries(request) -> dict:
    """Each entry's URL and whether the page shown is it ("page") or one of its section's ("section")."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_entries": []}
    match = getattr(request, "resolver_match", None)
    shown = []
    for entry in _entries:
        url = reverse(entry.url_name)
        current = "page" if request.path == url else "section" if match and match.namespace == entry.section else ""
        shown.append({"label": entry.label, "url": url, "current": current})
    return {"nav_entries": shown}
