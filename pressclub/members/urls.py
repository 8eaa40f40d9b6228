"""Reader-facing URLs of the members app, mounted at ``accounts/`` before allauth's.

Our pages live in the ``members`` namespace; the e-mail confirmation page keeps allauth's name
(``account_confirm_email``) so allauth's own links and templates find our view.
"""

from django.urls import include, path, re_path

from . import views

members_patterns = [
    path("profile/", views.profile, name="profile"),
    path("membership/", views.membership, name="membership"),
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("delete/", views.account_delete, name="account_delete"),
]

urlpatterns = [
    path("", include((members_patterns, "members"))),
    re_path(r"^confirm-email/(?P<key>[-:\w]+)/$", views.confirm_email, name="account_confirm_email"),
]
