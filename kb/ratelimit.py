"""Counting requests per client in the cache: who the client is, what a rate like "60/m"
means, and whether one more request fits.

Counters are fixed windows (``cache.add`` then ``cache.incr``), so they work the same on the
local-memory cache and on Redis, where they are shared by every web process."""

import hashlib
import ipaddress
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    limit: int  # requests allowed per window
    seconds: int  # length of the window


@dataclass(frozen=True)
class Decision:
    allowed: bool
    count: int  # requests counted in this window, this one included
    retry_after: int  # seconds until the window ends


def parse_rate(value: str | None, setting: str = "rate") -> Rate | None:
    """ "60/m" → 60 per minute; "300/5m", "1000/h", "10/s", "5000/d" likewise. An empty value
    or "off" turns the limit off (None)."""
    if value is None or value.strip().lower() in ("", "off", "none"):
        return None
    match = _RATE.match(value)
    if not match or int(match[1]) < 1:
        raise ImproperlyConfigured(
            f'{setting} must look like "60/m" (a number of requests per s, m, h or d, '
            f'optionally "per 5m"), or "off"; not {value!r}.'
        )
    count, multiplier, unit = int(match[1]), int(match[2] or 1), match[3]
    return Rate(limit=count, seconds=max(1, multiplier) * _UNITS[unit])


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, unless ``TRUSTED_PROXY_COUNT`` proxies stand in
    front of the site; then the address the outermost of them saw, which is that many entries
    from the right of X-Forwarded-For (anything further left is what the client claims)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            entry.strip()
            for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if entry.strip()
        ]
        if forwarded:
            candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
            if _valid_ip(candidate):
                return candidate
    return remote


def _valid_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_key(ip: str) -> str:
    """What a client is counted by: its IPv4 address, or the /64 network of an IPv6 one (a
    single household or host usually holds a whole /64 and could rotate through it). Hashed, so
    that the cache holds no addresses."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        identity = ip or "unknown"
    else:
        if address.version == 6 and address.ipv4_mapped is not None:
            identity = str(address.ipv4_mapped)
        elif address.version == 6:
            identity = str(ipaddress.ip_network(f"{address}/64", strict=False))
        else:
            identity = str(address)
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


def hit(bucket: str, identity: str, rate: Rate, now: float | None = None) -> Decision:
    """Counts one request of `identity` against `rate` in `bucket` and says whether it fits.

    The window is the current multiple of ``rate.seconds`` since the epoch; its counter expires
    with it."""
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    retry_after = max(1, math.ceil((window + 1) * rate.seconds - now))
    key = f"ratelimit:{bucket}:{identity}:{rate.seconds}:{window}"
    if cache.add(key, 1, timeout=rate.seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=rate.seconds + 1)
            count = 1
    return Decision(allowed=count <= rate.limit, count=count, retry_after=retry_after)
