"""Intent router latency and accuracy.

    .venv/bin/python benchmarks/router.py [--rounds 20]

Prints JSON: mean time of one route() call after warm-up (faq topic lookup
included), intent accuracy on the public dev set, on tests/data/router_holdout.jsonl and on
the blind sets tests/data/blind_intents.jsonl and blind2_intents.jsonl, and faq
topic accuracy on the items of each routed to faq.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handlers import router  # noqa: E402

DEV_FILE = ROOT.parent / "shared" / "devset" / "intents.jsonl"
HOLDOUT_FILE = ROOT / "tests" / "data" / "router_holdout.jsonl"
BLIND_FILES = {name: ROOT / "tests" / "data" / f"{name}_intents.jsonl" for name in ("blind", "blind2", "blind3",
                                                                                          "blind4")}


def _rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _accuracy(rows: list[dict]) -> float | None:
    if not rows:
        return None
    good = sum(router.route(r["text"]).intent in [r["intent"], *r.get("also", [])] for r in rows)
    return round(good / len(rows), 4)


def _topic_accuracy(rows: list[dict]) -> float | None:
    routed = [(r, router.route(r["text"])) for r in rows if r.get("faq")]
    routed = [(r, routing) for r, routing in routed if routing.intent == "faq"]
    return round(sum(routing.faq == r["faq"] for r, routing in routed) / len(routed), 4) if routed else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="passes over the messages")
    args = parser.parse_args()
    dev, holdout = _rows(DEV_FILE), _rows(HOLDOUT_FILE)
    blind = {name: _rows(path) for name, path in BLIND_FILES.items()}
    texts = [r["text"] for r in dev + holdout + [r for rows in blind.values() for r in rows]]
    started = time.perf_counter()
    router.route("你好")
    warm_up_s = time.perf_counter() - started
    for text in texts:
        router.route(text)
    started = time.perf_counter()
    for _ in range(args.rounds):
        for text in texts:
            router.route(text)
    per_message_ms = (time.perf_counter() - started) * 1000 / (args.rounds * len(texts))
    print(json.dumps({
        "per_message_ms": round(per_message_ms, 4),
        "first_call_s": round(warm_up_s, 3),
        "messages": len(texts),
        "dev_accuracy": _accuracy(dev),
        "holdout_accuracy": _accuracy(holdout),
        "dev_faq_topic_accuracy": _topic_accuracy(dev),
        **{f"{name}_accuracy": _accuracy(rows) for name, rows in blind.items()},
        **{f"{name}_faq_topic_accuracy": _topic_accuracy(rows) for name, rows in blind.items()},
    }, indent=2))


if __name__ == "__main__":
    main()
