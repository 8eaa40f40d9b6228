"""Let the Editors group decide on memberships and invite people."""

from django.db import migrations

GROUPS = ["Editors"]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="members", model="membership")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="decide_membership",
        defaults={"name": "Can admit, decline, suspend and ban members, and invite people"},
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="members", codename="decide_membership").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_decide_membership_permission"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
