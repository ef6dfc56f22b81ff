"""``python -m bot classify|ask|menu``: the router, the FAQ and the custom menu from the command line."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import yaml

MENU_FILE = Path(__file__).resolve().parent.parent / "handlers" / "data" / "menu.yaml"


def _texts(texts: tuple[str, ...]) -> list[str]:
    """The arguments, or one text per stdin line."""
    if texts:
        return list(texts)
    return [line.strip() for line in sys.stdin if line.strip()]


@click.command()
@click.argument("texts", nargs=-1)
def classify(texts: tuple[str, ...]) -> None:
    """Route texts exactly as the webhook does; one JSON object per text."""
    from handlers import router

    for text in _texts(texts):
        routing = router.route(text)
        click.echo(json.dumps({"text": text, "intent": routing.intent, "confidence": round(routing.confidence, 4),
                               "faq": routing.faq}, ensure_ascii=False))


@click.command()
@click.argument("text", nargs=-1, required=True)
def ask(text: tuple[str, ...]) -> None:
    """Match a question against the FAQ knowledge base."""
    from handlers import faq

    click.echo(json.dumps(faq.ask_json(" ".join(text)), ensure_ascii=False))


@click.group()
def menu() -> None:
    """The official account's custom menu."""


@menu.command("push")
def menu_push() -> None:
    """Send handlers/data/menu.yaml to WeChat (menu/create)."""
    from workers import context
    from workers.wechat_client import WeChatError, for_context

    with MENU_FILE.open(encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    try:
        for_context(context.get()).menu.create(spec)
    except WeChatError as exc:
        raise click.ClickException(f"menu push failed: {exc}") from None
    click.echo(f"menu pushed: {len(spec['button'])} buttons")


@menu.command("show")
def menu_show() -> None:
    """Print the menu as JSON (what `push` sends)."""
    with MENU_FILE.open(encoding="utf-8") as f:
        click.echo(json.dumps(yaml.safe_load(f), ensure_ascii=False, indent=2))
