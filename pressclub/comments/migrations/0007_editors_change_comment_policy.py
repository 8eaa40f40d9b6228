"""Let the Editors group change the site-wide comment policy (a Wagtail site setting).

Wagtail shows a site setting to those holding its model's ``change`` permission; without this only
superusers could, though editors are the ones who decide who comments.
"""

from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="comments", model="commentpolicysettings")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="change_commentpolicysettings",
        defaults={"name": "Can change comment policy"},
    )
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(
        content_type__app_label="comments", codename="change_commentpolicysettings"
    ).first()
    group = Group.objects.filter(name="Editors").first()
    if permission is not None and group is not None:
        group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0006_rate_limits"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
