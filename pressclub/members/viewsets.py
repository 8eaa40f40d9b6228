"""The membership admin as Wagtail viewsets: "Members" in the menu, with memberships and invitations.

Memberships are a snippet listing at ``/admin/members/`` (URL names ``memberships:…``): filtered by
status (each choice with its count), searchable by e-mail or name, with the decisions as buttons on
each row and approve/decline as bulk actions (``members.bulk_actions``). Invitations are listed at
``/admin/members/invitations/`` (``invitations:…``), where "Invite someone" sends one. Who may see
and do any of it is the policy of ``members.permissions`` (``members.decide_membership``); no one
edits or deletes a membership directly, since every change goes through ``members.services``.
"""

import django_filters
from django import forms
from django.contrib.auth.models import Permission
from django.db.models import Count
from django.template.defaultfilters import truncatechars
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import (
    BulkActionsCheckboxColumn,
    DateColumn,
    StatusTagColumn,
    TitleColumn,
)
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from pressclub.core.admin_tables import STACKED_LISTING, LabelledColumn

from . import admin_views
from .bulk_actions import ApproveBulkAction, DeclineBulkAction
from .forms import InvitationForm
from .models import Invitation, Membership, MembershipStatus

NAMESPACE = "memberships"  # URL names of the membership list and its decision forms


class MembershipFilterSet(WagtailFilterSet):
    """Filter memberships by status; each choice shows how many there are (one query)."""

    status = django_filters.ChoiceFilter(
        label="Status", choices=MembershipStatus.choices, empty_label="All", widget=forms.RadioSelect
    )

    class Meta:
        model = Membership
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        counts = dict(Membership.objects.order_by().values_list("status").annotate(n=Count("pk")))
        self.filters["status"].extra["choices"] = [
            (value, f"{label} ({counts.get(value, 0)})") for value, label in MembershipStatus.choices
        ]


def _decision(membership: Membership) -> str:
    """Return the last decision as one line: "Active by Desk Editor, 2026-03-02: reason"."""
    if membership.decided_at is None:
        return ""
    by = membership.decided_by.public_name if membership.decided_by else "—"
    line = f"{membership.get_status_display()} by {by}, {membership.decided_at:%Y-%m-%d}"
    if membership.suspended_until:
        line += f", until {membership.suspended_until:%Y-%m-%d}"
    if membership.reason:
        line += f": {truncatechars(membership.reason, 200)}"
    return line


class MembershipIndexView(SnippetIndexView):
    """The membership list: reader, status, request, last decision, and the decisions to take.

    With the "Requested" filter and no chosen order, the oldest request comes first (first come,
    first served); otherwise the newest.
    """

    table_classname = STACKED_LISTING  # rows stack on a phone, decisions in reach

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "decided_by")

    def get_ordering(self):
        if (
            "ordering" not in self.request.GET
            and self.request.GET.get("status") == MembershipStatus.REQUESTED
        ):
            return "requested_at"
        return super().get_ordering()

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="snippet"),
            title_column(
                "reader",
                label="Reader",
                accessor="user.email",
                sort_key="user__email",
                get_url=self.get_inspect_url,
                get_title_id=lambda membership: f"snippet_{membership.pk}_title",
            ),
            LabelledColumn("name", label="Name", accessor=lambda membership: membership.user.display_name),
            StatusTagColumn(
                "status",
                label="Status",
                accessor="get_status_display",
                sort_key="status",
                primary=lambda membership: membership.status == MembershipStatus.REQUESTED,
            ),
            DateColumn("requested_at", label="Asked", sort_key="requested_at"),
            LabelledColumn(
                "note", label="Note", accessor=lambda membership: truncatechars(membership.request_note, 300)
            ),
            LabelledColumn("decision", label="Last decision", accessor=_decision),
        ]

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)

        def url(name, *args, query=""):
            return reverse(f"{NAMESPACE}:{name}", args=args) + query

        status = instance.status
        if status == MembershipStatus.REQUESTED:
            buttons += [
                ListingButton("Approve", url("approve", instance.pk), priority=1),
                ListingButton("Decline", url("decline", instance.pk), priority=2),
            ]
        elif status == MembershipStatus.ACTIVE:
            buttons.append(ListingButton("Suspend or ban", url("restrict", instance.user_id), priority=1))
        else:
            label = "Admit" if status == MembershipStatus.DECLINED else "Reinstate"
            buttons.append(ListingButton(label, url("reinstate", instance.pk), priority=1))
            if status != MembershipStatus.BANNED:
                buttons.append(
                    ListingButton("Ban", url("restrict", instance.user_id, query="?action=ban"), priority=2)
                )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["bulk_decisions"] = [
            {
                "action_type": action.action_type,
                "display_name": action.display_name,
                "aria_label": action.aria_label,
            }
            for action in (ApproveBulkAction, DeclineBulkAction)
        ]
        return context

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton("Suspend or ban by e-mail", url=reverse(f"{NAMESPACE}:find"), icon_name="lock"),
            HeaderButton("Invitations", url=reverse("invitations:index"), icon_name="mail"),
        ]


