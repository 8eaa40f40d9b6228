"""Reader forms: post (or reply to) a comment, edit it, flag one.

The post form carries three hidden fields against abuse and double posts: ``idempotency_key`` (a
fresh random token per form, so a re-sent POST lands on the first comment), ``started`` (when the
form was shown, signed, so a bot answering in under three seconds is refused) and a honeypot
field, ``homepage``, hidden from people and left empty by them.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .text import MAX_BODY_CHARS
from .tokens import started_read, started_token

# Session key listing the ids of comments an anonymous reader posted, so they see them pending.
SESSION_OWN_COMMENTS = "pressclub_own_comments"


class CommentForm(forms.Form):
    """Post a comment or a reply. Anonymous readers (policy "anyone") also give a name and e-mail.

    Field checks here are only about shape; every rule (length, links, rate, duplicates, who may
    post) is applied by ``services.comment_submit`` so the form and other callers agree.
    """

    body = forms.CharField(
        label=_("Your comment"),
        strip=False,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_BODY_CHARS}),
        help_text=_("Plain text. *Emphasis*, **strong**, [links](https://example.org) and > quotes work."),
    )
    author_name = forms.CharField(label=_("Name"), max_length=80, required=False)
    author_email = forms.CharField(
        label=_("E-mail (not shown)"), max_length=254, required=False, widget=forms.EmailInput
    )
    author_url = forms.CharField(label=_("Website (optional)"), max_length=500, required=False,
                                 widget=forms.URLInput)
    notify_on_reply = forms.BooleanField(label=_("E-mail me replies to this comment"), required=False)
    # Text, not a number: a mangled reply link ("parent=abc") is a broken link to explain, not a
    # field error in a hidden field the reader cannot see.
    parent = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    idempotency_key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    started = forms.CharField(max_length=200, required=False, widget=forms.HiddenInput)
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, anonymous: bool = False, notify_default: bool = True, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("idempotency_key", uuid.uuid4().hex)
        kwargs["initial"].setdefault("started", started_token())
        kwargs["initial"].setdefault("notify_on_reply", notify_default)
        super().__init__(*args, **kwargs)
        self.anonymous = anonymous
        if not anonymous:
            del self.fields["author_name"]
            del self.fields["author_email"]

    def parent_id(self) -> int | None:
        """Return the id of the comment replied to, None for a new thread; raise ValueError if malformed."""
        raw = (self.cleaned_data.get("parent") or "").strip()
        if not raw:
            return None
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
            raise ValueError(f"not a comment id: {raw!r}")
        return int(raw)

    def form_started_at(self) -> dt.datetime:
        """Return when the form was shown (see :func:`started_read`)."""
        return started_read(self.cleaned_data.get("started", ""))


class CommentEditForm(forms.Form):
    """Change the text of one's own comment (within 15 minutes of posting)."""

    body = forms.CharField(
        label=_("Your comment"), strip=False, required=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_BODY_CHARS}),
    )


class CommentFlagForm(forms.Form):
    """Tell the moderators why a comment breaks the rules."""

    reason = forms.CharField(
        label=_("Why should a moderator look at this comment?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )
