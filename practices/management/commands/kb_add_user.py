from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from practices.roles import ROLE_GROUPS, RolesNotSetUp, UnknownLibrary, grant_role, setup_roles


def set_password_link(user) -> str:
    path = reverse(
        "wagtailadmin_password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return urljoin(settings.WAGTAILADMIN_BASE_URL, path)


def send_set_password_email(user) -> None:
    site = settings.WAGTAIL_SITE_NAME
    body = _(
        "An account on %(site)s has been made for you, with the username %(username)s.\n\n"
        "Choose your password here (the link works once, for a few days):\n%(link)s\n"
    ) % {"site": site, "username": user.get_username(), "link": set_password_link(user)}
    send_mail(
        _("Your account on %(site)s") % {"site": site},
        body,
        None,  # DEFAULT_FROM_EMAIL
        [user.email],
    )


class Command(BaseCommand):
    help = (
        "Creates or updates an admin user and gives them a role: a partner editor of a library, "
        "a translator or a moderator (setting up the roles first if kb_setup_roles has not)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=sorted(ROLE_GROUPS))
        parser.add_argument(
            "--library",
            help="The library's key (its slug). Required for partner editors.",
        )
        parser.add_argument(
            "--send-email",
            action="store_true",
            help="Email a link to choose a password instead of printing a password.",
        )

    def handle(self, *args, username, email, role, library, send_email, **options):
        if role == "partner" and not library:
            raise CommandError(_("A partner editor needs --library: the key of their library."))
        try:
            try:
                change = grant_role(username, email, role, library, set_password=not send_email)
            except RolesNotSetUp:
                setup_roles()
                self.stdout.write(
                    _("The roles were not set up yet: they are now, as kb_setup_roles does.")
                )
                change = grant_role(username, email, role, library, set_password=not send_email)
        except UnknownLibrary as error:
            raise CommandError(
                _("There is no library with the key '%(key)s'.") % {"key": error.args[0]}
            ) from error

        user = change.user
        role_name = ROLE_GROUPS[role]
        if library:
            role_name = _("%(role)s, library %(key)s") % {"role": role_name, "key": library}
        message = (
            _("Created %(username)s (%(role)s).")
            if change.created
            else _("Updated %(username)s (%(role)s).")
        )
        self.stdout.write(message % {"username": user.get_username(), "role": role_name})
        if send_email:
            send_set_password_email(user)
            self.stdout.write(_("Sent a link to choose a password to %(email)s") % {"email": email})
        elif change.password:
            self.stdout.write(
                _(
                    "One-time password (give it to them once; they change it in their account): %(password)s"
                )
                % {"password": change.password}
            )
