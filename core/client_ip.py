"""The client's address, as the rate limits and the login lockout count it.

Behind the shipped nginx every request arrives from nginx's address, so counting REMOTE_ADDR would put the whole
county in one bucket (five reports lock the public form for everyone; anyone can lock any user name). The proxy
appends the address it saw to X-Forwarded-For; that header is believed only when REMOTE_ADDR is one of
`TRUSTED_PROXIES` (DJANGO_TRUSTED_PROXIES), and only from the right: the entries on the left were written by the
client and can say anything. Walking from the right past our own proxies, the first address that is not one of them
is the client's.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=8)
def _networks(entries):
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: {entry!r} is not an IP address or network") from exc
    return tuple(networks)


def _parse(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks):
    return address is not None and any(address in network for network in networks)


def client_ip(request):
    """The address of the client that sent `request` (a Django or DRF request)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    hop = _parse(remote)
    if not networks or not _trusted(hop, networks):
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for entry in reversed(forwarded):
        address = _parse(entry)
        if address is None:
            # Not an address: written by whoever sent it to the last trusted hop, so that hop is all we know.
            break
        hop = address
        if not _trusted(address, networks):
            break
    return str(hop)
