"""The endpoint check on its own (server/push/endpoints.py): which addresses count as public,
the allow-list's dot boundaries, and the tests-only loopback switch. No database."""

from __future__ import annotations

import ipaddress

import pytest

from server.config import SETTINGS
from server.push.endpoints import (
    EndpointPolicy,
    EndpointRefused,
    check_endpoint,
    host_allowed,
    is_public_address,
)

DEFAULT = EndpointPolicy(allowed_hosts=tuple(SETTINGS["PUSH_ALLOWED_HOSTS"].default))


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.0.1",
        "169.254.169.254",
        "100.64.0.1",  # shared address space (carrier NAT)
        "0.0.0.0",
        "224.0.1.1",  # multicast that is_global alone lets through
        "240.0.0.1",
        "255.255.255.255",
        "192.0.2.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fec0::1",  # site-local
        "ff0e::1",  # global-scope multicast
        "::ffff:10.0.0.1",  # IPv4-mapped
        "2002:7f00:1::",  # 6to4 of 127.0.0.1, which is_global calls global
        "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    ],
)
def test_addresses_inside_some_network_are_not_public(address):
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address",
    ["142.250.74.42", "2a00:1450:4001:80b::200a", "64:ff9b::8efa:4a2a", "2002:8efa:4a2a::"],
)
def test_public_addresses_and_their_ipv6_forms_are_public(address):
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("fcm.googleapis.com", True),
        ("web.push.apple.com", True),
        ("wns2-par02p.notify.windows.com", True),
        ("evilpush.apple.com", False),
        ("push.apple.com.evil.example", False),
        ("googleapis.com", False),
    ],
)
def test_the_allow_list_matches_on_dot_boundaries(host, allowed):
    assert host_allowed(host, DEFAULT.allowed_hosts) is allowed


def test_any_public_host_with_a_star_but_still_no_private_address(monkeypatch):
    from server.push import endpoints

    answers = {"push.example.org": ["142.250.74.42"], "intranet.example.org": ["10.0.0.9"]}
    monkeypatch.setattr(
        endpoints,
        "resolve_addresses",
        lambda host: [ipaddress.ip_address(a) for a in answers[host]],
    )
    star = EndpointPolicy(allowed_hosts=("*",))

    assert check_endpoint("https://push.example.org/x", star).addresses == (
        ipaddress.ip_address("142.250.74.42"),
    )
    with pytest.raises(EndpointRefused):
        check_endpoint("https://intranet.example.org/x", star)
    with pytest.raises(EndpointRefused):
        check_endpoint("https://10.0.0.9/x", star)


def test_loopback_passes_only_with_the_tests_only_switch():
    url = "http://127.0.0.1:8123/push/x"
    with pytest.raises(EndpointRefused):
        check_endpoint(url, DEFAULT)

    checked = check_endpoint(url, EndpointPolicy(DEFAULT.allowed_hosts, allow_loopback=True))

    assert (checked.port, checked.addresses) == (8123, (ipaddress.ip_address("127.0.0.1"),))
    # Still only loopback: the switch opens nothing else.
    for other in ("http://10.0.0.1:8123/x", "http://0.0.0.0:8123/x", "http://169.254.169.254/x"):
        with pytest.raises(EndpointRefused):
            check_endpoint(other, EndpointPolicy(DEFAULT.allowed_hosts, allow_loopback=True))
