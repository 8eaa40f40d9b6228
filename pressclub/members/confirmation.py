"""E-mail confirmation keys bound to the address, not only to its row.

allauth's stateless keys (``EmailConfirmationHMAC``) sign the primary key of the
``EmailAddress`` row. They stop working once the row is verified (allauth only looks up unverified
rows), but they would survive an edit of the address on the same row, e.g. by an administrator.
Our keys sign the row's key *and* the address, so a link works only for the address it was mailed
to, only while that address is unverified.
"""

from allauth.account import app_settings
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core import signing

SALT = f"{app_settings.SALT}.pressclub-address"


class AddressBoundConfirmation(EmailConfirmationHMAC):
    """An allauth confirmation whose key signs ``[address pk, lowercased address]``."""

    @property
    def key(self) -> str:
        # The signature carries a timestamp: compute it once per confirmation, and keep the key a
        # link arrived with, so a page that shows the key (the confirm form) repeats it exactly.
        if getattr(self, "_key", None) is None:
            address = self.email_address
            # Never compressed: a compressed key starts with "." and no confirmation URL takes it.
            self._key = signing.dumps([address.pk, address.email.lower()], salt=SALT)
        return self._key

    @classmethod
    def from_key(cls, key: str) -> "AddressBoundConfirmation | None":
        """Return the confirmation for ``key``, or None when the key is bad, expired or used up.

        Used up means: the address was verified since, or it is no longer the address the key
        was made for.
        """
        max_age = 60 * 60 * 24 * app_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS
        try:
            pk, email = signing.loads(key, max_age=max_age, salt=SALT)
            address = EmailAddress.objects.select_related("user").get(pk=int(pk), verified=False)
        except (signing.BadSignature, EmailAddress.DoesNotExist, TypeError, ValueError):
            return None
        if address.email.lower() != str(email).lower():
            return None
        confirmation = cls(address)
        confirmation._key = key
        return confirmation


def confirmed_address(key: str, *, user) -> EmailAddress | None:
    """Return ``user``'s verified EmailAddress that ``key`` was made for, or None.

    For a link opened again after it worked: a genuine key (expired or not) for an address of
    ``user``'s that is verified now. Altered keys, other people's addresses and addresses that
    changed since give None.
    """
    if user is None or not user.is_authenticated:
        return None
    try:
        pk, email = signing.loads(key, salt=SALT)
        address = EmailAddress.objects.get(pk=int(pk), user=user, verified=True)
    except (signing.BadSignature, EmailAddress.DoesNotExist, TypeError, ValueError):
        return None
    return address if address.email.lower() == str(email).lower() else None
