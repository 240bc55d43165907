"""Links from connectors' pages to the pages of the apps above it: the review's status
window and Check now, and the live runs' "Run it".

Those pages belong to apps which connectors never imports (docs/design.md, "Layers"), so
connectors never names their URLs either: each app registers a provider per link when it
starts (review.apps, runs.apps), as review registers the editor's findings reader, and
connectors' pages ask here. Without that app installed they get None and leave the link out.
"""

from __future__ import annotations

from typing import Callable

# name -> what it takes: "status", "code" a submission's pk; "check_now", "check_result" a connector's;
# "run_beta" a beta's token, "run_private" a private URL's token, "run_public" a listed submission's pk.
LINKS = ("status", "code", "check_now", "check_result", "run_beta", "run_private", "run_public")

_providers: dict[str, Callable[[int], str]] = {}


def register_links(**providers: Callable[[int], str]) -> None:
    unknown = set(providers) - set(LINKS)
    if unknown:
        raise ValueError(f"unknown links: {', '.join(sorted(unknown))}")
    _providers.update(providers)


def link(name: str, pk) -> str | None:
    """The URL of the page `name` for `pk`, or None when no app provides it."""
    provider = _providers.get(name)
    # A template asking for a submission that is not there passes "" (Django's missing value).
    return provider(pk) if provider is not None and pk not in (None, "") else None
