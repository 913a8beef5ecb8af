"""Which push endpoints the server will POST to.

A subscription's endpoint is a URL a user hands us, and delivery POSTs to it from inside the
server's network: without a check, anyone who may subscribe gets blind requests into that
network (cloud metadata, admin ports), with an oracle in ``last_success_at``. So an endpoint
must be, at subscribe time **and** again before every send (DNS answers change)::

    https, port 443 (or none)            no http, no other port
    no user:password@                    credentials are never sent anywhere
    a plain host name                    no IP literals; no 2130706433, 0x7f.1, 127.1, trailing dot
    on the allow-list                    PUSH_ALLOWED_HOSTS: the push services, matched on dot
                                         boundaries (web.push.apple.com is under push.apple.com)
    every address it resolves to public  no loopback, private, link-local, multicast, reserved,
                                         unspecified, shared (100.64/10), nor an IPv6 form that
                                         embeds one (::ffff:10.0.0.1, 2002:7f00:1::, 64:ff9b::…)

``check_endpoint`` returns the addresses it checked; delivery connects to one of those, so a
name cannot resolve to a public address for the check and a private one for the connection.

``PUSH_ALLOW_LOOPBACK`` (tests only) lets an endpoint whose every address is loopback through,
over http and on any port: the tests' receiver. The default refuses it.

``resolve_addresses`` is the one place that asks DNS (tests replace it). Nothing here imports
Flask; messages never repeat the URL (callers may log them).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urlsplit

from server.i18n import N_

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# The default allow-list is PUSH_ALLOWED_HOSTS in server/config.py.
ANY_PUBLIC_HOST = "*"

# What RFC 3986 allows in a URL, as ASCII; anything else (spaces, backslashes, control
# characters, non-ASCII) is where URL parsers disagree, so it is refused before parsing.
_URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_DOTTED_QUAD = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class EndpointRefused(ValueError):
    """The server will not send to this endpoint; the message says why, without the URL."""


class EndpointUnresolvable(EndpointRefused):
    """The host name has no address now. Refused at subscribe time; retried at send time."""


@dataclass(frozen=True)
class EndpointPolicy:
    allowed_hosts: tuple[str, ...]
    allow_loopback: bool = False

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> EndpointPolicy:
        return cls(
            allowed_hosts=tuple(normalise_host(h) for h in config["PUSH_ALLOWED_HOSTS"]),
            allow_loopback=bool(config["PUSH_ALLOW_LOOPBACK"]),
        )


@dataclass(frozen=True)
class CheckedEndpoint:
    host: str
    port: int
    addresses: tuple[IPAddress, ...]  # all of them checked; connect to one of these


def check_endpoint(url: str, policy: EndpointPolicy) -> CheckedEndpoint:
    """The endpoint's host, port and checked addresses, or ``EndpointRefused``."""
    parts = _split(url)
    host, literal = _host_of(parts)
    scheme_ok = parts.scheme == "https" and parts.port in (None, 443)
    if policy.allow_loopback and (literal is None or literal.is_loopback):
        addresses = (literal,) if literal else _resolve(host)
        if all(_loopback(a) for a in addresses):
            return CheckedEndpoint(host, parts.port or _default_port(parts), addresses)
    if parts.scheme != "https":
        raise EndpointRefused(N_("Must be an https URL."))
    if not scheme_ok:
        raise EndpointRefused(N_("Must use the https port (443)."))
    if literal is not None:
        raise EndpointRefused(N_("Must name a push service by its host name, not an address."))
    if not host_allowed(host, policy.allowed_hosts):
        raise EndpointRefused(N_("This server does not send to that push service."))
    addresses = _resolve(host)
    if not all(is_public_address(a) for a in addresses):
        raise EndpointRefused(N_("The push service's name points into a private network."))
    return CheckedEndpoint(host, 443, addresses)


def resolve_addresses(host: str) -> list[IPAddress]:
    """Every address ``host`` resolves to (the seam tests replace)."""
    try:
        infos = socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise EndpointUnresolvable(N_("The push service's host name does not resolve.")) from None
    # A scope (fe80::1%eth0) cannot be public: keep the address, which is link-local.
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def host_allowed(host: str, allowed_hosts: Iterable[str]) -> bool:
    """``host`` is an allowed name or under one (on a dot boundary: not ``evilpush.apple.com``)."""
    return any(
        entry == ANY_PUBLIC_HOST or host == entry or host.endswith("." + entry)
        for entry in allowed_hosts
    )


def normalise_host(name: str) -> str:
    return name.strip().lower().strip(".")


def is_public_address(address: IPAddress) -> bool:
    """Reachable on the public internet, judged by the IPv4 address an IPv6 form embeds."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(embedded)
        if address.is_site_local or address.teredo is not None:
            return False
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _split(url: str) -> SplitResult:
    if not isinstance(url, str) or not _URL_CHARACTERS.fullmatch(url):
        raise EndpointRefused(N_("Must be a URL of plain ASCII characters."))
    parts = urlsplit(url)
    if "@" in parts.netloc:
        raise EndpointRefused(N_("Must not hold a user name or password."))
    if parts.scheme not in ("https", "http"):
        raise EndpointRefused(N_("Must be an https URL."))
    try:
        parts.port  # noqa: B018 (parses the port; raises on a bad one)
    except ValueError:
        raise EndpointRefused(N_("Has a port that is not a number from 1 to 65535.")) from None
    if parts.netloc.endswith(":") or parts.port == 0:
        raise EndpointRefused(N_("Has a port that is not a number from 1 to 65535."))
    return parts


def _host_of(parts: SplitResult) -> tuple[str, IPAddress | None]:
    """The host as a checked name (``None`` for the address) or as an IP literal."""
    raw = parts.netloc.lower().rsplit(":", 1)[0] if parts.port is not None else parts.netloc.lower()
    if raw.startswith("["):
        try:
            return raw[1:-1], ipaddress.IPv6Address(raw[1:-1])  # no zone ids either
        except ValueError:
            raise EndpointRefused(N_("Has a host that is not a valid address.")) from None
    if _DOTTED_QUAD.fullmatch(raw):
        try:
            return raw, ipaddress.IPv4Address(raw)  # refuses leading zeros (octal)
        except ValueError:
            raise EndpointRefused(N_("Has a host that is not a valid address.")) from None
    labels = raw.split(".")
    if (
        len(raw) > 253
        or len(labels) < 2
        or not all(_LABEL.fullmatch(label) for label in labels)
        or labels[-1].isdigit()
        or labels[-1].startswith("0x")
    ):
        # Also the numeric forms resolvers accept for an address: 2130706433, 0x7f.1, 127.1.
        raise EndpointRefused(N_("Has a host that is not a plain host name."))
    return raw, None


def _resolve(host: str) -> tuple[IPAddress, ...]:
    addresses = tuple(resolve_addresses(host))
    if not addresses:
        raise EndpointUnresolvable(N_("The push service's host name does not resolve."))
    return addresses


def _loopback(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def _default_port(parts: SplitResult) -> int:
    return 443 if parts.scheme == "https" else 80
