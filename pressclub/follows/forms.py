"""The follow form: an address, what to follow, and how often."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pressclub.members.addresses import use_mailbox_validation

from .models import FollowKind, Frequency
from .services import Topic

#: How many labels the form lists (the most used among the newest stories); a label linked with ``?topic=label:<id>`` is added.
FORM_LABELS = 50


def topic_choices(selected: str = "") -> list:
    """Return the grouped choices of the topic field: everything, then sections, authors and labels.

    Values are ``"site"``, ``"section:<page id>"``, ``"author:<id>"``, ``"label:<id>"``.
    """
    from pressclub.news.models import Label, SectionPage
    from pressclub.people.models import Author

    sections = [(f"section:{p.pk}", p.title) for p in SectionPage.objects.live().public().order_by("path")]
    authors = [(f"author:{a.pk}", a.name) for a in Author.objects.order_by("name")]
    newest = settings.PRESSCLUB_HOME_LABEL_STORIES  # the labels in use now, as the front page counts them
    labels = [(f"label:{label.pk}", label.name) for label in Label.objects.in_use(newest=newest)[:FORM_LABELS]]
    if selected.startswith("label:") and selected not in dict(labels):
        extra = Label.objects.filter(pk=selected[6:]).first() if selected[6:].isdigit() else None
        if extra is not None:
            labels.append((selected, extra.name))
    choices = [("site", _("Everything on the site"))]
    for title, group in ((_("Sections"), sections), (_("Authors"), authors), (_("Labels"), labels)):
        if group:
            choices.append((title, group))
    return choices


def topic_from_value(value: str) -> Topic | None:
    """Return the Topic a choice value names, or None when it names nothing that exists."""
    from pressclub.news.models import Label, SectionPage
    from pressclub.people.models import Author

    if value == "site":
        return Topic(FollowKind.SITE)
    kind, _sep, pk = value.partition(":")
    model = {"section": SectionPage, "label": Label, "author": Author}.get(kind)
    if model is None or not pk.isdigit():
        return None
    queryset = model.objects.live().public() if model is SectionPage else model.objects.all()
    target = queryset.filter(pk=int(pk)).first()
    return Topic(kind, target) if target is not None else None


class FollowForm(forms.Form):
    """Follow the site, a section, an author or a label by e-mail; ``cleaned_data["topic"]`` is a Topic."""

    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    topic = forms.ChoiceField(
        label=_("Follow"), error_messages={"invalid_choice": _("Choose what to follow from the list.")}
    )
    frequency = forms.ChoiceField(
        label=_("Send me a digest"), choices=Frequency.choices, initial=Frequency.DAILY, widget=forms.RadioSelect,
        help_text=_("For this topic only: topics you follow already keep their own choice."),
    )
    breaking = forms.BooleanField(label=_("Also e-mail me breaking news at once"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_mailbox_validation(self.fields["email"])
        selected = self.data.get("topic") or self.initial.get("topic") or ""
        self.fields["topic"].choices = topic_choices(str(selected))

    def clean_topic(self) -> Topic:
        topic = topic_from_value(self.cleaned_data["topic"])
        if topic is None:
            raise ValidationError(_("Choose what to follow from the list."), code="invalid_topic")
        return topic


class FollowsManageForm(forms.Form):
    """How often each of a follower's topics comes, and breaking news: the manage page's and the
    profile's form.

    One field ``frequency-<follow id>`` (daily or weekly) per follow in ``follows`` (confirmed
    Follow objects of one follower), and ``breaking``. ``rows()`` pairs each follow with its field.
    """

    breaking = forms.BooleanField(label=_("Also e-mail me breaking news at once"), required=False)

    def __init__(self, *args, follows: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.follows = follows
        for follow in follows:
            self.fields[f"frequency-{follow.pk}"] = forms.ChoiceField(
                label=follow.target_name, choices=Frequency.choices,
                initial=follow.frequency,
                error_messages={"invalid_choice": _("Choose daily or weekly.")},
            )  # fmt: skip

    def rows(self) -> list:
        """Return ``[(follow, bound field), …]`` in the order of ``follows``."""
        return [(follow, self[f"frequency-{follow.pk}"]) for follow in self.follows]
