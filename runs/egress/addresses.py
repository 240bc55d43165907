"""Which IP addresses a live run may connect to: public unicast only.

Every address is judged after it has been normalised by `ipaddress`, whatever text it
came from (a resolver's answer, or a literal in the URL in any of inet_aton's forms:
decimal `2130706433`, octal `0177.0.0.1`, hex `0x7f.1`, short `127.1`). An IPv6
address that embeds an IPv4 one (mapped, compatible, 6to4, Teredo, NAT64) is judged by
both, so `::ffff:169.254.169.254` is the metadata address it points at.
"""

from __future__ import annotations

import ipaddress
import socket

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata services, refused by name even where a class below would miss one.
METADATA = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean
    "169.254.170.2",  # AWS ECS task metadata
    "fd00:ec2::254",  # AWS over IPv6
    "100.100.100.200",  # Alibaba Cloud
    "192.0.0.192",  # Oracle Cloud
))
# Networks `is_global` lets through on some Python versions, refused outright.
EXTRA_REFUSED = tuple(ipaddress.ip_network(n) for n in (
    "100.64.0.0/10",  # carrier-grade NAT (shared address space)
    "64:ff9b:1::/48",  # local-use NAT64
))
NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries, if it is one of the embeddings."""
    if address.version != 6:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64 or (address in IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: Address) -> str | None:
    """Why a run may not connect to this address (a short class name), or None when it may."""
    if getattr(address, "scope_id", None):
        return "scoped address"
    if address in METADATA:
        return "cloud metadata address"
    inner = embedded_ipv4(address)
    if inner is not None:
        why = refusal(inner)
        if why:
            return f"{why} (embedded in IPv6)"
    for name in ("is_unspecified", "is_loopback", "is_link_local", "is_multicast", "is_private", "is_reserved"):
        if getattr(address, name):
            return name[3:].replace("_", "-") + " address"
    if any(address in network for network in EXTRA_REFUSED if network.version == address.version):
        return "private address"
    if address.version == 6 and address.is_site_local:
        return "site-local address"
    if not address.is_global:
        return "non-global address"
    return None


def literal_address(host: str) -> Address | None:
    """The address a URL's host names when it is an IP literal in any encoding, else None.

    The WHATWG parser already turns `0x7f.1` into `127.0.0.1`; this also reads what it
    leaves (a name the resolver would read as a number) so no form slips through.
    """
    text = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if text and all(c in "0123456789abcdefxABCDEFX." for c in text) and text[0].isdigit():
        try:
            return ipaddress.IPv4Address(socket.inet_aton(text))
        except OSError:
            return None
    return None


def normalise(answer: str) -> Address:
    """A resolver's answer as an address object (the only form ever judged or connected to)."""
    text = answer.split("%", 1)[0] if answer.count("%") == 1 and ":" in answer else answer
    try:
        address = ipaddress.ip_address(answer)
    except ValueError:
        address = literal_address(text)
        if address is None:
            raise
    return address
