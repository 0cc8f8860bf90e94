from django.core.management.base import BaseCommand

from practices.open_data import directory, generate_open_data


class Command(BaseCommand):
    help = (
        "Writes the open-data files (the kb-exchange/1 JSON and one CSV per type) of everything "
        "published to MEDIA_ROOT/open-data/. The site also does this after content changes; "
        "run it nightly from cron as well."
    )

    def handle(self, *args, **options):
        manifest = generate_open_data()
        for entry in manifest["files"]:
            self.stdout.write(
                f"  {entry['name']}: {entry['records']} records, {entry['bytes']} bytes"
            )
        self.stdout.write(f"Open data written to {directory()} at {manifest['generated_at']}.")
