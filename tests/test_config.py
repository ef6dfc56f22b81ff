"""Settings come from the environment; production refuses development secrets."""
import subprocess
import sys

import pytest

import config
from tests.conftest import ROOT

REAL = {"UNION_DESK_ENV": "production", "WECHAT_TOKEN": "t0ken", "WECHAT_APP_ID": "wxreal",
        "WECHAT_APP_SECRET": "s3cret", "SECRET_KEY": "k" * 32, "REDIS_URL": "redis://r:6379/0",
        "DATABASE_URL": "postgresql+psycopg://u@db/ud"}


def test_embedded_defaults_need_nothing():
    cfg = config.load({})
    assert cfg.sqlalchemy_url.startswith("sqlite:///") and cfg.redis_url == ""
    assert cfg.wechat_api_base == config.REAL_WECHAT_API


def test_environment_is_read():
    cfg = config.load({**REAL, "WECHAT_AES_KEY": "a" * 43, "WECHAT_API_BASE": "http://fake/cgi-bin/"})
    assert (cfg.wechat_token, cfg.wechat_aes_key, cfg.wechat_api_base) == ("t0ken", "a" * 43, "http://fake/cgi-bin/")
    assert cfg.production and not cfg.simulator


@pytest.mark.parametrize("missing", ["WECHAT_TOKEN", "WECHAT_APP_ID", "WECHAT_APP_SECRET", "SECRET_KEY",
                                     "REDIS_URL", "DATABASE_URL"])
def test_production_names_the_missing_variable(missing):
    env = {k: v for k, v in REAL.items() if k != missing}
    with pytest.raises(config.ConfigError, match=missing):
        config.load(env)


def test_bad_aes_key_is_refused():
    with pytest.raises(config.ConfigError, match="WECHAT_AES_KEY"):
        config.load({"WECHAT_AES_KEY": "short"})


def test_cli_refuses_to_serve_in_production_with_dev_secrets():
    result = subprocess.run([sys.executable, "-m", "bot", "serve"], cwd=ROOT, capture_output=True, text=True,
                            env={"UNION_DESK_ENV": "production", "PATH": "/usr/bin:/bin"}, timeout=60)
    assert result.returncode == 2
    assert "WECHAT_TOKEN" in result.stderr


def test_the_serving_app_freezes_its_long_lived_objects_out_of_the_collector(monkeypatch, tmp_path):
    import gc

    import bot
    monkeypatch.setenv("INSTANCE_DIR", str(tmp_path))
    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))  # the test process itself stays as it is
    monkeypatch.setattr(bot, "create_app", lambda: "app")
    assert bot.serving_app() == "app" and frozen == [True]
