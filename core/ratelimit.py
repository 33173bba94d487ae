"""A small fixed-window rate limit on the cache (Redis in production, local memory by default).

The key is a salted hash of the client address that lives only in the cache for the window: the database
never sees it, which matters for the anonymous report form. The address is the client's as `core.client_ip` finds it
behind the trusted proxies, not the proxy's.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from .client_ip import client_ip


def client_key(request, scope):
    address = client_ip(request)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{scope}|{address}".encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}"


def hit(request, *, scope, limit, window_seconds):
    """Count one request; True when the client is still within `limit` requests per window."""
    key = client_key(request, scope)
    if cache.add(key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return True
    return count <= limit
