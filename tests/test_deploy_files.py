"""The Dockerfile and compose file stay in step with the code (no Docker engine here to run them)."""
import re

import yaml
from click.testing import CliRunner

from bot.cli import cli
from tests.conftest import ROOT


def test_compose_commands_exist_and_services_are_wired():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "redis", "postgres", "migrate"} <= set(services)
    for name in ("web", "worker", "migrate"):
        command = services[name]["command"]
        assert command[:3] == ["python", "-m", "bot"]
        result = CliRunner().invoke(cli, [*command[3:], "--help"])
        assert result.exit_code == 0, (name, result.output)
        env = services[name].get("environment") or {}
        assert env.get("UNION_DESK_ENV") == "production"
        assert env["DATABASE_URL"].startswith("postgresql+psycopg://")
    for name in ("web", "worker", "redis", "postgres"):
        assert "healthcheck" in services[name], name


def test_dockerfile_is_slim_non_root_and_serves_with_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)", dockerfile, re.M)
    assert stages[-1] == "python:3.11-slim" and len(stages) == 2
    runtime = dockerfile.split("FROM python:3.11-slim\n")[-1]
    assert "build-essential" not in runtime  # no build tools left in the image
    assert re.search(r"^USER (?!root)\w+", runtime, re.M)
    assert '"serve"' in runtime and "HEALTHCHECK" in runtime
    for package in ("bot", "handlers", "workers", "config"):
        assert f"COPY {package} ./{package}" in dockerfile
