"""Rename the review workflow so Wagtail's buttons read as a sentence.

Wagtail writes "Submit to <workflow name>": "Submit to Reporters submit, editors publish" did not
read; "Submit to editors' review" does. Only a workflow still carrying the old name is renamed.
"""

from django.db import migrations

OLD_NAME = "Reporters submit, editors publish"
NEW_NAME = "editors' review"


def rename(apps, schema_editor, old=OLD_NAME, new=NEW_NAME):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=old).update(name=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, old=NEW_NAME, new=OLD_NAME)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_identity_about_policy_pages")]

    operations = [migrations.RunPython(rename, rename_back)]
