import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from kb.setup import ensure_site_structure


class Command(BaseCommand):
    help = (
        "Prepares a site for use: the six locales and their home pages, the demo content when the "
        "site holds no content yet, the moderator, partner editor and translator roles, and an "
        "'admin' account (password from DJANGO_SUPERUSER_PASSWORD, otherwise a random one "
        "printed once)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Do not load the demo content.")

    def handle(self, *args, no_demo=False, **options):
        ensure_site_structure()
        if not no_demo:
            self.load_demo_content_if_empty()
        self.setup_roles()
        self.ensure_admin()

    def setup_roles(self):
        from practices.roles import ROLE_GROUPS, setup_roles

        setup_roles()
        self.stdout.write(
            f"Roles ready: {', '.join(ROLE_GROUPS.values())} (add people with "
            "`manage.py kb_add_user NAME --email ADDRESS --role partner --library KEY`)."
        )

    def load_demo_content_if_empty(self):
        from practices.demo import DEMO_FILE, site_has_content

        if site_has_content():
            self.stdout.write("The site already has content: demo content not loaded.")
            return
        self.stdout.write(f"Loading the demo content from {DEMO_FILE} ...")
        call_command("kb_import", str(DEMO_FILE), stdout=self.stdout, stderr=self.stderr)

    def ensure_admin(self):
        User = get_user_model()
        if User.objects.filter(username="admin").exists():
            return
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", email="admin@example.org", password=password)
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    f"Created the 'admin' account with the password {password} "
                    "(shown only this once; set DJANGO_SUPERUSER_PASSWORD to choose your own)."
                )
            )
        else:
            self.stdout.write(
                "Created the 'admin' account with the password from DJANGO_SUPERUSER_PASSWORD."
            )
