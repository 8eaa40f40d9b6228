"""Bulk decisions on membership requests, from the checkboxes of the membership list.

Approve and decline work on pending requests only; other selected rows are listed as left alone.
Each request goes through ``members.services`` as a single decision would, so every reader gets
their own e-mail. Those who may not decide are turned away before any row is read.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.functional import classproperty
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from . import services
from .models import Membership, MembershipStatus


class DecisionBulkForm(forms.Form):
    """The reason sent to every reader of a bulk decision (optional)."""

    reason = forms.CharField(
        label="Reason (sent to each reader)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MembershipBulkDecision(SnippetBulkAction):
    """Base of the bulk decisions: ``decide`` permission first, pending requests only."""

    template_name = "members/admin/confirm_bulk_decision.html"
    form_class = DecisionBulkForm
    past_tense = ""

    @classproperty
    def models(cls):
        return [Membership]

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_policy.user_has_permission(request.user, "decide"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def get_queryset(cls, model, object_ids):
        return list(
            model.objects.filter(pk__in=object_ids).select_related("user").order_by("requested_at", "pk")
        )

    def check_perm(self, membership):
        # The permission was checked in dispatch(); what is left is whether the row is a request.
        return membership.status == MembershipStatus.REQUESTED

    def get_execution_context(self):
        return {"by": self.request.user, "reason": self.cleaned_form.cleaned_data["reason"]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(verb=self.display_name, past_tense=self.past_tense, **kwargs)

    def get_success_message(self, num_parent_objects, num_child_objects):
        noun = "request" if num_parent_objects == 1 else "requests"
        return f"{num_parent_objects} {noun} {self.past_tense}. We have e-mailed each reader."


class ApproveBulkAction(MembershipBulkDecision):
    """Approve the selected requests: each reader becomes a member and gets a welcome e-mail."""

    display_name = "Approve"
    action_type = "approve"
    aria_label = "Approve the selected requests"
    action_priority = 10
    past_tense = "approved"

    @classmethod
    def execute_action(cls, objects, *, by=None, reason="", **kwargs):
        for membership in objects:
            services.membership_grant(membership=membership, by=by, reason=reason)
        return len(objects), 0


class DeclineBulkAction(MembershipBulkDecision):
    """Decline the selected requests, telling each reader (with the reason, if given)."""

    display_name = "Decline"
    action_type = "decline"
    aria_label = "Decline the selected requests"
    action_priority = 20
    past_tense = "declined"

    @classmethod
    def execute_action(cls, objects, *, by=None, reason="", **kwargs):
        for membership in objects:
            services.membership_decline(membership=membership, by=by, reason=reason)
        return len(objects), 0
