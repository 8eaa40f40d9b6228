"""Membership in the Wagtail admin: requests to decide, members to suspend or ban, invitations.

Every view sits behind Wagtail's admin login (``register_admin_urls``) and then behind the
``members.decide_membership`` permission (granted to the Editors group): others get 403. Actions
change nothing on GET; they show a form, and POST calls ``members.services``.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View

from pressclub.core.text import strip_control_chars

from . import services
from .forms import DecisionForm, InvitationForm, SuspendForm
from .models import Invitation, Membership, User

PER_PAGE = 50
PERMISSION = "members.decide_membership"

TABS = [
    ("requested", "Requests", "No one is waiting for a decision."),
    ("active", "Members", "No active members yet."),
    ("suspended", "Suspended", "No one is suspended."),
    ("banned", "Banned", "No one is banned."),
    ("declined", "Declined", "No request has been declined."),
]
TAB_SLUGS = [slug for slug, _, _ in TABS]


def can_decide(user) -> bool:
    """Return True if ``user`` may decide on memberships and send invitations."""
    return bool(user.is_authenticated and user.has_perm(PERMISSION))


class DeciderRequiredMixin:
    """Refuse (403) admin users without ``members.decide_membership``, then :meth:`load` the URL's objects.

    The check comes first, so others never learn which objects exist (403, not 404).
    """

    def dispatch(self, request, *args, **kwargs):
        if not can_decide(request.user):
            raise PermissionDenied("You may not decide on memberships.")
        self.load(**kwargs)
        return super().dispatch(request, *args)

    def load(self, **kwargs) -> None:
        """Fetch what the URL's ``kwargs`` name onto the view; raise Http404 if missing. Nothing by default."""


class MembershipIndexView(DeciderRequiredMixin, View):
    """List memberships of one status (tab), newest request first, searchable by e-mail or name."""

    def get(self, request):
        status = request.GET.get("status", "requested")
        if status not in TAB_SLUGS:
            status = "requested"
        query = strip_control_chars(request.GET.get("q") or "").strip()[:200]
        if status == "requested":  # first come, first served
            memberships = Membership.objects.requested()
        else:
            memberships = Membership.objects.filter(status=status)
        memberships = memberships.select_related("user", "decided_by")
        if query:
            memberships = memberships.filter(
                Q(user__email__icontains=query) | Q(user__display_name__icontains=query)
            )
        page = Paginator(memberships, PER_PAGE).get_page(request.GET.get("p"))
        counts = dict.fromkeys(TAB_SLUGS, 0)
        for row in Membership.objects.order_by().values("status").annotate(n=Count("pk")):
            counts[row["status"]] = row["n"]
        tabs = [{"slug": s, "label": label, "count": counts[s], "empty": empty} for s, label, empty in TABS]
        current = next(tab for tab in tabs if tab["slug"] == status)
        return TemplateResponse(
            request,
            "members/admin/index.html",
            {"tabs": tabs, "current": current, "page_obj": page, "query": query, "status": status},
        )


class MembershipDecisionView(DeciderRequiredMixin, View):
    """Approve, decline or reinstate one membership, with an optional reason sent to the reader."""

    actions = {
        "approve": ("Approve", "approved"),
        "decline": ("Decline", "declined"),
        "reinstate": ("Reinstate", "reinstated"),
    }

    def load(self, *, pk, action):
        self.membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk)
        self.action = action

    def render(self, form, status=200):
        label, _ = self.actions[self.action]
        context = {"membership": self.membership, "form": form, "action": self.action, "label": label}
        return TemplateResponse(self.request, "members/admin/decide.html", context, status=status)

    def get(self, request):
        return self.render(DecisionForm())

    def post(self, request):
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        reason = form.cleaned_data["reason"]
        try:
            if self.action == "decline":
                services.membership_decline(membership=self.membership, by=request.user, reason=reason)
            else:
                services.membership_grant(membership=self.membership, by=request.user, reason=reason)
        except services.MembershipError as error:
            form.add_error(None, str(error))
            return self.render(form, status=400)
        _, done = self.actions[self.action]
        messages.success(request, f"{self.membership.user.email}: {done}. We have e-mailed them.")
        return redirect(reverse("memberships:index") + f"?status={self.membership.status}")


class RestrictView(DeciderRequiredMixin, View):
    """Suspend (optionally until a date) or ban one account, with a reason sent to them."""

    def load(self, *, user_pk):
        self.account = get_object_or_404(User, pk=user_pk)

    def render(self, form, status=200):
        return TemplateResponse(
            self.request,
            "members/admin/restrict.html",
            {"account": self.account, "form": form},
            status=status,
        )

    def get(self, request):
        return self.render(
            SuspendForm(initial={"action": request.GET.get("action", SuspendForm.ACTION_SUSPEND)})
        )

    def post(self, request):
        form = SuspendForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        reason = form.cleaned_data["reason"]
        try:
            if form.cleaned_data["action"] == SuspendForm.ACTION_BAN:
                services.membership_ban(user=self.account, by=request.user, reason=reason)
                done = "banned"
            else:
                day = form.cleaned_data["until"]
                until = timezone.make_aware(dt.datetime.combine(day, dt.time.min)) if day else None
                services.membership_suspend(user=self.account, by=request.user, reason=reason, until=until)
                done = "suspended"
        except services.MembershipError as error:
            form.add_error(None, str(error))
            return self.render(form, status=400)
        messages.success(request, f"{self.account.email}: {done}. We have e-mailed them.")
        return redirect(reverse("memberships:index") + f"?status={done}")


class FindAccountView(DeciderRequiredMixin, View):
    """Go from an e-mail address to the suspend/ban form of its account (for editors and authors too)."""

    def get(self, request):
        email = strip_control_chars(request.GET.get("email") or "").strip()[:254]
        account = User.objects.filter(email__iexact=email).first() if email else None
        if account is None:
            messages.error(request, f"No account has the address “{email[:200]}”.")
            return redirect("memberships:index")
        return redirect("memberships:restrict", user_pk=account.pk)


class InvitationView(DeciderRequiredMixin, View):
    """Send invitations by e-mail, and list those sent (newest first)."""

    def render(self, form, status=200):
        page = Paginator(Invitation.objects.select_related("invited_by", "accepted_by"), PER_PAGE).get_page(
            self.request.GET.get("p")
        )
        context = {"form": form, "page_obj": page, "now": timezone.now()}
        return TemplateResponse(self.request, "members/admin/invitations.html", context, status=status)

    def get(self, request):
        return self.render(InvitationForm())

    def post(self, request):
        form = InvitationForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            invitation = services.invitation_send(
                email=form.cleaned_data["email"], by=request.user, note=form.cleaned_data["note"]
            )
        except services.MembershipError as error:
            form.add_error("email", str(error))
            return self.render(form, status=400)
        messages.success(request, f"Invitation sent to {invitation.email}.")
        return redirect("memberships:invitations")
