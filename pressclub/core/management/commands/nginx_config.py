"""``pressclub nginx-config``: print the nginx site file for this installation."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pressclub.core.nginx import NginxConfigError, NginxSite, render_nginx_config


class Command(BaseCommand):
    """Print the nginx site file (``core/deploy/nginx.conf`` filled in) on standard output.

    Example: ``pressclub nginx-config --server-name news.example.org --tls >
    /etc/nginx/sites-available/pressclub``. The media and static paths default to
    ``$PRESSCLUB_VAR_DIR``; the cookie names come from the settings. Raise CommandError naming the
    option whose value cannot go into the file.
    """

    help = "Print the nginx site file (static and media from disk, page cache, purge) for this site."

    def add_arguments(self, parser):
        defaults = NginxSite(server_name="")
        parser.add_argument("--server-name", default=None,
                            help="host names, space-separated (default: ALLOWED_HOSTS' first, else _)")
        parser.add_argument("--upstream", action="append", default=None,
                            help="host:port of a pressclub serve; repeat it, or separate with commas, for "
                                 "several app servers (default: PRESSCLUB_APP_SERVERS)")
        parser.add_argument("--var-dir", default=None,
                            help="directory holding static/ and media/ (default: PRESSCLUB_VAR_DIR)")
        parser.add_argument("--listen", default=defaults.listen,
                            help=f"nginx listen value for plain HTTP (default {defaults.listen})")
        parser.add_argument("--purge-listen", default=defaults.purge_listen,
                            help=f"host:port the purges arrive at (default {defaults.purge_listen})")
        parser.add_argument("--cache-dir", default=defaults.cache_dir,
                            help=f"where nginx keeps cached pages (default {defaults.cache_dir})")
        parser.add_argument("--tls", action="store_true", help="serve HTTPS on 443; plain HTTP redirects there")
        parser.add_argument("--certificate", default="", help="certificate chain, PEM (default: Let's Encrypt's path)")
        parser.add_argument("--certificate-key", default="", help="private key, PEM (default: Let's Encrypt's path)")

    def handle(self, *args, **options):
        server_name = options["server_name"]
        if server_name is None:
            hosts = [host for host in settings.ALLOWED_HOSTS if host not in ("*", "localhost", "127.0.0.1", "[::1]")]
            server_name = hosts[0].lstrip(".") if hosts else "_"
        site = NginxSite(
            server_name=server_name,
            upstreams=tuple(
                upstream.strip() for value in options["upstream"] or settings.PRESSCLUB_APP_SERVERS
                for upstream in value.split(",") if upstream.strip()
            ),
            var_dir=str(options["var_dir"] or settings.VAR_DIR),
            listen=options["listen"],
            purge_listen=options["purge_listen"],
            cache_dir=options["cache_dir"],
            tls=options["tls"],
            certificate=options["certificate"],
            certificate_key=options["certificate_key"],
            session_cookie=settings.SESSION_COOKIE_NAME,
            messages_cookie=getattr(settings, "MESSAGE_COOKIE_NAME", "messages"),
            language_cookie=settings.LANGUAGE_COOKIE_NAME,
            languages=tuple(code for code, _name in settings.LANGUAGES),
        )
        try:
            self.stdout.write(render_nginx_config(site), ending="")
        except NginxConfigError as exc:
            raise CommandError(str(exc))
