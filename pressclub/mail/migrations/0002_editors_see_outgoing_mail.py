"""Let the Editors and Moderators groups look at the outbox (Settings → Outgoing mail), read-only.

Editors answer readers who say "I never got the confirmation mail", and moderators readers whose
reply notification did not come: both need to see whether a message left, and why not. The listing
is shown to those holding ``mail.view_outgoingmail``; nobody may change a message (``viewsets``).
"""

from django.db import migrations

GROUPS = ("Editors", "Moderators")


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are made after the whole migrate run on a fresh database; make this one now.
    content_type, _ = ContentType.objects.get_or_create(app_label="mail", model="outgoingmail")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="view_outgoingmail", defaults={"name": "Can view outgoing mail"}
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="mail", codename="view_outgoingmail").first()
    if permission is not None:
        for group in Group.objects.filter(name__in=GROUPS):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("mail", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        # The editorial groups get their permissions there; granting after it keeps this one.
        ("core", "0002_editorial_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
