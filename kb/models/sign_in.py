from django.db import models


class SignInAttempts(models.Model):
    """Sign-in attempts of one username from one address in the current window
    (see ``kb.login_throttle``). Kept in the database so that every web process counts the
    same attempts, with or without a shared cache."""

    identity = models.CharField(max_length=64, primary_key=True)
    window_started = models.DateTimeField(db_index=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "sign-in attempts"
        verbose_name_plural = "sign-in attempts"

    def __str__(self):
        return f"{self.attempts} since {self.window_started:%Y-%m-%d %H:%M}"
