from django.db import migrations

IMPORTING_GROUPS = ("Editors",)


def grant_import(apps, schema_editor):
    """Give the Editors group the import_content permission (creating the group if absent)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after the whole migrate run; make this one exist now.
    app_config = apps.get_app_config("importers")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="importers", codename="import_content")
    for name in IMPORTING_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def revoke_import(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="importers", codename="import_content").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("importers", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        # Wagtail creates the editorial groups (with admin access) in its own initial data.
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant_import, revoke_import)]
