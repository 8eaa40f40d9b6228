"""The moderation queue and its audit log as Wagtail's own admin views, and the e-mail approve link.

The queue is a :class:`~wagtail.snippets.views.snippets.SnippetViewSet` over comments: its tabs
(Pending, Flagged, Spam, Approved, Rejected) are the "Queue" filter, each with its count; it
filters by page, searches names, addresses and text, and decides through Wagtail's bulk actions
(approve, reject, spam, ban the author), each going through ``services.comments_moderate`` so
the audit log records it. The log is a read-only viewset over
:class:`~pressclub.comments.models_audit.ModerationAction`. Who may see and do any of it is
:func:`~pressclub.comments.admin_permissions.can_moderate`, through
:class:`ModeratorPermissionPolicy`; nobody adds, edits or deletes comments here.
"""

from __future__ import annotations

from collections import Counter

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from pressclub.core.admin_tables import STACKED_LISTING, LabelledColumn

from .admin_permissions import can_moderate
from .models import Comment, CommentStatus
from .models_audit import ModerationAction, ModerationChannel, ModerationVerb
from .services import ModerationError, comments_moderate
from .tokens import LinkError, moderation_token_read

PER_PAGE = 50
LOG_PER_PAGE = 100


class ModeratorPermissionPolicy(ModelPermissionPolicy):
    """Let those who may moderate view (and so decide on) a model's rows; refuse every other action.

    Comments are written by readers and the audit log by the services, never by hand in the admin.
    """

    def user_has_permission(self, user, action):
        """Return True for "view" when ``user`` may moderate; False for add, change and delete."""
        return action == "view" and can_moderate(user)

    def user_has_any_permission(self, user, actions):
        """Return True if "view" is among ``actions`` and ``user`` may moderate."""
        return "view" in actions and can_moderate(user)

    def user_has_permission_for_instance(self, user, action, instance):
        """Answer as :meth:`user_has_permission`: the same for every row."""
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        """Answer as :meth:`user_has_any_permission`: the same for every row."""
        return self.user_has_any_permission(user, actions)

    def instances_user_has_any_permission_for(self, user, actions):
        """Return every row when ``user`` may view, else none."""
        objects = self.model._default_manager
        return objects.all() if self.user_has_any_permission(user, actions) else objects.none()


# --- the queue ---------------------------------------------------------------------------------


class QueueTab:
    """One tab of the queue: a slug, a label, the condition its comments meet, and its order."""

    def __init__(self, slug: str, label: str, condition: Q, *, oldest_first: bool):
        self.slug, self.label, self.condition, self.oldest_first = slug, label, condition, oldest_first


TABS = [
    # Work queues read oldest first (first come, first served); archives newest first.
    QueueTab("pending", "Pending", Q(status=CommentStatus.PENDING), oldest_first=True),
    QueueTab("flagged", "Flagged", Q(flag_count__gt=0, status__in=[CommentStatus.PENDING, CommentStatus.APPROVED]),
             oldest_first=True),
    QueueTab("spam", "Spam", Q(status=CommentStatus.SPAM), oldest_first=False),
    QueueTab("approved", "Approved", Q(status=CommentStatus.APPROVED), oldest_first=False),
    # Not a work queue: where a rejection made by mistake can be undone.
    QueueTab("rejected", "Rejected", Q(status=CommentStatus.REJECTED), oldest_first=False),
]
TABS_BY_SLUG = {tab.slug: tab for tab in TABS}


def queue_tab(request) -> QueueTab:
    """Return the tab ``request`` asks for (``?queue=``), Pending when it names none or an unknown one."""
    return TABS_BY_SLUG.get(request.GET.get("queue", ""), TABS[0])


