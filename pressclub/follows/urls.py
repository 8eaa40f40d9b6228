"""Reader URLs of the follows app, mounted at ``follow/``."""

from django.urls import path

from . import views

app_name = "follows"

urlpatterns = [
    path("", views.follow, name="follow"),
    path("confirm/<str:token>/", views.follow_confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.follow_unsubscribe, name="unsubscribe"),
    path("manage/", views.follow_manage, name="manage"),
    path("manage/<str:token>/", views.follow_manage_link, name="manage_link"),
]
