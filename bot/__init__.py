"""The Flask app: WeChat webhook, health, worker simulator (and later the staff console and API)."""
from __future__ import annotations

import gc

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface

import config as settings
from bot import logs
from workers import context

# Security headers of the staff console and the API (both hold personal data): never cached,
# never framed, no MIME sniffing, no referrer to other sites, and a Content-Security-Policy.
# The console loads its script, style and images from itself only (no inline code); the
# API's JSON loads nothing at all.
CONSOLE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
               "frame-ancestors 'none'; base-uri 'none'")
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
SECURED_PATHS = {"/staff": CONSOLE_CSP, "/api": API_CSP}


def security_headers(response: Response) -> Response:
    """Add the headers above to every /staff and /api response, errors and unknown paths included."""
    csp = next((policy for prefix, policy in SECURED_PATHS.items()
                if request.path == prefix or request.path.startswith(prefix + "/")), None)
    if csp is not None:
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers["Content-Security-Policy"] = csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
    return response


class NoWebhookSessions(SecureCookieSessionInterface):
    """Signed-cookie sessions (the console's CSRF token and flashes), never opened for WeChat's pushes:
    building the signer and reading cookies cost about 2 % of each webhook message."""

    def open_session(self, app: Flask, request_):
        if request_.path == "/wechat":
            return self.null_session_class()
        return super().open_session(app, request_)


def create_app(cfg: settings.Config | None = None) -> Flask:
    """App factory. Without ``cfg`` the settings come from the environment."""
    cfg = cfg or settings.load()
    ctx = context.use(context.Context(cfg))
    app = Flask(__name__)
    app.config.update(SECRET_KEY=cfg.secret_key, MAX_CONTENT_LENGTH=cfg.max_body)
    app.session_interface = NoWebhookSessions()
    app.extensions["union_desk"] = ctx
    logs.setup()

    import handlers
    handlers.warm_up()  # load the router and FAQ index now, not on a worker's first message

    from bot import api, console, health, webhook
    app.register_blueprint(webhook.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(console.bp)
    if cfg.simulator:
        from bot import simulator
        app.register_blueprint(simulator.bp)
    app.after_request(security_headers)

    @app.errorhandler(413)
    def too_large(_error):
        return Response("request body too large", status=413, mimetype="text/plain")

    @app.errorhandler(Exception)
    def unavailable(error):
        code = getattr(error, "code", None)
        if isinstance(code, int) and 400 <= code < 600:
            return error
        app.logger.exception("unhandled error")
        return Response("service temporarily unavailable", status=503, mimetype="text/plain")

    return app


def serving_app() -> Flask:
    """The app as a server process runs it: created, warmed up, and its objects frozen out of the garbage
    collector. The router, jieba's dictionaries and the FAQ index are tens of thousands of objects that live as
    long as the process; a full collection walking them paused requests for tens of milliseconds (p99)."""
    app = create_app()
    gc.collect()
    gc.freeze()
    return app
