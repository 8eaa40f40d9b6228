from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import OutgoingMail
from .viewsets import OutgoingMailViewSet, ReadOnlyPolicy

register_permission_policy(OutgoingMail, ReadOnlyPolicy(OutgoingMail))


@hooks.register("register_admin_viewset")
def register_outgoing_mail_viewset():
    """Settings → Outgoing mail (``viewsets.OutgoingMailViewSet``)."""
    return OutgoingMailViewSet("outgoing_mail")
