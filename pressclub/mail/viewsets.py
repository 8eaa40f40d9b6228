"""The outbox in the admin: Settings → Outgoing mail, a read-only listing for staff.

Each message shows its recipients, subject, status, attempts and last error, filtered by status and
searchable by address or subject; its page shows the text. Nobody adds, edits or deletes one here:
the worker alone changes them (``delivery``). Who may look: superusers, and anyone given the
``mail.view_outgoingmail`` permission (the Editors and Moderators groups have it: migration 0002).
"""

import django_filters
from django import forms
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from .models import MailStatus, OutgoingMail


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Allow looking (the ``view`` permission) and nothing else, to superusers too."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_any_permission(user, ["view"])


class OutgoingMailFilterSet(WagtailFilterSet):
    """Filter the outbox by status."""

    status = django_filters.ChoiceFilter(
        label="Status", choices=MailStatus.choices, empty_label="All", widget=forms.RadioSelect
    )

    class Meta:
        model = OutgoingMail
        fields = ["status"]


class OutgoingMailViewSet(ModelViewSet):
    """Settings → Outgoing mail: every message, newest first, with its delivery state."""

    model = OutgoingMail
    icon = "mail"
    menu_label = "Outgoing mail"
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    filterset_class = OutgoingMailFilterSet
    search_fields = ["subject", "to"]
    list_display = [
        "subject",
        Column("recipients", label="To"),
        Column("status", label="Status", accessor="get_status_display"),
        Column("attempts", label="Attempts"),
        Column("last_error", label="Last error"),
        DateColumn("created_at", label="Queued"),
        DateColumn("sent_at", label="Sent"),
    ]
    inspect_view_fields = [
        "subject", "from_email", "to", "status", "attempts", "last_error", "created_at",
        "next_attempt_at", "sent_at", "key", "body",
    ]  # fmt: skip
    ordering = ["-created_at"]
    form_fields = ["subject"]  # never shown: there is no add or edit view for anyone
