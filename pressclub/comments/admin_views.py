"""The moderation queue, its audit log and the e-mail approve link, inside the Wagtail admin.

Every view here sits behind Wagtail's admin login (``register_admin_urls``) and then behind
:func:`~pressclub.comments.admin_permissions.can_moderate`: an admin user who may not moderate gets 403.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from wagtail.models import Page

from .admin_permissions import can_moderate
from .models import Comment, CommentStatus
from .models_audit import ModerationAction, ModerationChannel, ModerationVerb
from .services import ModerationError, comments_moderate
from .tokens import LinkError, moderation_token_read

PER_PAGE = 50
LOG_PER_PAGE = 100
# Articles offered in the filter menu: those with the most recent comments in the current tab.
ARTICLE_CHOICES_LIMIT = 100


class QueueTab:
    """One tab of the queue: a slug, a label and the condition its comments meet."""

    def __init__(self, slug: str, label: str, condition: Q, empty: str):
        self.slug, self.label, self.condition, self.empty = slug, label, condition, empty


TABS = [
    QueueTab("pending", "Pending", Q(status=CommentStatus.PENDING), "No comments are waiting for moderation."),
    QueueTab(
        "flagged",
        "Flagged",
        Q(flag_count__gt=0, status__in=[CommentStatus.PENDING, CommentStatus.APPROVED]),
        "No comment has been flagged by readers.",
    ),
    QueueTab("spam", "Spam", Q(status=CommentStatus.SPAM), "No comment is marked as spam."),
    QueueTab("approved", "Approved", Q(status=CommentStatus.APPROVED), "No comment has been approved yet."),
    # Not a work queue: where a rejection made by mistake can be undone.
    QueueTab("rejected", "Rejected", Q(status=CommentStatus.REJECTED), "No comment has been rejected."),
]
TABS_BY_SLUG = {tab.slug: tab for tab in TABS}
# What the bulk menu offers, in the imperative (the log's labels are in the past tense).
BULK_CHOICES = [
    (ModerationVerb.APPROVE.value, "Approve"),
    (ModerationVerb.REJECT.value, "Reject"),
    (ModerationVerb.SPAM.value, "Mark as spam"),
    (ModerationVerb.BAN.value, "Ban the author (and reject)"),
]


class ModeratorRequiredMixin:
    """Refuse (403) admin users who may not moderate comments."""

    def dispatch(self, request, *args, **kwargs):
        if not can_moderate(request.user):
            raise PermissionDenied("You may not moderate comments.")
        return super().dispatch(request, *args, **kwargs)


class BulkModerationForm(forms.Form):
    """The queue's bulk form: which comments, what to do with them, and an optional note."""

    action = forms.ChoiceField(choices=BULK_CHOICES, error_messages={"required": "Choose an action first."})
    comments = forms.ModelMultipleChoiceField(
        queryset=Comment.objects.all(),
        error_messages={"required": "Select at least one comment first."},
    )
    note = forms.CharField(max_length=500, required=False, strip=True)


class QueueFilterForm(forms.Form):
    """Filters over the queue: one article (a page id), and an author (name or e-mail, partial match)."""

    article = forms.IntegerField(required=False, min_value=1, label="Article")
    author = forms.CharField(max_length=200, required=False, strip=True, label="Author (name or e-mail)")


def _author_condition(text: str) -> Q:
    return (
        Q(author_name__icontains=text)
        | Q(author_email__icontains=text)
        | Q(user__display_name__icontains=text)
        | Q(user__email__icontains=text)
    )


