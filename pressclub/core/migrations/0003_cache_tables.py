from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    # The tables of every DatabaseCache in CACHES (production on PostgreSQL without Redis); none otherwise.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_editorial_roles")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
