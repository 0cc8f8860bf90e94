from django.core.management.base import BaseCommand, CommandError

from search import querylog


class Command(BaseCommand):
    help = (
        "The log of public searches. prune: delete the searches logged longer ago than "
        "SEARCH_LOG_RETENTION_DAYS (default 365) or --days."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["prune"])
        parser.add_argument(
            "--days", type=int, default=None, help="Keep this many days instead of the setting."
        )

    def handle(self, *args, action, days, **options):
        if days is not None and days < 0:
            raise CommandError("--days cannot be negative.")
        days = querylog.retention_days() if days is None else days
        removed = querylog.prune(days)
        self.stdout.write(f"Removed {removed} searches logged more than {days} days ago.")
