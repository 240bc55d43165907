"""LIVE_RUN_HOST_MAP: `host=127.0.0.1:port` pairs sending a declared host to a local test server.

The only way a live run ever reaches a loopback address. Honoured when DEBUG or in tests;
a production start-up with it set fails the system check runs.checks.host_map_only_in_debug.
"""

from __future__ import annotations

import ipaddress


def parse_host_map(text: str) -> dict[str, str]:
    """{"api.example.com": "127.0.0.1:8123"}; ValueError for a pair that is not host=loopback:port."""
    mapping = {}
    for pair in (p.strip() for p in (text or "").split(",")):
        if not pair:
            continue
        host, equals, target = pair.partition("=")
        address, colon, port = target.strip().rpartition(":")
        if not equals or not colon or not host.strip() or not port.isdigit():
            raise ValueError(f"LIVE_RUN_HOST_MAP: {pair!r} is not host=127.0.0.1:port")
        if not ipaddress.ip_address(address.strip("[]")).is_loopback:
            raise ValueError(f"LIVE_RUN_HOST_MAP: {pair!r} maps to {address}, which is not a loopback address")
        mapping[host.strip().lower()] = f"{address.strip('[]')}:{int(port)}"
    return mapping
