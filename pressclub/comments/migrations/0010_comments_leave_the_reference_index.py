"""Drop the reference index rows of comments, flags and moderation log lines.

These models are no longer indexed (``wagtail_reference_index_ignore``); rows written before would
keep listing comments under their page's and author's "Usage" until the index is rebuilt.
"""

from django.db import migrations

MODELS = ("comment", "commentflag", "moderationaction")


def drop_rows(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    types = ContentType.objects.filter(app_label="comments", model__in=MODELS)
    ReferenceIndex.objects.filter(base_content_type__in=types).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("comments", "0009_comment_source_fingerprint"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    operations = [migrations.RunPython(drop_rows, migrations.RunPython.noop)]
