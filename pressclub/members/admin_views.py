"""The membership admin's own forms, mounted by the viewsets in ``members.viewsets``.

Each view is a Wagtail admin view behind the permission policy of ``members.permissions``: those
who may not decide are turned away (Wagtail redirects them to the dashboard) before any object is
looked up, so they never learn which ids exist. Nothing changes on GET; POST calls
``members.services``, which e-mails the reader. A form that does not validate comes back with
status 400 and everything typed in it.
"""

import datetime as dt

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic import CreateView, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from pressclub.core.text import strip_control_chars

from . import services
from .forms import DecisionForm, FindAccountForm, InvitationForm, SuspendForm
from .models import Membership, MembershipStatus, User


class DeciderFormView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Base of the decision forms: check ``decide`` first, then :meth:`load` the URL's objects.

    ``index_url_name`` (the membership list) and ``breadcrumbs_items`` come from the viewset.
    """

    model = Membership
    permission_required = "decide"
    header_icon = "group"
    index_url_name = None
    template_name = "members/admin/decide.html"
    submit_button_label = ""

    # PermissionCheckedMixin.dispatch() refuses first; get() and post() then load().
    def get(self, request, *args, **kwargs):
        self.load(**kwargs)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.load(**kwargs)
        return super().post(request, *args, **kwargs)

    def load(self, **kwargs) -> None:
        """Fetch the objects named by the URL's ``kwargs`` onto the view; raise Http404 if missing."""

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": "Memberships"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=self.request.get_full_path(),
            submit_button_label=self.submit_button_label,
            submit_button_active_label=self.submit_button_label,
            index_url=reverse(self.index_url_name),
        )
        return context

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def done(self, message: str, status: str):
        """Show ``message`` and go back to the list, filtered to ``status``."""
        messages.success(self.request, message)
        return redirect(reverse(self.index_url_name) + f"?status={status}")


class MembershipDecisionView(DeciderFormView):
    """Approve, decline or reinstate one membership, with an optional reason sent to the reader.

    ``action`` (given to ``as_view()``) is one of :attr:`actions`.
    """

    action = "approve"
    form_class = DecisionForm
    actions = {
        "approve": ("Approve", "approved"),
        "decline": ("Decline", "declined"),
        "reinstate": ("Reinstate", "reinstated"),
    }

    def load(self, *, pk):
        self.membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk)

    @property
    def submit_button_label(self):
        if self.action == "reinstate" and self.membership.status == MembershipStatus.DECLINED:
            return "Admit"
        return self.actions[self.action][0]

    def get_page_title(self):
        return self.submit_button_label

    def get_page_subtitle(self):
        return self.membership.user.email

    def get_context_data(self, **kwargs):
        return super().get_context_data(membership=self.membership, action=self.action, **kwargs)

    def form_valid(self, form):
        reason = form.cleaned_data["reason"]
        if self.action != "decline" and self.membership.status == MembershipStatus.ACTIVE:
            return self.done(
                f"{self.membership.user.email} is a member already. Nothing was changed or sent.",
                self.membership.status,
            )
        try:
            if self.action == "decline":
                services.membership_decline(membership=self.membership, by=self.request.user, reason=reason)
            else:
                services.membership_grant(membership=self.membership, by=self.request.user, reason=reason)
        except services.MembershipError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        _, done = self.actions[self.action]
        return self.done(
            f"{self.membership.user.email}: {done}. We have e-mailed them.", self.membership.status
        )


class RestrictView(DeciderFormView):
    """Suspend (optionally until a date) or ban one account, with a reason sent to them.

    The account is named by user id: staff and authors are members without a membership row, and
    may be suspended or banned too.
    """

    form_class = SuspendForm
    template_name = "members/admin/restrict.html"
    page_title = "Suspend or ban"
    submit_button_label = "Apply"

    def load(self, *, user_pk):
        self.account = get_object_or_404(User, pk=user_pk)

    def get_page_subtitle(self):
        return self.account.email

    def get_initial(self):
        action = self.request.GET.get("action")
        return {"action": action if action == SuspendForm.ACTION_BAN else SuspendForm.ACTION_SUSPEND}

    def get_context_data(self, **kwargs):
        return super().get_context_data(account=self.account, **kwargs)

    def form_valid(self, form):
        reason = form.cleaned_data["reason"]
        try:
            if form.cleaned_data["action"] == SuspendForm.ACTION_BAN:
                services.membership_ban(user=self.account, by=self.request.user, reason=reason)
                done = MembershipStatus.BANNED
            else:
                day = form.cleaned_data["until"]
                until = timezone.make_aware(dt.datetime.combine(day, dt.time.min)) if day else None
                services.membership_suspend(
                    user=self.account, by=self.request.user, reason=reason, until=until
                )
                done = MembershipStatus.SUSPENDED
        except services.MembershipError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return self.done(f"{self.account.email}: {done}. We have e-mailed them.", done)


class FindAccountView(DeciderFormView):
    """Go from an e-mail address to the suspend/ban form of its account (editors and authors too).

    A GET form: ``?email=`` names the account; an unknown address is said so under the field.
    """

    form_class = FindAccountForm
    template_name = "members/admin/find.html"
    page_title = "Suspend or ban an account"
    submit_button_label = "Find"
    restrict_url_name = None

    def get(self, request, *args, **kwargs):
        if "email" not in request.GET:
            return self.render_to_response(self.get_context_data(form=FindAccountForm()))
        form = FindAccountForm({"email": clean_query(request.GET["email"], limit=254)})
        if form.is_valid():
            email = form.cleaned_data["email"]
            account = User.objects.filter(email__iexact=email).first()
            if account is not None:
                return redirect(self.restrict_url_name, user_pk=account.pk)
            form.add_error("email", f"No account has the address “{email}”.")
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        return self.http_method_not_allowed(request, *args, **kwargs)


class InvitationCreateView(CreateView):
    """Invite a person by e-mail through ``services.invitation_send`` (which renews a pending one)."""

    form_class = InvitationForm
    page_title = "Invite someone"
    submit_button_label = "Send invitation"
    submit_button_active_label = "Sending…"

    @cached_property
    def add_url(self):
        return reverse(self.add_url_name)

    def form_valid(self, form):
        self.form = form
        try:
            self.object = services.invitation_send(
                email=form.cleaned_data["email"], by=self.request.user, note=form.cleaned_data["note"]
            )
        except services.MembershipError as error:
            form.add_error("email", str(error))
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        return self.save_action()

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def get_success_message(self, instance):
        return f"Invitation sent to {instance.email}."

    def get_success_buttons(self):
        return []


def clean_query(value: str, *, limit: int) -> str:
    """Return ``value`` without control characters, stripped and cut to ``limit`` characters."""
    return strip_control_chars(value or "").strip()[:limit]
