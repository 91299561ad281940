"""Server-side request forgery guard: where a webhook may be sent.

A target is refused when its address is loopback, private, link-local (169.254.169.254, the
cloud metadata service), multicast, reserved, unspecified or otherwise not global, unless the
settings allow it: WEBHOOKS_ALLOW_LOOPBACK (tests, a receiver on the same host) and
WEBHOOKS_ALLOWED_NETWORKS (CIDRs of internal systems an administrator trusts). A hostname is
resolved and every address it resolves to must pass: at save time (a clear 400) and again at
delivery time, when the sender connects to the very address it checked (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

# Metadata endpoints that are not link-local everywhere (Alibaba's, Azure's wire server), refused
# even when an allowed network contains them.
METADATA = frozenset(ipaddress.ip_address(a) for a in ("169.254.169.254", "100.100.100.200", "168.63.129.16",
                                                       "fd00:ec2::254"))


class TargetRefused(ValueError):
    """The URL may not be called; the message says why (shown to the administrator)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    address: str  # the checked IP the sender connects to


def _allowed_networks():
    return [ipaddress.ip_network(n, strict=False) for n in getattr(settings, "WEBHOOKS_ALLOWED_NETWORKS", ())]


def refusal(address) -> str:
    """Why this IP may not be called ("" if it may)."""
    ip = ipaddress.ip_address(address)
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    if ip in METADATA:
        return _("%(ip)s is a cloud metadata address.") % {"ip": ip}
    if any(ip in network for network in _allowed_networks()):
        return ""
    if ip.is_loopback:
        return "" if getattr(settings, "WEBHOOKS_ALLOW_LOOPBACK", False) else _("%(ip)s is a loopback address.") % {
            "ip": ip}
    for test, message in ((ip.is_link_local, _("%(ip)s is a link-local address.")),
                          (ip.is_multicast, _("%(ip)s is a multicast address.")),
                          (ip.is_unspecified, _("%(ip)s is an unspecified address.")),
                          (ip.is_private, _("%(ip)s is a private address.")),
                          (ip.is_reserved, _("%(ip)s is a reserved address."))):
        if test:
            return message % {"ip": ip}
    if not ip.is_global:
        return _("%(ip)s is not a public address.") % {"ip": ip}
    return ""


def split(url: str):
    """(scheme, host, port) of an http(s) URL; TargetRefused for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise TargetRefused(_("This is not a valid URL.")) from None
    if parts.scheme not in ("http", "https"):
        raise TargetRefused(_("Only http and https URLs can receive webhooks."))
    if not parts.hostname:
        raise TargetRefused(_("The URL has no host."))
    if parts.username or parts.password:
        raise TargetRefused(_("Put credentials in the secret, not in the URL."))
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def _is_ip(host):
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def resolve(host: str, port: int, resolver=None) -> list[str]:
    """Every address `host` resolves to (an IP literal is itself)."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    try:
        infos = (resolver or socket.getaddrinfo)(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise TargetRefused(_("The host %(host)s could not be resolved.") % {"host": host}) from None
    addresses = list(dict.fromkeys(info[4][0].split("%")[0] for info in infos))
    if not addresses:
        raise TargetRefused(_("The host %(host)s could not be resolved.") % {"host": host})
    return addresses


def check(url: str, resolver=None) -> Target:
    """Resolve and check the URL's host; the Target names the address to connect to."""
    scheme, host, port = split(url)
    addresses = resolve(host, port, resolver)
    literal = _is_ip(host)
    for address in addresses:
        reason = refusal(address)
        if reason:
            if not literal:
                reason = _("%(host)s resolves to a refused address: %(reason)s") % {"host": host, "reason": reason}
            raise TargetRefused(reason)
    return Target(scheme=scheme, host=host, port=port, address=addresses[0])
