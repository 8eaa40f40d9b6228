"""Reader views: post, reply, edit, delete and flag comments; confirm an address; unsubscribe.

All of them work without JavaScript. A successful POST redirects (303) to the comment's permalink
on its page; a refused one shows the form again with the typed text and the reason.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, RawPostDataException
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from pressclub.core import errors
from pressclub.core.compiled import CompiledQuery, primary_key
from pressclub.core.http import client_ip
from pressclub.core.restrictions import private_q, restriction_paths
from pressclub.core.routing import site_root_paths

from . import services
from .forms import SESSION_OWN_COMMENTS, CommentEditForm, CommentFlagForm, CommentForm
from .models import Comment, CommentStatus, NotificationKind
from .notifications import unsubscribe
from .policy import CommentPolicy, comment_permission, site_policy_settings
from .text import MAX_BODY_CHARS
from .thread import comment_link
from .tokens import LinkError, confirm_token_read, unsubscribe_token_read

STATUS_FOR_CODE = {"rate_limited": 429, "login_required": 403, "not_member": 403, "banned": 403,
                   "suspended": 403, "unverified": 403, "membership_requested": 403, "closed": 403,
                   "auto_closed": 403, "hidden": 403, "not_author": 403}
BROKEN_REPLY_LINK = gettext_lazy("The comment you replied to no longer exists or the reply link is broken.")
# Said after a refused reply whose comment is gone: the form comes back as a new comment's.
AS_NEW_COMMENT = gettext_lazy("Your text is kept below: post it as a new comment.")
NOT_UTF8 = gettext_lazy(
    "Your browser sent the comment in a character encoding other than UTF-8, so some letters could not "
    "be read (they show as � below). Check the text, correct those letters and post again."
)


def _undecodable(request: HttpRequest) -> bool:
    """Return True if a form POST declared (or defaulted to) UTF-8 but its bytes are not UTF-8.

    Django decodes such bytes to U+FFFD; storing that would garble the comment for good. (A form
    that declares another known charset arrives here already re-encoded as UTF-8:
    ``core.forms_charset``.)
    """
    if request.content_type != "application/x-www-form-urlencoded":
        return False
    try:
        raw = request.body
    except RawPostDataException:  # already streamed (not a urlencoded form): nothing to check
        return False
    try:
        parse_qsl(raw.decode("ascii"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return True
    return False
CSRF_EXPIRED = (
    "the page was open too long (or your browser lost its cookie), so for your safety the comment "
    "was not accepted. Your text is below: send it again."
)


# A live page outside every view restriction: its type, then the page from its own model's tables
# (as Wagtail's specific() reads it), each compiled once per process (core.compiled): a POST
# builds no queryset for them.
_PAGE_ID = primary_key()
_page_type = CompiledQuery(
    lambda restricted, page_id: Page.objects.live().exclude(private_q(restricted)).filter(pk=page_id)
    .values_list("content_type_id", flat=True)[:1],
    model=Page, slots={"page_id": _PAGE_ID},
)
_specific_pages: dict = {}


def _specific_page(model) -> CompiledQuery:
    query = _specific_pages.get(model)
    if query is None:
        query = _specific_pages[model] = CompiledQuery(
            lambda _shape, page_id: model._default_manager.filter(pk=page_id)[:1], model=model, slots={"page_id": _PAGE_ID}
        )
    return query


def _page(page_id: int) -> Page:
    # The view restrictions come from the cached list (core.restrictions), not a query each time.
    restricted, _aliases = restriction_paths()
    content_types = _page_type.rows(shape=restricted, page_id=page_id)
    if not content_types:
        raise Http404("No such page.")
    model = ContentType.objects.get_for_id(content_types[0]).model_class()
    page = _specific_page(model).instance(page_id=page_id) if model is not None else None
    if page is None:  # a type whose model is gone, or a page deleted in between: Wagtail's way
        page = Page.objects.live().exclude(private_q(restricted)).filter(pk=page_id).specific().first()
        if page is None:
            raise Http404("No such page.")
    return page


def _visible_comment(comment_id: int) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("page", "user"), pk=comment_id, status=CommentStatus.APPROVED,
        is_deleted=False, page__live=True,
    )


def _form_page(request, *, page, form, decision=None, parent=None, message="", status=200, retry_after=None,
               existing=None):
    response = render(
        request,
        "comments/comment_form_page.html",
        {"page": page, "form": form, "decision": decision, "parent": parent, "message": message,
         "existing": existing, "comment_post_url": reverse("comments:post", args=[page.pk])},
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _as_new_comment(request) -> CommentForm:
    """Return the comment form as posted, without the comment it replied to: the text, name and
    other fields kept, to be posted as a new comment."""
    data = request.POST.copy()
    data["parent"] = ""
    form = CommentForm(data, anonymous=not request.user.is_authenticated)
    form.is_valid()
    return form


def _notify_default(user) -> bool:
    return bool(getattr(user, "notify_replies", True)) if user.is_authenticated else False


@require_http_methods(["GET", "POST"])
def comment_post(request: HttpRequest, page_id: int) -> HttpResponse:
    """Post a comment or reply on page ``page_id``; 303 to ``<page url>#comment-<id>`` when saved.

    A GET (a reload or a revisit of this address after a refused post) is sent with a 303 to the
    page's comment section, never a blank 405.

    On a refusal (see ``services.CommentRejected``) the form page comes back with the text kept and
    the reason: status 400, 403 when the person may not comment, 429 with ``Retry-After`` (seconds)
    when over a rate limit. A form whose bytes are not UTF-8 is refused (400) rather than stored
    garbled.
    """
    page = _page(page_id)
    # The sites this request reads answer the page's URLs for the purge after the commit too (it
    # has no request): no read of Wagtail's own copy of them.
    page._wagtail_cached_site_root_paths = site_root_paths(request)
    if request.method == "GET":
        url = page.get_url(request)
        if not url:  # a page no site shows (the tree's root): nothing to go back to
            raise Http404("No such page.")
        return HttpResponseRedirect(url + "#comments", status=303)
    form = CommentForm(request.POST, anonymous=not request.user.is_authenticated)
    parent = None
    if _undecodable(request):
        form.is_valid()
        return _form_page(request, page=page, form=form, message=NOT_UTF8, status=400)
    if not form.is_valid():
        return _form_page(request, page=page, form=form, message=_("Check the fields marked below."), status=400)
    data = form.cleaned_data
    try:
        parent_id = form.parent_id()
    except ValueError:
        parent_id = 0  # no comment has it: answered as a broken link below
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id).select_related("user").first()
        if parent is None:
            return _form_page(request, page=page, form=_as_new_comment(request), status=400,
                              message=f"{BROKEN_REPLY_LINK} {AS_NEW_COMMENT}")
    try:
        result = services.comment_submit(
            user=request.user,
            page=page,
            parent=parent,
            body=data["body"],
            author_name=data.get("author_name", ""),
            author_email=data.get("author_email", ""),
            author_url=data.get("author_url", ""),
            ip=client_ip(request),
            idempotency_key=data.get("idempotency_key", ""),
            honeypot=data.get("homepage", ""),
            form_started_at=form.form_started_at(),
            notify_on_reply=data.get("notify_on_reply", False),
            # The site's setting as the comment section read it (cached), not two queries more.
            policy=CommentPolicy.for_page(page, request=request, site_settings=site_policy_settings(request)),
        )
    except services.CommentRejected as rejected:
        if rejected.code == "bad_parent":  # the comment replied to went: the text can still go up on its own
            return _form_page(request, page=page, form=_as_new_comment(request), status=400,
                              message=f"{rejected.message} {AS_NEW_COMMENT}")
        return _form_page(request, page=page, form=form, parent=parent, message=rejected.message,
                          status=STATUS_FOR_CODE.get(rejected.code, 400), retry_after=rejected.retry_after,
                          existing=rejected.comment)
    if not request.user.is_authenticated:
        # An anonymous author sees their own pending comment, marked, for the rest of the visit.
        own = request.session.get(SESSION_OWN_COMMENTS, [])
        if result.comment.pk not in own:
            request.session[SESSION_OWN_COMMENTS] = (own + [result.comment.pk])[-20:]
    # A shown comment's purge read the thread's pages after the commit (a held one's are read here).
    return _see_other(comment_link(page.get_url(request), result.comment, getattr(result.comment, "thread_pages", None)))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Answer a request refused by Django's CSRF check (``CSRF_FAILURE_VIEW``).

    A comment POST (an expired page, a tab left open for days) gets its form back with the typed
    text, a fresh token and the reason (status 403), so resending is one click. Any other request
    gets the site's own page (core.errors). When the visitor may no longer comment (their session ended too), the
    reason says so, and the text is still shown to copy.
    """
    match = request.resolver_match
    if match is None or match.view_name != "comments:post" or request.method != "POST":
        return errors.csrf_failure(request, reason=reason)
    try:
        page = _page(match.kwargs["page_id"])
    except Http404:
        return errors.csrf_failure(request, reason=reason)
    form = CommentForm(request.POST, anonymous=not request.user.is_authenticated)
    form.is_valid()  # bound, so the text shows; its field errors (if any) too
    parent = None
    parent_id = request.POST.get("parent", "")
    if parent_id.isdigit():
        parent = Comment.objects.filter(pk=int(parent_id), page=page).first()
    message = CSRF_EXPIRED
    decision = comment_permission(user=request.user, page=page, request=request)
    if not decision.allowed:
        message += f" {decision.reason} Copy your text first."
    return _form_page(request, page=page, form=form, parent=parent, message=message, status=403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer a request Django refused as malformed (``handler400``).

    A comment POST larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` cannot be read (reading it is what
    the limit prevents), so its text cannot be shown again; it gets the comment form page with the
    reason and the way back to the text (the browser's Back button keeps it), not Django's bare
    page. Any other request gets the site's own 400 page (core.errors).
    """
    match = request.resolver_match
    if match is None or match.view_name != "comments:post" or not isinstance(exception, RequestDataTooBig):
        return errors.bad_request(request, exception)
    try:
        page = _page(match.kwargs["page_id"])
    except Http404:
        return errors.bad_request(request, exception)
    form = CommentForm(anonymous=not request.user.is_authenticated, notify_default=_notify_default(request.user))
    size = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    message = (
        f"it was far longer than a comment may be ({MAX_BODY_CHARS:,} characters; more than {size} were "
        "sent), so it could not be read. Go back with your browser's Back button to find your text, "
        "shorten it and send it again."
    )
    return _form_page(request, page=page, form=form, message=message, status=400)


def _see_other(url: str) -> HttpResponse:
    response = HttpResponse(status=303)
    response["Location"] = url
    return response


def comment_reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Show the reply form for comment ``comment_id`` on its own page (the no-JavaScript path)."""
    parent = _visible_comment(comment_id)
    page = parent.page.specific
    decision = comment_permission(user=request.user, page=page, request=request)
    form = None
    if decision.allowed:
        form = CommentForm(anonymous=not request.user.is_authenticated, initial={"parent": parent.pk},
                           notify_default=_notify_default(request.user))
    return _form_page(request, page=page, form=form, decision=decision, parent=parent)


def _own_comment(request, comment_id: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("page"), pk=comment_id, is_deleted=False)
    if comment.user_id != request.user.pk:
        raise Http404("No such comment of yours.")
    return comment


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Edit one's own comment (15 minutes after posting at most); 303 to its permalink when saved.

    A refused edit (or one whose bytes are not UTF-8) shows the form again with the text kept.
    """
    comment = _own_comment(request, comment_id)
    page = comment.page.specific
    message, status = "", 200
    if request.method == "POST":
        form = CommentEditForm(request.POST)
        if _undecodable(request):
            message, status = NOT_UTF8, 400
        elif form.is_valid():
            try:
                services.comment_edit(comment=comment, user=request.user, body=form.cleaned_data["body"])
            except services.CommentRejected as rejected:
                message, status = rejected.message, STATUS_FOR_CODE.get(rejected.code, 400)
            else:
                return _see_other(comment_link(page.url, comment))
    else:
        form = CommentEditForm(initial={"body": comment.body})
    return render(request, "comments/comment_edit.html",
                  {"page": page, "comment": comment, "form": form, "message": message}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Ask, then delete one's own comment; 303 back to the page (to the placeholder if one stays)."""
    comment = _own_comment(request, comment_id)
    page = comment.page.specific
    if request.method == "POST":
        placeholder = services.comment_delete(comment=comment, user=request.user)
        return _see_other(f"{page.url}#comment-{comment.pk}" if placeholder else f"{page.url}#comments")
    return render(request, "comments/comment_delete.html", {"page": page, "comment": comment})


@login_required
@require_http_methods(["GET", "POST"])
def comment_flag(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Flag a shown comment for the moderators, with a reason (members only)."""
    comment = _visible_comment(comment_id)
    page = comment.page.specific
    message, status, done = "", 200, False
    form = CommentFlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_flag(comment=comment, user=request.user, reason=form.cleaned_data["reason"])
        except services.CommentRejected as rejected:
            message, status = rejected.message, STATUS_FOR_CODE.get(rejected.code, 400)
        else:
            done = True
    return render(request, "comments/comment_flag.html",
                  {"page": page, "comment": comment, "form": form, "message": message, "done": done},
                  status=status)


@require_http_methods(["GET", "POST"])
def comment_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm an anonymous comment's e-mail address: GET shows a button, only POST confirms.

    (Mail scanners follow links with GET; they must not publish the comment.)
    """
    try:
        comment = confirm_token_read(token)
    except LinkError as error:
        return render(request, "comments/link_result.html", {"title": _("Link not valid"), "message": error.message},
                      status=400)
    page = comment.page.specific
    if request.method == "POST":
        comment = services.comment_confirm_email(comment=comment)
        if comment.status == CommentStatus.APPROVED:
            return _see_other(comment_link(page.url, comment))
        return render(request, "comments/link_result.html", {
            "title": _("Address confirmed"), "page": page,
            "message": _("Thank you. A moderator will read your comment before it appears.")})
    return render(request, "comments/comment_confirm.html", {"page": page, "comment": comment})


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a CSRF token;
# the signed token in the URL is what authorises the request.
@require_http_methods(["GET", "POST"])
def comment_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Stop one kind of comment e-mail: GET shows a confirm button, POST (or one-click POST) stops it."""
    try:
        email, kind = unsubscribe_token_read(token)
    except LinkError as error:
        return render(request, "comments/link_result.html", {"title": _("Link not valid"), "message": error.message},
                      status=400)
    label = NotificationKind(kind).label
    if request.method == "POST":
        unsubscribe(email=email, kind=kind)
        return render(request, "comments/link_result.html", {
            "title": _("Unsubscribed"),
            "message": _("We will not send “%(kind)s” e-mail to %(email)s any more.") % {"kind": label, "email": email}})
    return render(request, "comments/unsubscribe.html", {"email": email, "label": label})