class MembershipViewSet(SnippetViewSet):
    """Memberships: list, inspect, and the decision forms of ``members.admin_views``."""

    model = Membership
    icon = "group"
    menu_label = "Memberships"
    url_prefix = "members"
    url_namespace = NAMESPACE
    index_view_class = MembershipIndexView
    index_template_name = "members/admin/membership_index.html"
    filterset_class = MembershipFilterSet
    search_fields = ["user__email", "user__display_name"]
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "user",
        "status",
        "request_note",
        "requested_at",
        "decided_by",
        "decided_at",
        "reason",
        "suspended_until",
        "invitation",
    ]

    def get_urlpatterns(self):
        kwargs = {"index_url_name": self.get_url_name("list"), "breadcrumbs_items": self.breadcrumbs_items}
        decide = admin_views.MembershipDecisionView
        return super().get_urlpatterns() + [
            path("<int:pk>/approve/", decide.as_view(action="approve", **kwargs), name="approve"),
            path("<int:pk>/decline/", decide.as_view(action="decline", **kwargs), name="decline"),
            path("<int:pk>/reinstate/", decide.as_view(action="reinstate", **kwargs), name="reinstate"),
            path(
                "account/<int:user_pk>/restrict/", admin_views.RestrictView.as_view(**kwargs), name="restrict"
            ),
            path(
                "account/find/",
                admin_views.FindAccountView.as_view(
                    restrict_url_name=self.get_url_name("restrict"), **kwargs
                ),
                name="find",
            ),
        ]

    def get_permissions_to_register(self):
        """Offer only ``decide_membership`` in the group editor: add/change/delete mean nothing here."""
        return Permission.objects.filter(content_type__app_label="members", codename="decide_membership")


def _invitation_state(invitation: Invitation) -> str:
    """Return "Accepted 2026-03-02", "Expired" or "Valid until 2026-03-16"."""
    if invitation.accepted_at:
        return f"Accepted {invitation.accepted_at:%Y-%m-%d}"
    if invitation.expires <= timezone.now():
        return "Expired"
    return f"Valid until {invitation.expires:%Y-%m-%d}"


class InvitationIndexView(IndexView):
    """The invitations sent, newest first, with who sent each and whether it was used."""

    add_item_label = "Invite someone"
    table_classname = STACKED_LISTING

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("invited_by")


class InvitationViewSet(ModelViewSet):
    """Invitations: those sent (newest first), and the form that sends one."""

    model = Invitation
    icon = "mail"
    menu_label = "Invitations"
    url_prefix = "members/invitations"
    url_namespace = "invitations"
    index_view_class = InvitationIndexView
    add_view_class = admin_views.InvitationCreateView
    search_fields = ["email"]
    list_per_page = 50
    copy_view_enabled = False
    list_display = [
        "email",
        LabelledColumn(
            "invited_by",
            label="Invited by",
            accessor=lambda i: i.invited_by.public_name if i.invited_by else "",
        ),
        DateColumn("created_at", label="Sent", sort_key="created_at"),
        LabelledColumn("state", label="State", accessor=_invitation_state),
    ]

    def get_form_class(self, for_update=False):
        """Return the invitation form (an address and a personal line); invitations are never edited."""
        return InvitationForm

    def get_permissions_to_register(self):
        """Offer no permissions of their own: invitations follow ``decide_membership``."""
        return Permission.objects.none()


class MembersViewSetGroup(ViewSetGroup):
    """The "Members" menu: memberships and invitations."""

    menu_label = "Members"
    menu_icon = "group"
    menu_order = 260
    items = (MembershipViewSet, InvitationViewSet)
