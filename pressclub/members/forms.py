"""Reader forms of the members app: profile, membership request, leaving, and the admin's forms."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pressclub.core.text import strip_control_chars

from .addresses import email_normalise, use_mailbox_validation
from .models import Invitation, User
from .names import display_name_clean, display_name_refusal


class ProfileForm(forms.ModelForm):
    """Edit what others see of an account (display name, bio), the reply e-mail preference and the language."""

    class Meta:
        model = User
        fields = ["display_name", "bio", "notify_replies", "language"]
        labels = {
            "display_name": _("Display name"),
            "bio": _("About you"),
            "notify_replies": _("E-mail me replies to my comments"),
            "language": _("Language"),
        }
        help_texts = {
            "display_name": _("Shown with your comments. Up to 80 characters."),
            "bio": _("A line or two about yourself (optional, up to 1,000 characters)."),
            "notify_replies": _("The default for new comments; each comment can still be changed."),
            "language": _("The language of the site and of our e-mails to you."),
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    def clean_display_name(self) -> str:
        """Return the name without invisible characters; refuse an empty one or the newsroom's (names.py)."""
        name = display_name_clean(self.cleaned_data["display_name"])
        if not name:
            raise forms.ValidationError(_("Enter the name to show with your comments."))
        refusal = display_name_refusal(name, user=self.instance)
        if refusal:
            raise forms.ValidationError(refusal)
        return name

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Empty means "the site's default"; the languages keep their own names.
        self.fields["language"].choices = [("", _("The site's default")), *settings.LANGUAGES]

    def clean_bio(self) -> str:
        return strip_control_chars(self.cleaned_data["bio"]).strip()


class MembershipRequestForm(forms.Form):
    """Ask to join the club, with an optional note to the editors."""

    note = forms.CharField(
        label=_("A note to the editors (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who you are, or why you would like to join. Up to 1,000 characters."),
    )

    def clean_note(self) -> str:
        return strip_control_chars(self.cleaned_data["note"]).strip()


class AccountDeleteForm(forms.Form):
    """Delete one's own account: choose what happens to one's comments, confirm with the password."""

    COMMENTS_REMOVE = "remove"
    COMMENTS_KEEP = "keep"

    comments = forms.ChoiceField(
        label=_("Your comments"),
        choices=[
            (COMMENTS_REMOVE, _("Remove my comments")),
            (COMMENTS_KEEP, _("Keep my comments, shown as written by “former member”")),
        ],
        widget=forms.RadioSelect,
    )
    password = forms.CharField(label=_("Your password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password

    @property
    def remove_comments(self) -> bool:
        """Return True when the person chose to remove their comments (valid forms only)."""
        return self.cleaned_data["comments"] == self.COMMENTS_REMOVE


class DecisionForm(forms.Form):
    """An editor's reason for a membership decision (sent to the reader)."""

    reason = forms.CharField(
        label=_("Reason (sent to the reader)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, reason_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


class SuspendForm(DecisionForm):
    """Suspend or ban: a required reason and, for a suspension, an optional end date."""

    ACTION_SUSPEND = "suspend"
    ACTION_BAN = "ban"

    action = forms.ChoiceField(
        choices=[(ACTION_SUSPEND, _("Suspend")), (ACTION_BAN, _("Ban"))],
        widget=forms.RadioSelect,
        initial=ACTION_SUSPEND,
    )
    until = forms.DateField(
        label=_("Suspended until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to suspend until lifted. Bans have no end date."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, reason_required=True, **kwargs)

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until is not None and until <= timezone.localdate():
            raise forms.ValidationError(_("Choose a date after today."))
        return until


class InvitationForm(forms.ModelForm):
    """Invite a person by e-mail address, with an optional personal line."""

    class Meta:
        model = Invitation
        fields = ["email", "note"]
        labels = {"email": _("E-mail address"), "note": _("Personal note (optional)")}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_mailbox_validation(self.fields["email"])

    def clean_email(self) -> str:
        """Return the address normalised like every other door's (``addresses.email_normalise``)."""
        return email_normalise(self.cleaned_data["email"])


class FindAccountForm(forms.Form):
    """The e-mail address of an account to suspend or ban."""

    email = forms.EmailField(label=_("E-mail address"), help_text=_("Readers, editors and authors alike."))

    def clean_email(self) -> str:
        """Return the address normalised, as accounts store it (``addresses.email_normalise``)."""
        return email_normalise(self.cleaned_data["email"])
