"""LIVE_RUN_HOST_MAP reaches loopback: allowed with DEBUG (and in tests), an error at start-up otherwise."""

from django.conf import settings
from django.core.checks import Error, register

from runs.egress.host_map import parse_host_map


def running_tests() -> bool:
    # Set by portal/test_settings.py only (pytest-django turns DEBUG off during tests).
    return bool(getattr(settings, "LIVE_RUN_HOST_MAP_IN_TESTS", False))


def host_map_allowed() -> bool:
    return bool(settings.DEBUG) or running_tests()


@register()
def host_map_only_in_debug(app_configs=None, **kwargs):
    text = getattr(settings, "LIVE_RUN_HOST_MAP", "")
    if not text:
        return []
    if not host_map_allowed():
        return [Error("LIVE_RUN_HOST_MAP is set with DEBUG=false: live runs would reach loopback test servers.",
                      hint="Unset LIVE_RUN_HOST_MAP in production.", id="runs.E001")]
    try:
        parse_host_map(text)
    except ValueError as error:
        return [Error(str(error), id="runs.E002")]
    return []
