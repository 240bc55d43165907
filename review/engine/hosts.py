"""The manifest's `hosts` rule, for the static checks: see review/engine/urls.py."""

from review.engine.urls import authority_is_complete, host_is_declared, url_host  # noqa: F401
