"""The shared cache as an accelerator: Redis, and when Redis is down or does not answer, no
cache at all rather than an error.

Every call is bounded by short socket timeouts. A call that fails is logged and counted, and
for a cooling-off period (`COOL_OFF_SECONDS`) the cache answers as an empty cache that keeps
nothing, without asking Redis, so that a Redis that accepts connections and never answers
costs one timeout per period and process, not one per call. The first call after the period
tries Redis again: the site recovers by itself. Answering as an empty cache keeps every user
of the cache correct: a cached list is worked out again from the database, the rate limiter
and the sign-in throttle count from zero (they fail open, and say so in the log)."""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

COOL_OFF_SECONDS = 10.0
CONNECT_TIMEOUT_SECONDS = 0.25
READ_TIMEOUT_SECONDS = 0.5


def _empty_cache_answer(name: str, args, kwargs):
    """What an empty cache that keeps nothing answers to `name`."""
    if name == "get":
        return kwargs.get("default", args[1] if len(args) > 1 else None)
    if name in ("incr", "decr"):
        raise ValueError(f"Key {args[0]!r} not found (the cache is unavailable).")
    return {
        "add": True,  # it would have been stored: nothing held the key
        "get_many": {},
        "has_key": False,
        "delete": False,
        "touch": False,
        "set_many": [],
    }.get(name)


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache, with short timeouts and an empty-cache answer while Redis fails."""

    GUARDED = (
        "get",
        "set",
        "add",
        "delete",
        "get_many",
        "set_many",
        "delete_many",
        "has_key",
        "incr",
        "decr",
        "touch",
        "clear",
    )

    def __init__(self, server, params):
        params = {**params, "OPTIONS": dict(params.get("OPTIONS") or {})}
        params["OPTIONS"].setdefault("socket_connect_timeout", CONNECT_TIMEOUT_SECONDS)
        params["OPTIONS"].setdefault("socket_timeout", READ_TIMEOUT_SECONDS)
        super().__init__(server, params)
        self.failures = 0  # calls that failed since the process started
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, name: str, error: Exception) -> None:
        with self._lock:
            self.failures += 1
            was_up = self.available
            self._down_until = time.monotonic() + COOL_OFF_SECONDS
        if was_up:
            logger.warning(
                "The cache (Redis) failed on %s: %s. Serving without a cache for %d s "
                "(rate limits and the sign-in throttle are not enforced meanwhile); "
                "%d failed calls so far.",
                name,
                error,
                COOL_OFF_SECONDS,
                self.failures,
            )


def _guarded(name: str):
    unguarded = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        if self.available:
            try:
                return unguarded(self, *args, **kwargs)
            except RedisError as error:
                self._failed(name, error)
        return _empty_cache_answer(name, args, kwargs)

    method.__name__ = name
    method.__doc__ = unguarded.__doc__
    return method


for _name in FailOpenRedisCache.GUARDED:
    setattr(FailOpenRedisCache, _name, _guarded(_name))