class CommentFilterSet(WagtailFilterSet):
    """The queue's filters: the tab (with each tab's count under the other filters) and the page."""

    queue = django_filters.ChoiceFilter(
        label="Queue", choices=[(tab.slug, tab.label) for tab in TABS], empty_label=None, method="filter_queue"
    )
    page = django_filters.NumberFilter(field_name="page_id", label="Page ID", min_value=1,
                                     help_text="The number in the page's admin address (/admin/pages/ID/).")

    class Meta:
        model = Comment
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if data.get("queue") not in TABS_BY_SLUG:  # none, or an unknown tab: the Pending tab
            data["queue"] = TABS[0].slug
        super().__init__(data, queryset, request=request, prefix=prefix)
        base = self.queryset
        page = self.data.get("page", "")
        if page.isascii() and page.isdigit():  # the form, built later, reports a malformed one
            base = base.filter(page_id=int(page))
        self.tab_counts = base.aggregate(**{tab.slug: Count("pk", filter=tab.condition) for tab in TABS})
        self.filters["queue"].extra["choices"] = [
            (tab.slug, f"{tab.label} ({self.tab_counts[tab.slug]})") for tab in TABS
        ]

    def filter_queue(self, queryset, name, value):
        """Return the comments of tab ``value``."""
        return queryset.filter(TABS_BY_SLUG[value].condition)


class CommentQueueView(IndexView):
    """The moderation queue: 50 comments a page, oldest first in work queues, newest first elsewhere."""

    paginate_by = PER_PAGE
    table_classname = STACKED_LISTING

    def order_queryset(self, queryset):
        """Order by the tab (see :data:`TABS`), the pk breaking ties, whatever ``?ordering`` says."""
        tab = queue_tab(self.request)
        return queryset.order_by(*(("created_at", "pk") if tab.oldest_first else ("-created_at", "-pk")))

    def get_base_queryset(self):
        """Return the comments with what each row shows (page, author, the parent's author, flags) loaded."""
        return Comment.objects.select_related("page", "user", "parent__user").prefetch_related("flags")

    def filter_queryset(self, queryset):
        """Apply the filters; when one is malformed (``?page=abc``), show the tab unfiltered, the
        error beside the field, rather than every comment."""
        if self.filters and not self.filters.is_valid():
            return queryset.filter(queue_tab(self.request).condition)
        return super().filter_queryset(queryset)

    @property
    def header_buttons(self):
        """Offer the audit log beside the queue's title."""
        return [*super().header_buttons,
                HeaderButton("Moderation log", url=reverse("comments_log:list"), icon_name="list-ul")]

    def get_list_more_buttons(self, instance):
        """Add the row's own decisions (each opens the confirm page of that one comment).

        They are buttons in the row itself, not in its "more" menu, so that a moderator on a
        phone sees and reaches them (the queue's table stacks its cells at narrow widths,
        ``core/css/admin_listings.css``).
        """
        buttons = list(super().get_list_more_buttons(instance))
        query = urlencode({"id": instance.pk, "next": self.request.get_full_path()})
        decisions = []
        if instance.status != CommentStatus.APPROVED:
            decisions.append(("approve", "Approve", "check"))
        elif instance.flag_count:
            decisions.append(("approve", "Keep (dismiss flags)", "check"))
        if instance.status != CommentStatus.REJECTED:
            decisions.append(("reject", "Reject", "cross"))
        if instance.status != CommentStatus.SPAM:
            decisions.append(("spam", "Spam", "warning"))
        for priority, (action, label, icon) in enumerate(decisions, start=1):
            url = reverse("wagtail_bulk_action", args=("comments", "comment", action))
            buttons.append(ListingButton(
                label, url=f"{url}?{query}", icon_name=icon, priority=priority, classname=f"decision-{action}"
            ))
        return buttons


def flag_reasons_text(comment) -> str:
    """Return the members' flags on ``comment`` as "3: “reason” (2×); “other”", or "" when none.

    The number is ``flag_count``, or the flag rows when there are more.

    Reads ``comment.flags.all()`` (prefetched by the queue); identical reasons are counted once and
    listed in the order first given. Empty for an unflagged comment, so a phone's stacked row shows
    no empty "Flagged" line.
    """
    counts = Counter(" ".join(flag.reason.split()) or "no reason given" for flag in comment.flags.all())
    total = max(comment.flag_count, counts.total())  # flags from before reasons were kept have no row
    if not total:
        return ""
    reasons = "; ".join(f"“{reason}”" + (f" ({n}×)" if n > 1 else "") for reason, n in counts.items())
    return f"{total}: {reasons}" if reasons else str(total)


