"""Webhook throughput and latency beside a bare Flask endpoint, both under gunicorn, in one run.

    .venv/bin/python benchmarks/webhook.py [--seconds 5] [--rounds 3] [--rate 200]

Prints JSON: closed-loop throughput of /wechat (safe-mode text messages, each
signed and AES-encrypted like WeChat's, distinct MsgIds, 50 workers) and of a
bare endpoint, their ratio, and p50/p99 latency of /wechat at a fixed open-loop
rate. Uses REDIS_URL / DATABASE_URL when set, the embedded defaults otherwise.

A shared machine's speed drifts over minutes, so the two are measured in
several rounds, bare then webhook back to back; the round with the median
ratio is reported, and every round's figures are listed.

Each closed-loop result also says where the machine's CPU went, in milliseconds
per request (Linux /proc): the gunicorn workers, the Redis and PostgreSQL
servers, and this load generator, which shares the cores.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.wechat_sim import WeChatSide, text_xml  # noqa: E402
from config import DEV_AES_KEY, DEV_SECRETS  # noqa: E402

MESSAGES = ["老板欠我三个月工资", "你好", "加班费怎么算", "查询", "人工", "包工头跑了 我们二十几个人没拿到钱"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(target: str, port: int, env: dict, workers: int, threads: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "gthread", "--threads", str(threads), "-b",
           f"127.0.0.1:{port}", "--log-level", "warning", target]
    log = open(Path(env["INSTANCE_DIR"]) / f"gunicorn-{port}.log", "wb")  # a pipe nobody reads would block
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"gunicorn for {target} did not start: see {log.name}")


def make_requests(n: int) -> list[tuple[str, bytes]]:
    side = WeChatSide(DEV_SECRETS["WECHAT_TOKEN"], DEV_SECRETS["WECHAT_APP_ID"], DEV_AES_KEY)
    base = random.randint(10**12, 10**13)
    run = f"{base % 10**6:06d}"  # fresh workers every call: no conversation left over from an earlier run
    out = []
    for i in range(n):
        params, body = side.request(text_xml(f"o_bench_{run}_{i % 50}", random.choice(MESSAGES), msg_id=base + i),
                                    "safe")
        out.append(("/wechat?" + urlencode(params), body))
    return out


def _cpu_ticks(pids: list[int]) -> int:
    """User + system clock ticks used so far by these processes (0 for those gone or without /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total


def _processes(parent: int | None = None, names: tuple[str, ...] = ()) -> list[int]:
    """Pids of the children of ``parent``, or of the processes whose command name starts with one of ``names``."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat.rsplit(")", 1)[1].split()
        if (parent is not None and int(rest[1]) == parent) or (names and comm.startswith(names)):
            found.append(int(entry.name))
    return found


def closed_loop(port: int, reqs: list[tuple[str, bytes]], seconds: float, concurrency: int,
                server: subprocess.Popen | None = None) -> dict:
    """Each thread sends back to back on a keep-alive connection; returns requests/s and, with ``server``,
    the CPU milliseconds per request of its workers, Redis, PostgreSQL and this generator."""
    groups = {}
    if server is not None and Path("/proc/self/stat").exists():
        groups = {"server": _processes(parent=server.pid), "redis": _processes(names=("redis-server",)),
                  "postgres": _processes(names=("postgres",)), "generator": [os.getpid()]}
    before = {name: _cpu_ticks(pids) for name, pids in groups.items()}
    stop = time.monotonic() + seconds
    counts, errors = [0] * concurrency, [0] * concurrency
    index = iter(range(len(reqs)))
    lock = threading.Lock()

    def run(slot: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop:
            with lock:
                i = next(index, None)
            if i is None:
                return
            path, body = reqs[i]
            try:
                conn.request("POST", path, body=body, headers={"Content-Type": "text/xml"})
                response = conn.getresponse()
                response.read()
                counts[slot] += 1
                errors[slot] += response.status != 200
            except (OSError, http.client.HTTPException):
                errors[slot] += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(s,)) for s in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    result = {"requests": sum(counts), "errors": sum(errors), "rps": round(sum(counts) / elapsed, 1)}
    if groups and result["requests"]:
        per_tick = 1000 / os.sysconf("SC_CLK_TCK") / result["requests"]
        result["cpu_ms_per_request"] = {name: round((_cpu_ticks(pids) - before[name]) * per_tick, 3)
                                        for name, pids in groups.items()}
    return result


def open_loop(port: int, reqs: list[tuple[str, bytes]], rate: float, seconds: float) -> dict:
    """Requests at a fixed rate, each on its own schedule; returns latency percentiles (ms)."""
    total = int(rate * seconds)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    local = threading.local()

    def fire(i: int) -> None:
        path, body = reqs[i]
        t0 = time.perf_counter()
        ok = False
        for _attempt in range(2):  # a kept-alive connection the server has closed meanwhile: reconnect once
            reused = getattr(local, "conn", None) is not None
            conn = local.conn if reused else http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            local.conn = conn
            try:
                conn.request("POST", path, body=body, headers={"Content-Type": "text/xml"})
                response = conn.getresponse()
                ok = response.read() is not None and response.status == 200
                break
            except (OSError, http.client.HTTPException):
                local.conn = None
                if not reused:
                    break
        with lock:
            latencies.append((time.perf_counter() - t0) * 1000)
            errors[0] += not ok

    from concurrent.futures import ThreadPoolExecutor
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=32) as pool:
        for i in range(total):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(fire, i)
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 2)
    return {"rate": rate, "requests": total, "errors": errors[0], "p50_ms": pct(0.50), "p99_ms": pct(0.99),
            "max_ms": round(latencies[-1], 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5, help="length of each closed loop")
    parser.add_argument("--rounds", type=int, default=3, help="bare/webhook pairs; the median ratio is reported")
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--latency-seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes (both apps)")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn process (both apps)")
    args = parser.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="ud-bench-"))
    env = dict(os.environ, INSTANCE_DIR=str(instance), PYTHONPATH=str(ROOT))
    env.pop("UNION_DESK_ENV", None)
    if not env.get("REDIS_URL"):
        from bot.redis_store import embedded_url
        env["REDIS_URL"] = embedded_url(instance)
    from bot.db import Database
    from config import load
    Database(load(env).sqlalchemy_url).upgrade()

    web_port, bare_port = free_port(), free_port()
    web = start_gunicorn("bot:serving_app()", web_port, env, args.workers, args.threads)
    bare = start_gunicorn("benchmarks.bare_app:app", bare_port, env, args.workers, args.threads)
    rounds = []
    try:
        bare_reqs = make_requests(int(8000 * args.seconds))  # the bare endpoint ignores MsgIds: reused each round
        closed_loop(web_port, make_requests(200), 1, 4)  # warm up both
        closed_loop(bare_port, bare_reqs[:200], 1, 4)
        for _ in range(args.rounds):
            web_reqs = make_requests(int(2000 * args.seconds) + 500)  # fresh MsgIds and workers
            bare_result = closed_loop(bare_port, bare_reqs, args.seconds, args.concurrency, bare)
            web_result = closed_loop(web_port, web_reqs, args.seconds, args.concurrency, web)
            ratio = round(web_result["rps"] / bare_result["rps"], 3) if bare_result["rps"] else 0.0
            rounds.append((ratio, bare_result, web_result))
            print("round", ratio, bare_result, web_result, file=sys.stderr)
        latency = open_loop(web_port, make_requests(int(args.rate * args.latency_seconds) + 10), args.rate,
                            args.latency_seconds)
    finally:
        for proc in (web, bare):
            proc.terminate()
            proc.wait(timeout=10)
    ratio, bare_result, web_result = sorted(rounds, key=lambda r: r[0])[len(rounds) // 2]
    print(json.dumps({
        "database": "postgresql" if "postgresql" in env.get("DATABASE_URL", "") else "sqlite",
        "redis": "embedded" if env["REDIS_URL"].startswith("unix://") else "server",
        "gunicorn": f"{args.workers} workers x {args.threads} threads (gthread)",
        "bare_endpoint": bare_result,
        "webhook": web_result,
        "throughput_ratio": ratio,
        "rounds": [{"bare_rps": b["rps"], "webhook_rps": w["rps"], "ratio": r} for r, b, w in rounds],
        "webhook_latency_at_rate": latency,
    }, indent=2))


if __name__ == "__main__":
    main()
