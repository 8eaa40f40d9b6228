"""Top-level URLs. Reader views that are not pages come before Wagtail's catch-all."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from pressclub.core import routing
from pressclub.core.errors import static_not_found
from pressclub.core.health import healthz
from pressclub.core.language import language_choose
from pressclub.core.media import serve_media
from pressclub.members.admin_login import AdminLoginView, DjangoAdminLoginForm

# Both admin sign-ins count wrong passwords with the reader sign-in (members.admin_login).
admin.site.login_form = DjangoAdminLoginForm

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("language/", language_choose, name="set_language"),
    path("django-admin/", admin.site.urls),
    path("admin/login/", AdminLoginView.as_view()),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("pressclub.members.urls")),
    path("accounts/", include("allauth.urls")),
    path("follow/", include("pressclub.follows.urls")),
    path("", include("pressclub.comments.urls")),
    # Blogger's old addresses: before search (it answers /search/?updated-max=… first) and news.
    path("", include("pressclub.importers.blogger.urls")),
    path("", include("pressclub.search.urls")),
    path("", include("pressclub.news.urls")),
]

# The site's own error pages (core.errors); a comment too large to read gets its form page and the
# way back to the text (comments.views), other bad requests the site's 400 page.
handler400 = "pressclub.comments.views.bad_request"
handler403 = "pressclub.core.errors.permission_denied"
handler500 = "pressclub.core.errors.server_error"

if settings.PRESSCLUB_SERVE_MEDIA:
    urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media, name="media"))

urlpatterns += [
    path(f"{settings.STATIC_URL.strip('/')}/<path:path>", static_not_found),
    # Wagtail's password and login views, then its pages routed by a path lookup (core.routing).
    *[pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"],
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
    # After Wagtail's: pages whose Unicode slugs carry vowel signs and viramas.
    path("", include("pressclub.news.page_urls")),
]