class CommentViewSet(SnippetViewSet):
    """The "Comments" menu item: the moderation queue."""

    model = Comment
    icon = "comment"
    menu_label = "Comments"
    menu_name = "comments"
    menu_order = 250
    add_to_admin_menu = True
    base_url_path = "comments"
    url_namespace = "comments_queue"
    index_view_class = CommentQueueView
    filterset_class = CommentFilterSet
    search_fields = ["author_name", "author_email", "user__display_name", "user__email", "body"]
    list_display = [
        "display_name",  # the row's title, with its inspect link and decision buttons
        Column("excerpt", label="Comment", accessor=lambda c: (c.body or "")[:300]),
        LabelledColumn("page", label="Page", accessor=lambda c: c.page.title),
        Column("status", label="Status", accessor="get_status_display"),
        LabelledColumn("hold_text", label="Held because"),
        LabelledColumn("flag_reasons", label="Flagged by members", accessor=flag_reasons_text),
        DateColumn("created_at", label="Posted"),
    ]
    list_per_page = PER_PAGE
    inspect_view_enabled = True
    copy_view_enabled = False


class ModerationLogViewSet(SnippetViewSet):
    """The audit log: every moderator's decision, newest first, filtered by what and where."""

    model = ModerationAction
    icon = "list-ul"
    menu_label = "Moderation log"
    add_to_admin_menu = False
    base_url_path = "comments/log"
    url_namespace = "comments_log"
    list_filter = ["verb", "channel"]
    search_fields = ["note", "comment_excerpt", "moderator_email"]
    list_display = [
        DateColumn("created_at", label="When"),
        Column("moderator", label="Who", accessor=lambda a: a.moderator.public_name if a.moderator else a.moderator_email),
        Column("what", label="What", accessor=lambda a: (
            f"{a.get_verb_display()} ({a.from_status} → {a.to_status}) via {a.get_channel_display().lower()}")),
        Column("comment_excerpt", label="Comment"),
        Column("note", label="Note"),
    ]
    list_per_page = LOG_PER_PAGE
    ordering = ["-created_at", "-pk"]
    copy_view_enabled = False

    def get_queryset(self, request):
        """Return the log with the moderator loaded, newest first."""
        return ModerationAction.objects.select_related("moderator").order_by("-created_at", "-pk")


# --- decisions ---------------------------------------------------------------------------------


class ModerationNoteForm(forms.Form):
    """What the moderator may add to a decision: a note for the moderation log."""

    note = forms.CharField(
        label="Note", max_length=500, required=False, strip=True, help_text="Kept in the moderation log.",
    )


class BanNoteForm(ModerationNoteForm):
    """A ban's note: kept in the log and e-mailed to the banned author as the reason."""

    note = forms.CharField(
        label="Reason", max_length=500, required=False, strip=True,
        help_text="Kept in the moderation log and e-mailed to the author as the reason for the ban.",
    )


class CommentBulkAction(SnippetBulkAction):
    """A moderator's decision on the selected comments, through ``services.comments_moderate``."""

    models = [Comment]
    verb = ""
    form_class = ModerationNoteForm
    template_name = "comments/admin/bulk_decision.html"

    def dispatch(self, request, *args, **kwargs):
        """Refuse (403, which the admin shows as a message on the dashboard) those who may not moderate."""
        if not can_moderate(request.user):
            raise PermissionDenied("You may not moderate comments.")
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def get_queryset(cls, model, object_ids):
        """Return the selected comments, oldest first (the order they are decided and logged in).

        Raise Http404 when none of ``object_ids`` names a comment (malformed ids are ignored).
        """
        ids = [int(pk) for pk in object_ids if str(pk).isascii() and str(pk).isdigit() and len(str(pk)) < 19]
        comments = list(Comment.objects.filter(pk__in=ids).select_related("user", "page").order_by("created_at", "pk"))
        if not comments:
            raise Http404("No such comments.")
        return comments

    def get_execution_context(self):
        """Pass the moderator and the note to :meth:`execute_action`."""
        return {"moderator": self.request.user, "note": self.cleaned_form.cleaned_data["note"], "view": self}

    @classmethod
    def execute_action(cls, objects, moderator=None, note="", view=None, **kwargs):
        """Decide on ``objects`` and return (comments changed, 0); a refusal is shown as an error."""
        try:
            actions = comments_moderate(comments=objects, verb=cls.verb, moderator=moderator, note=note)
        except ModerationError as error:
            view.refusal = str(error)
            return 0, 0
        return len(actions), 0

    def form_valid(self, form):
        """Apply the decision; on a refusal (e.g. a ban without a reason) show the form again, saying why."""
        self.refusal = ""
        response = super().form_valid(form)
        if self.refusal:
            form.add_error(None, self.refusal)
            return self.form_invalid(form)
        return response

    def get_success_message(self, num_parent_objects, num_child_objects):
        """Say what was done ("Approved: 2 comments."), or that the comments were already so."""
        if getattr(self, "refusal", ""):
            return None
        if not num_parent_objects:
            return "Nothing changed: the selected comments were already in that state."
        plural = "" if num_parent_objects == 1 else "s"
        return f"{ModerationVerb(self.verb).label}: {num_parent_objects} comment{plural}."


