"""A partial index of the pages that are not live, on Wagtail's page table.

Counting a label's or an author's published stories (``news.counts``) subtracts the pages that are
not live from the links; this index finds those few pages without reading the whole table.
Wagtail's models declare no such index, so it is made in SQL (PostgreSQL and SQLite take the same
statement).
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("news", "0005_archive_indexes"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX pressclub_page_not_live ON wagtailcore_page (id) WHERE NOT live",
            reverse_sql="DROP INDEX pressclub_page_not_live",
        ),
    ]
