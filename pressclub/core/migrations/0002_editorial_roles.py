"""Create the newsroom's roles and its review workflow.

Wagtail's own initial data leaves two groups ("Editors" may add and edit, "Moderators" may also
publish) and a "Moderators approval" workflow on the root page. pressclub's roles differ:

- Reporters write stories and submit them for review (add, change).
- Editors review, publish, schedule and lock stories (add, change, publish, lock, unlock), manage
  images, documents and author bylines, and edit the site identity.
- Moderators moderate readers' comments; here they only get into the admin (the comments app grants
  the comment permissions).

The review workflow "Reporters submit, editors publish" (one group-approval task for Editors) is
assigned to the root page, so it covers every page of every site.
"""

import swapper
from django.db import migrations

WORKFLOW_NAME = "Reporters submit, editors publish"
TASK_NAME = "Editors approve"

PAGE_PERMISSIONS = {
    "Reporters": ["add_page", "change_page"],
    "Editors": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    "Moderators": [],
}
COLLECTION_PERMISSIONS = {
    # (app_label, model): codenames; "add" lets a reporter upload and edit their own files.
    "Reporters": {("wagtailimages", "image"): ["add", "choose"], ("wagtaildocs", "document"): ["add", "choose"]},
    "Editors": {
        ("wagtailimages", "image"): ["add", "change", "delete", "choose"],
        ("wagtaildocs", "document"): ["add", "change", "delete", "choose"],
    },
    "Moderators": {},
}
MODEL_PERMISSIONS = {
    # Author is a snippet; Editors keep the list of bylines. SiteIdentity is a site setting.
    "Reporters": [],
    "Editors": [
        ("people", "author", "add"),
        ("people", "author", "change"),
        ("people", "author", "delete"),
        ("core", "siteidentity", "change"),
    ],
    "Moderators": [],
}


def _permission(apps, app_label, model, codename, verbose):
    """Return the Permission ``app_label.codename``, creating it (and its content type) if needed.

    On a fresh database Django creates model permissions only after all migrations have run
    (post_migrate), so a data migration creates the rows it needs; Django reuses them afterwards.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": f"Can {verbose}"}
    )
    return permission


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model(swapper.get_model_name("wagtailcore", "Page"))
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    root_page = Page.objects.filter(depth=1).order_by("path").first()
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin", "access Wagtail admin")

    groups = {}
    for name in PAGE_PERMISSIONS:
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        # Wagtail's defaults gave Moderators and Editors image and document rights at group level;
        # pressclub grants them per collection below. Other apps' grants (comments) are left alone.
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label__in=["wagtailimages", "wagtaildocs"],
                content_type__model__in=["image", "document"],
            )
        )
        group.permissions.add(access_admin)
        for app_label, model, action in MODEL_PERMISSIONS[name]:
            group.permissions.add(_permission(apps, app_label, model, f"{action}_{model}", f"{action} {model}"))

        if root_page is not None:
            GroupPagePermission.objects.filter(group=group, page=root_page).delete()
            for codename in PAGE_PERMISSIONS[name]:
                permission = _permission(apps, "wagtailcore", "page", codename, codename.replace("_", " "))
                GroupPagePermission.objects.create(group=group, page=root_page, permission=permission)

        if root_collection is not None:
            GroupCollectionPermission.objects.filter(
                group=group,
                collection=root_collection,
                permission__content_type__app_label__in=["wagtailimages", "wagtaildocs"],
            ).delete()
            for (app_label, model), actions in COLLECTION_PERMISSIONS[name].items():
                for action in actions:
                    permission = _permission(apps, app_label, model, f"{action}_{model}", f"{action} {model}")
                    GroupCollectionPermission.objects.create(
                        group=group, collection=root_collection, permission=permission
                    )

    if root_page is None:
        return
    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.set([groups["Editors"]])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    # A page has at most one workflow of its own: ours replaces Wagtail's "Moderators approval".
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
    # Retire Wagtail's default workflow (kept, inactive, for any history that points at it).
    for old in Workflow.objects.exclude(pk=workflow.pk).filter(name="Moderators approval"):
        if not WorkflowPage.objects.filter(workflow=old).exists():
            old.active = False
            old.save(update_fields=["active"])
    GroupApprovalTask.objects.filter(name="Moderators approval").update(active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
