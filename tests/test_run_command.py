"""`python -m bot run` as a newcomer starts it: embedded Redis and SQLite, real gunicorn, RQ worker and fake WeChat."""
import os
import signal
import socket
import subprocess
import sys
import time

import requests

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 90) -> requests.Response:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            response = requests.get(url, timeout=2)
            if response.status_code == 200:
                return response
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not come up")


def test_run_serves_the_simulator_and_a_message_makes_the_round_trip(tmp_path):
    port, fake_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "UNION_DESK_ENV")}
    env["INSTANCE_DIR"] = str(tmp_path / "instance")
    proc = subprocess.Popen([sys.executable, "-m", "bot", "run", "--port", str(port), "--fake-port", str(fake_port)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        health = wait_for(f"{base}/healthz").json()
        assert health["redis"] == "ok" and health["database"] == "ok"
        assert "微信模拟器" in requests.get(f"{base}/simulator", timeout=5).text
        sent = requests.post(f"{base}/simulator/send", timeout=15, json={
            "openid": "o_newcomer", "mode": "safe", "type": "text", "text": "查询"}).json()
        assert sent["status"] == 200 and sent["encrypted"] and "查" in sent["reply"]
        # the status job runs in the worker process and answers through the fake WeChat API
        deadline, messages = time.time() + 60, []
        while time.time() < deadline and not messages:
            messages = requests.get(f"{base}/simulator/messages", params={"openid": "o_newcomer"},
                                    timeout=5).json()["messages"]
            time.sleep(0.5)
        assert messages, "the worker never answered through the fake WeChat API"
        assert (tmp_path / "instance" / "union_desk.db").exists()
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        output, _ = proc.communicate(timeout=90)
    assert proc.returncode is not None
    assert "admin" in output  # the demo admin's password is printed for the newcomer
