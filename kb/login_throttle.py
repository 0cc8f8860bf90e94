"""Slowing down password guessing at the admin's sign-in form.

At most ``LOGIN_FAILURE_LIMIT`` passwords are checked for one username from one client address
within ``LOGIN_FAILURE_WINDOW_SECONDS`` (counted from the first attempt); once that many have
failed, the form refuses every further attempt for that username from that address, without
checking the password, until the window has passed, and says so and for how long. A
successful sign-in clears the count.

Each attempt is counted in the database *before* its password is checked, in one atomic
update, so that concurrent attempts on several web processes cannot slip past the limit
between reading the count and checking the password; the count does not depend on a cache
that each process might hold for itself, or that might be down. Locking by username *and*
address means that someone guessing cannot lock the real user out from the real user's own
address."""

import hashlib
import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import ngettext
from wagtail.admin.forms.auth import LoginForm

from .models import SignInAttempts
from .ratelimit import client_ip

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoginThrottle:
    """The sign-in attempts of one username from one address."""

    identity: str

    @classmethod
    def for_attempt(cls, request, username: str) -> "LoginThrottle":
        address = client_ip(request) if request is not None else ""
        digest = hashlib.sha256(f"{username.strip().casefold()}\n{address}".encode()).hexdigest()
        return cls(digest[:40])

    @staticmethod
    def limit() -> int:
        return settings.LOGIN_FAILURE_LIMIT

    @staticmethod
    def window() -> timedelta:
        return timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)

    def _current(self, now: datetime):
        return SignInAttempts.objects.filter(
            identity=self.identity, window_started__gt=now - self.window()
        )

    def count_attempt(self, now: datetime | None = None) -> int:
        """Counts one more attempt and returns how many this window holds, this one included."""
        now = now or timezone.now()
        with transaction.atomic():
            SignInAttempts.objects.filter(window_started__lte=now - self.window()).delete()
            if not self._current(now).update(attempts=F("attempts") + 1):
                try:
                    with transaction.atomic():
                        SignInAttempts.objects.create(
                            identity=self.identity, window_started=now, attempts=1
                        )
                    return 1
                except IntegrityError:  # another process opened the window just now
                    self._current(now).update(attempts=F("attempts") + 1)
            return self._current(now).values_list("attempts", flat=True).first() or 1

    def uncount_attempt(self) -> None:
        """Takes back an attempt that did not test a password."""
        SignInAttempts.objects.filter(identity=self.identity, attempts__gt=0).update(
            attempts=F("attempts") - 1
        )

    def seconds_locked(self, now: datetime | None = None) -> int:
        """How long further attempts are refused; 0 when they are not."""
        now = now or timezone.now()
        row = self._current(now).first()
        if row is None or row.attempts < self.limit():
            return 0
        remaining = (row.window_started + self.window() - now).total_seconds()
        return max(1, math.ceil(remaining))

    def clear(self) -> None:
        SignInAttempts.objects.filter(identity=self.identity).delete()


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
        attempt = throttle.count_attempt()
        if attempt > throttle.limit():
            raise forms.ValidationError(
                locked_out_message(throttle.seconds_locked()), code="too_many_attempts"
            )
        try:
            cleaned_data = super().clean()
        except forms.ValidationError as error:
            if getattr(error, "code", None) != "invalid_login":
                throttle.uncount_attempt()
                raise
            if attempt == throttle.limit():
                logger.warning(
                    "Admin sign-in locked for %s s after %s failed attempts",
                    settings.LOGIN_FAILURE_WINDOW_SECONDS,
                    attempt,
                )
                raise forms.ValidationError(
                    locked_out_message(throttle.seconds_locked()), code="too_many_attempts"
                ) from None
            raise
        throttle.clear()
        return cleaned_data