class ModerationQueueView(ModeratorRequiredMixin, View):
    """List comments by tab (Pending, Flagged, Spam, Approved, Rejected) and apply bulk decisions.

    GET parameters: ``tab`` (a tab slug, default "pending"), ``article`` (a page id), ``author``
    (text matched against names and e-mail addresses), ``p`` (page number, 50 comments a page).
    POST takes :class:`BulkModerationForm` fields (or ``row_action=<verb>:<comment id>`` from a
    row's own button) and ``next``, the queue URL to return to.
    """

    template_name = "comments/admin/queue.html"

    def get(self, request):
        tab = TABS_BY_SLUG.get(request.GET.get("tab", ""), TABS[0])
        base = Comment.objects.all()

        filters = QueueFilterForm(request.GET)
        filtered = base
        article = None
        if filters.is_valid():  # else (e.g. ?article=abc) the queue is shown unfiltered, the error beside the field
            if filters.cleaned_data["article"]:
                article = Page.objects.filter(pk=filters.cleaned_data["article"]).first()
                filtered = filtered.filter(page_id=filters.cleaned_data["article"])
            if filters.cleaned_data["author"]:
                filtered = filtered.filter(_author_condition(filters.cleaned_data["author"]))
        # The article menu offers the pages with comments in this tab, so it stays short; an article
        # reached through a row's link is added when it is not among them.
        article_choices = list(
            Page.objects.filter(pk__in=base.filter(tab.condition).values("page_id"))
            .order_by("title")
            .values_list("pk", "title")[:ARTICLE_CHOICES_LIMIT]
        )
        if article is not None and article.pk not in {pk for pk, _ in article_choices}:
            article_choices.insert(0, (article.pk, article.title))

        counts = filtered.aggregate(**{t.slug: Count("pk", filter=t.condition) for t in TABS})
        # Work queues read oldest first (first come, first served); archives newest first.
        ordering = ("created_at", "pk") if tab.slug in ("pending", "flagged") else ("-created_at", "-pk")
        rows = filtered.filter(tab.condition).select_related("page", "user", "parent__user").order_by(*ordering)
        paginator = Paginator(rows, PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("p"))

        query = request.GET.copy()
        query.pop("p", None)
        tab_links = []
        for t in TABS:
            query["tab"] = t.slug
            tab_links.append({"tab": t, "count": counts[t.slug], "url": f"?{query.urlencode()}", "active": t is tab})

        context = {
            "tab": tab,
            "tab_links": tab_links,
            "filters": filters,
            "article": article,
            "article_choices": article_choices,
            "page_obj": page_obj,
            "items": page_obj,
            "elided_page_range": paginator.get_elided_page_range(page_obj.number),
            "verbs": BULK_CHOICES,
            "next_url": request.get_full_path(),
            "is_filtered": filters.is_valid() and bool(filters.cleaned_data["article"] or filters.cleaned_data["author"]),
        }
        return TemplateResponse(request, self.template_name, context)

    def post(self, request):
        data = request.POST.copy()
        row_action = data.get("row_action", "")
        if row_action:
            verb, _, pk = row_action.partition(":")
            data.setlist("comments", [pk])
            data["action"] = verb
        form = BulkModerationForm(data)
        next_url = data.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            next_url = reverse("comments_moderation:queue")
        if not form.is_valid():
            for field_errors in form.errors.values():
                for error in field_errors:
                    messages.error(request, error)
            return HttpResponseRedirect(next_url)
        verb = form.cleaned_data["action"]
        selected = list(form.cleaned_data["comments"].select_related("user", "page").order_by("created_at", "pk"))
        try:
            actions = comments_moderate(
                comments=selected, verb=verb, moderator=request.user, note=form.cleaned_data["note"]
            )
        except ModerationError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(next_url)
        count = len(actions)
        if count:
            messages.success(request, f"{ModerationVerb(verb).label}: {count} comment{'' if count == 1 else 's'}.")
        else:
            messages.info(request, "Nothing changed: the selected comments were already in that state.")
        return HttpResponseRedirect(next_url)


class ModerationLogView(ModeratorRequiredMixin, View):
    """List the audit log newest first, 100 rows a page (``p`` is the page number)."""

    template_name = "comments/admin/log.html"

    def get(self, request):
        paginator = Paginator(ModerationAction.objects.recent(), LOG_PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("p"))
        context = {
            "page_obj": page_obj,
            "items": page_obj,
            "elided_page_range": paginator.get_elided_page_range(page_obj.number),
        }
        return TemplateResponse(request, self.template_name, context)


class ApproveLinkView(ModeratorRequiredMixin, View):
    """The page a moderation e-mail's "Approve" link opens.

    GET shows the comment and its article with a confirm button and changes nothing (mail
    scanners follow links). POST approves and logs the decision with channel "email". A tampered,
    truncated or expired token, or one naming a deleted comment, gets a 400 page that says so.
    """

    template_name = "comments/admin/approve_link.html"

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
        comment, refusal = self._load(request, token)
        if refusal:
            return refusal
        return TemplateResponse(request, self.template_name, {"comment": comment, "token": token})

    def post(self, request, token):
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
        return redirect("comments_moderation:queue")
