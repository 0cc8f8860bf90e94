from django.db import migrations

INDEX = "search_entry_matches"


def create_index(apps, schema_editor):
    # SQLite only: what a query reads of each match, without visiting the entry's large row
    # (its document and token columns). PostgreSQL keeps those out of line anyway, and its
    # B-tree could not hold a long facet_text.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON search_searchentry "
            "(page_id, translation_key, published_at, facet_text)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_facet_text_and_indexes")]

    operations = [migrations.RunPython(create_index, drop_index)]
