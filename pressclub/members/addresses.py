"""One mailbox, one account: how an e-mail address typed by a person becomes the one we store.

Every door that takes an address (sign-up, sign-in by password or by code, password reset, adding
or changing an address, invitations, the admin sign-in, the user manager) passes it through
``email_normalise``, so ``Ana@Exämple.ORG``, ``ana@xn--exmple-cua.org`` and ``ANA@EXÄMPLE.org`` name
one account, stored as ``ana@xn--exmple-cua.org``.

Addresses whose local part (before the ``@``) is not ASCII are refused with a clear form error
(``validate_mailbox``): Django's mail backends cannot deliver to them (there is no SMTPUTF8 support),
so accepting one would create an account that never receives its confirmation link.
"""

import re

import idna
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxLengthValidator, validate_email
from django.utils.translation import gettext_lazy as _

from pressclub.core.numerals import local_digits

NON_ASCII_LOCAL_PART = (
    "Use an address whose part before the @ has only Latin letters, digits and . _ - + "
    "(we cannot deliver mail to other characters there). The domain after the @ may be in any script."
)
BAD_DOMAIN = "The part after the @ is not a valid domain name."
INVALID_ADDRESS = "Enter a valid e-mail address, such as name@example.org."
#: RFC 5321 §4.5.3.1: a local part of at most 64 octets, a path of at most 256 (an address of 254).
LOCAL_PART_MAX = 64
ADDRESS_MAX = 254
#: A local part as a dot-atom of RFC 5322's atext: letters, digits and ``. ! # $ % & ' * + / = ? ^ _ ` { | } ~ -``
#: (``o'brien`` is a real address, and accounts made before this rule may hold any of them). Not a
#: quoted local part (``"x,y@attacker.example"@example.net``), which Django's validator takes.
LOCAL_PART = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+")
QUOTED_LOCAL_PART = (
    "Write the part before the @ without quotation marks, spaces, commas or brackets, such as name@example.org."
)
DOMAIN_LITERAL = _("Use an address with a domain name after the @, such as name@example.org, not an address in brackets.")


def _domain_ascii(domain: str) -> str:
    """Return ``domain`` in lower-case ASCII (IDNA 2008, UTS #46 mapping); raise ValidationError."""
    if domain.isascii():
        # An ASCII domain (punycode included) needs only lower-casing; Django's EmailValidator
        # has judged its shape already.
        return domain.lower()
    try:
        return idna.encode(domain, uts46=True).decode("ascii").lower()
    except idna.IDNAError:
        raise ValidationError(BAD_DOMAIN, code="invalid_domain")


def email_normalise(address: str) -> str:
    """Return ``address`` stripped and lower-cased, its domain in IDNA ASCII form.

    ``"Ana.Ruiz@Exämple.ORG "`` → ``"ana.ruiz@xn--exmple-cua.org"``; a punycode spelling gives the same.
    A value without ``@`` is returned stripped and lower-cased (the form's own validation refuses it).
    Raise ValidationError when the local part is not ASCII or the domain is not a valid IDN.
    """
    address = (address or "").strip()
    local, at, domain = address.rpartition("@")
    if not at:
        return address.lower()
    if not local.isascii():
        raise ValidationError(NON_ASCII_LOCAL_PART, code="non_ascii_local_part")
    return f"{local.lower()}@{_domain_ascii(domain)}"


def validate_mailbox(value: str) -> None:
    """Validate ``value`` as an address we can deliver to; raise ValidationError with a clear message.

    Used in place of Django's ``validate_email`` on every address field, so that a non-ASCII local
    part is refused with ``NON_ASCII_LOCAL_PART`` (code ``non_ascii_local_part``) and a quoted one,
    or one with spaces, commas or brackets (``"x,y@attacker.example"@example.net``), with
    ``QUOTED_LOCAL_PART`` (code ``local_part_characters``), rather than Django's bare "Enter a valid
    email address.", and any other bad address with ``INVALID_ADDRESS`` (the site writes "e-mail").
    Django's validator also takes what mail servers refuse or should never be sent to from a web
    form; refused here with their own messages: a domain literal (``a@[127.0.0.1]``, code
    ``domain_literal``), a local part over 64 characters (``local_part_too_long``) and an address
    over 254 (``too_long``), the limits of RFC 5321 §4.5.3.1.
    """
    value = value or ""
    local, at, domain = value.rpartition("@")
    if at and not local.isascii():
        raise ValidationError(NON_ASCII_LOCAL_PART, code="non_ascii_local_part")
    if at and local and local.isprintable() and not LOCAL_PART.fullmatch(local):
        # Control characters (a NUL) get the plain "not valid" and the form's own "Null characters…".
        raise ValidationError(QUOTED_LOCAL_PART, code="local_part_characters")
    if len(value) > ADDRESS_MAX:
        raise ValidationError(
            _("An e-mail address can have at most %(limit)s characters (this one has %(count)s)."),
            code="too_long", params={"limit": local_digits(ADDRESS_MAX), "count": local_digits(len(value))},
        )  # fmt: skip
    if at and len(local) > LOCAL_PART_MAX:
        raise ValidationError(
            _("The part before the @ can have at most %(limit)s characters (this one has %(count)s)."),
            code="local_part_too_long", params={"limit": local_digits(LOCAL_PART_MAX), "count": local_digits(len(local))},
        )  # fmt: skip
    if at and domain.startswith("["):
        raise ValidationError(DOMAIN_LITERAL, code="domain_literal")
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(INVALID_ADDRESS, code="invalid") from None


def use_mailbox_validation(field) -> None:
    """Make the form ``field`` (an EmailField) validate with ``validate_mailbox`` instead of Django's.

    A maximum length of ``ADDRESS_MAX`` or more goes too (``validate_mailbox`` says it better, once);
    the widget keeps its ``maxlength``.
    """
    # In place, so the errors come in the same order as before (address first, then NUL characters).
    field.validators = [
        validate_mailbox if isinstance(v, EmailValidator) else v
        for v in field.validators
        if not (isinstance(v, MaxLengthValidator) and v.limit_value >= ADDRESS_MAX)
    ]
