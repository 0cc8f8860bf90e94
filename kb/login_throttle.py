"""Slowing down password guessing at the admin's sign-in form.

After ``LOGIN_FAILURE_LIMIT`` failed sign-ins for one username from one client address within
``LOGIN_FAILURE_WINDOW_SECONDS`` (counted from the first of them), the form refuses every
further attempt for that username from that address, without checking the password, until
the window has passed; it says so and for how long. A successful sign-in clears the count.
The counts live in the cache (Redis when ``REDIS_URL`` is set), so every web process shares
them. Locking by username *and* address means that someone guessing cannot lock the real
user out from the real user's own address."""

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext
from wagtail.admin.forms.auth import LoginForm

from .ratelimit import client_ip

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoginThrottle:
    """The failed sign-ins of one username from one address."""

    identity: str

    @classmethod
    def for_attempt(cls, request, username: str) -> "LoginThrottle":
        address = client_ip(request) if request is not None else ""
        digest = hashlib.sha256(f"{username.strip().casefold()}\n{address}".encode()).hexdigest()
        return cls(digest[:40])

    @property
    def _count_key(self) -> str:
        return f"login-failures:{self.identity}"

    @property
    def _started_key(self) -> str:
        return f"login-failures-since:{self.identity}"

    @staticmethod
    def limit() -> int:
        return settings.LOGIN_FAILURE_LIMIT

    @staticmethod
    def window() -> int:
        return settings.LOGIN_FAILURE_WINDOW_SECONDS

    def failures(self) -> int:
        return cache.get(self._count_key, 0)

    def seconds_locked(self, now: float | None = None) -> int:
        """How long further attempts are refused; 0 when they are not."""
        if self.failures() < self.limit():
            return 0
        now = time.time() if now is None else now
        started = cache.get(self._started_key, now)
        return max(1, math.ceil(started + self.window() - now))

    def record_failure(self, now: float | None = None) -> int:
        now = time.time() if now is None else now
        window = self.window()
        cache.add(self._started_key, now, timeout=window)
        cache.add(self._count_key, 0, timeout=window)
        try:
            return cache.incr(self._count_key)
        except ValueError:  # the window ended between add and incr
            cache.set(self._started_key, now, timeout=window)
            cache.set(self._count_key, 1, timeout=window)
            return 1

    def clear(self) -> None:
        cache.delete_many([self._count_key, self._started_key])


def locked_out_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed sign-in attempts for this username from your address. For your "
        "security, signing in is blocked for %(minutes)d minute; please try again then.",
        "Too many failed sign-in attempts for this username from your address. For your "
        "security, signing in is blocked for %(minutes)d minutes; please try again then.",
        minutes,
    ) % {"minutes": minutes}


class ThrottledLoginForm(LoginForm):
    """Wagtail's sign-in form (``WAGTAILADMIN_USER_LOGIN_FORM``) with the throttle above."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if not username or self.cleaned_data.get("password") is None:
            return super().clean()
        throttle = LoginThrottle.for_attempt(self.request, username)
        if seconds := throttle.seconds_locked():
            raise forms.ValidationError(locked_out_message(seconds), code="too_many_attempts")
        try:
            cleaned_data = super().clean()
        except forms.ValidationError as error:
            if getattr(error, "code", None) != "invalid_login":
                raise
            if throttle.record_failure() >= throttle.limit():
                logger.warning(
                    "Admin sign-in locked for %s s after %s failed attempts",
                    throttle.window(),
                    throttle.limit(),
                )
                raise forms.ValidationError(
                    locked_out_message(throttle.seconds_locked()), code="too_many_attempts"
                ) from None
            raise
        throttle.clear()
        return cleaned_data