class ApproveBulkAction(CommentBulkAction):
    """Approve the selected comments (on a shown, flagged comment: keep it and dismiss its flags)."""

    display_name = "Approve"
    action_type = "approve"
    aria_label = "Approve the selected comments"
    verb = ModerationVerb.APPROVE
    action_priority = 10


class RejectBulkAction(CommentBulkAction):
    """Reject the selected comments."""

    display_name = "Reject"
    action_type = "reject"
    aria_label = "Reject the selected comments"
    verb = ModerationVerb.REJECT
    action_priority = 20


class SpamBulkAction(CommentBulkAction):
    """Mark the selected comments as spam."""

    display_name = "Mark as spam"
    action_type = "spam"
    aria_label = "Mark the selected comments as spam"
    verb = ModerationVerb.SPAM
    action_priority = 30


class BanBulkAction(CommentBulkAction):
    """Ban the authors of the selected comments (the note is the reason sent to them) and reject."""

    display_name = "Ban the author (and reject)"
    action_type = "ban"
    aria_label = "Ban the authors of the selected comments"
    verb = ModerationVerb.BAN
    form_class = BanNoteForm
    action_priority = 40


BULK_ACTIONS = [ApproveBulkAction, RejectBulkAction, SpamBulkAction, BanBulkAction]


# --- the e-mail approve link -------------------------------------------------------------------


class ApproveLinkView(View):
    """The page a moderation e-mail's "Approve" link opens.

    GET shows the comment and its article with a confirm button and changes nothing (mail
    scanners follow links). POST approves and logs the decision with channel "email". A tampered,
    truncated or expired token, or one naming a deleted comment, gets a 400 page that says so.
    Those who may not moderate are turned away (403).
    """

    template_name = "comments/admin/approve_link.html"

    def dispatch(self, request, *args, **kwargs):
        """Refuse admin users who may not moderate comments."""
        if not can_moderate(request.user):
            raise PermissionDenied("You may not moderate comments.")
        return super().dispatch(request, *args, **kwargs)

    def _load(self, request, token):
        try:
            link = moderation_token_read(token)
        except LinkError as error:
            return None, self._refuse(request, error.message)
        comment = Comment.objects.select_related("page", "user").filter(pk=link.comment_id).first()
        if comment is None:
            return None, self._refuse(request, "The comment this link names has been deleted.")
        return comment, None

    def _refuse(self, request, message, status=400):
        return TemplateResponse(request, self.template_name, {"error": message}, status=status)

    def get(self, request, token):
        """Show the comment and the confirm button."""
        comment, refusal = self._load(request, token)
        if refusal:
            return refusal
        return TemplateResponse(request, self.template_name, {"comment": comment, "token": token})

    def post(self, request, token):
        """Approve the comment (if it still waits) and go to the queue."""
        comment, refusal = self._load(request, token)
        if refusal:
            return refusal
        if comment.status != CommentStatus.PENDING:
            # Someone already decided; the link must not overturn that decision.
            return TemplateResponse(request, self.template_name, {"comment": comment, "token": token}, status=409)
        comments_moderate(
            comments=[comment], verb=ModerationVerb.APPROVE, moderator=request.user, channel=ModerationChannel.EMAIL
        )
        messages.success(request, f"Approved the comment by {comment.display_name}.")
        return redirect("comments_queue:list")
