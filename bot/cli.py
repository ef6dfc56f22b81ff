"""``python -m bot ...``: serve, worker, run, fake-wechat, init-db."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import click

import config as settings
from workers import context


@click.group()
def cli() -> None:
    """Union Desk (工会服务台) command line."""


@cli.command("init-db")
def init_db() -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    ctx = context.get()
    ctx.db.upgrade()
    click.echo(f"database at head: {ctx.db.engine.url.render_as_string(hide_password=True)}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", "processes", default=2 * (os.cpu_count() or 1), show_default="2 x CPUs", type=int,
              help="gunicorn worker processes (the work is CPU-bound Python: processes beat threads)")
@click.option("--threads", default=2, show_default=True, type=int)
def serve(host: str, port: int, processes: int, threads: int) -> None:
    """The web app under gunicorn (production WSGI server)."""
    from gunicorn.app.base import BaseApplication

    settings.load()  # fail fast, naming the missing variable

    class App(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", processes)
            self.cfg.set("threads", threads)
            self.cfg.set("timeout", 30)
            self.cfg.set("graceful_timeout", 10)
            self.cfg.set("accesslog", "-")

        def load(self):
            from bot import serving_app
            return serving_app()

    App().run()


@cli.command()
@click.option("--burst", is_flag=True, help="exit when the queues are empty")
def worker(burst: bool) -> None:
    """An RQ worker on the high, default and low queues, with the scheduler and the periodic sweeps."""
    from rq import Worker

    from workers import schedule

    ctx = context.get()
    if burst:
        schedule.tick(ctx)
    else:
        schedule.start(ctx)
    queues = [ctx.queues[name] for name in context.QUEUES]
    Worker(queues, connection=ctx.redis).work(burst=burst, with_scheduler=True)


@cli.command("fake-wechat")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
def fake_wechat(host: str, port: int) -> None:
    """The fake WeChat API server (development and tests only)."""
    from bot.fake_wechat import serve as serve_fake

    cfg = settings.load()
    click.echo(f"fake WeChat API on http://{host}:{port}/cgi-bin/")
    serve_fake(host=host, port=port, app_id=cfg.wechat_app_id, app_secret=cfg.wechat_app_secret)


@cli.command()
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--fake-port", default=8001, show_default=True, type=int)
def run(port: int, fake_port: int) -> None:
    """Web app, worker and fake WeChat API together (what `make run` starts). Ctrl-C stops all."""
    ctx = context.get()
    env = dict(os.environ, REDIS_URL=ctx.redis_url,
               WECHAT_API_BASE=f"http://127.0.0.1:{fake_port}/cgi-bin/")
    ctx.db.upgrade()
    if not ctx.config.production:
        from bot.demo import needs_demo, seed_demo
        with ctx.db.session() as s:
            password = seed_demo(s) if needs_demo(s) else None
        if password:
            click.echo(f"demo offices created; log in at http://127.0.0.1:{port}/staff as admin / {password}")
    python = [sys.executable, "-m", "bot"]
    children = [
        subprocess.Popen(python + ["fake-wechat", "--port", str(fake_port)], env=env),
        subprocess.Popen(python + ["worker"], env=env),
        subprocess.Popen(python + ["serve", "--port", str(port), "--workers", "2"], env=env),
    ]
    click.echo(f"Union Desk on http://127.0.0.1:{port}/  (worker simulator: http://127.0.0.1:{port}/simulator, "
               f"staff console: http://127.0.0.1:{port}/staff)")
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


def main() -> None:
    try:
        cli(standalone_mode=True)
    except settings.ConfigError as exc:
        click.echo(f"configuration error: {exc}", err=True)
        sys.exit(2)


from bot.cli_conversation import ask, classify, menu  # noqa: E402

cli.add_command(classify)
cli.add_command(ask)
cli.add_command(menu)


from bot.cli_admin import office, staff  # noqa: E402  (admin commands live in their own module)

cli.add_command(staff)
cli.add_command(office)
