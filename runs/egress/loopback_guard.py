"""A process-wide guard: any TCP connect to an address outside loopback fails before it is made.

Installed for the whole test run (tests/conftest.py) and, when LIVE_RUN_LOOPBACK_ONLY is
set, in the sandbox worker that performs live requests: on these machines traffic to
any non-loopback address is flagged, even one the policy would refuse.
"""

from __future__ import annotations

import ipaddress
import socket

_original = {}


class NonLoopbackConnect(AssertionError):
    pass


def _check(sock, address):
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            allowed = ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
        except ValueError:
            allowed = False  # a name: connect() would resolve it itself, which is refused too
        if not allowed:
            raise NonLoopbackConnect(f"connection to {host!r} refused: only loopback is reachable here")


def install() -> None:
    if _original:
        return
    _original["connect"] = socket.socket.connect
    _original["connect_ex"] = socket.socket.connect_ex

    def connect(self, address):
        _check(self, address)
        return _original["connect"](self, address)

    def connect_ex(self, address):
        _check(self, address)
        return _original["connect_ex"](self, address)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex


def installed() -> bool:
    return bool(_original)
