"""Build handlers/data/router_model.json from intent_training.yaml and lexicon.yaml.

    .venv/bin/python handlers/data/train_router.py             # train and write the model
    .venv/bin/python handlers/data/train_router.py --evaluate  # also: 5-fold CV, dev, holdout

Trains two multinomial logistic regressions (plain Python, AdaGrad, L2): the
intent model and the faq topic model. The softmax temperature of the intent
model is fitted on 5-fold out-of-fold predictions, so confidences are calibrated.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from handlers import router  # noqa: E402

TRAINING_FILE = router.DATA_DIR / "intent_training.yaml"
DEV_FILE = Path("/work/shared/devset/intents.jsonl")
HOLDOUT_FILE = ROOT / "tests" / "data" / "router_holdout.jsonl"
EPOCHS = 30
LEARNING_RATE = 0.5
L2 = 1e-4
MIN_FEATURE_COUNT = 2  # features seen once in training are ignored
FOLDS = 5
TEMPERATURES = [t / 20 for t in range(10, 61)]

Example = tuple[list[str], str]


def source_digest() -> str:
    """sha256 of the files the model is built from (checked by the tests)."""
    digest = hashlib.sha256()
    for path in (TRAINING_FILE, router.LEXICON_FILE):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_training() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(text, intent) pairs and (text, faq topic) pairs of the training file."""
    with TRAINING_FILE.open(encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    intents = [(text, intent) for intent, texts in raw["intents"].items() for text in texts]
    topics = [(text, topic) for topic, texts in raw["faq"].items() for text in texts]
    return intents + [(text, "faq") for text, _ in topics], topics


def train(examples: list[Example], labels: list[str], seed: int = 0) -> router.LinearModel:
    """Softmax regression with AdaGrad; rare labels are up-weighted (sqrt balancing)."""
    counts = Counter(label for _, label in examples)
    mean = len(examples) / len(counts)
    label_weight = {label: math.sqrt(mean / n) for label, n in counts.items()}
    n = len(labels)
    weights: dict[str, list[float]] = defaultdict(lambda: [0.0] * n)
    grad_sq: dict[str, list[float]] = defaultdict(lambda: [1e-6] * n)
    bias, bias_sq = [0.0] * n, [1e-6] * n
    seen = Counter(feat for feats, _ in examples for feat in feats)
    order = [([f for f in feats if seen[f] >= MIN_FEATURE_COUNT], label) for feats, label in examples]
    rng = random.Random(seed)
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for feats, label in order:
            model = router.LinearModel(labels, bias, weights)
            probs = model.probabilities(feats)
            scale = 1.0 / math.sqrt(max(len(feats), 1))
            c = label_weight[label]
            grads = [c * (probs[lab] - (lab == label)) for lab in labels]
            for k, g in enumerate(grads):
                bias_sq[k] += g * g
                bias[k] -= LEARNING_RATE * g / math.sqrt(bias_sq[k])
            for feat in feats:
                row, sq = weights[feat], grad_sq[feat]
                for k, g in enumerate(grads):
                    g = g * scale + L2 * row[k]
                    sq[k] += g * g
                    row[k] -= LEARNING_RATE * g / math.sqrt(sq[k])
    return router.LinearModel(labels, bias, dict(weights))


def compact(model: router.LinearModel, temperature: float) -> router.LinearModel:
    """The model with rounded weights and negligible features dropped (small JSON)."""
    weights = {f: [round(w, 2) for w in row] for f, row in sorted(model.weights.items())
               if max(abs(w) for w in row) >= 0.05}
    return router.LinearModel(model.labels, [round(b, 3) for b in model.bias], weights, temperature)


def folds(examples: list[Example], k: int = FOLDS) -> list[tuple[list[Example], list[Example]]]:
    """k (train, test) splits, stratified by label."""
    buckets: list[list[Example]] = [[] for _ in range(k)]
    by_label: dict[str, list[Example]] = defaultdict(list)
    for ex in examples:
        by_label[ex[1]].append(ex)
    rng = random.Random(1)
    i = 0
    for label in sorted(by_label):
        group = by_label[label]
        rng.shuffle(group)
        for ex in group:
            buckets[i % k].append(ex)
            i += 1
    return [([ex for j, b in enumerate(buckets) if j != fold for ex in b], buckets[fold])
            for fold in range(k)]


def cross_validate(examples: list[Example], labels: list[str]) -> tuple[float, float]:
    """(accuracy, best softmax temperature) of out-of-fold predictions."""
    out_of_fold: list[tuple[router.LinearModel, Example]] = []
    for train_part, test_part in folds(examples):
        model = train(train_part, labels)
        out_of_fold += [(model, ex) for ex in test_part]
    correct = sum(max(m.probabilities(f).items(), key=lambda kv: kv[1])[0] == y
                  for m, (f, y) in out_of_fold)

    def nll(t: float) -> float:
        return -sum(math.log(max(router.LinearModel(m.labels, m.bias, m.weights, t)
                                 .probabilities(f)[y], 1e-12)) for m, (f, y) in out_of_fold)

    return correct / len(out_of_fold), min(TEMPERATURES, key=nll)


def evaluate_file(path: Path) -> None:
    """Print intent (and faq topic) accuracy of route() on a labelled JSONL file."""
    if not path.exists():
        return
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    ok = topic_ok = topics = 0
    for row in rows:
        routing = router.route(row["text"])
        good = routing.intent in [row["intent"], *row.get("also", [])]
        ok += good
        if row.get("faq") and routing.intent == "faq":
            topics += 1
            topic_ok += routing.faq == row["faq"]
        if not good:
            print(f"  MISS {row['intent']:>13} -> {routing.intent:<13} {routing.confidence:.2f} {row['text']}")
    print(f"{path.name}: intent accuracy {ok / len(rows):.3f} ({ok}/{len(rows)}), "
          f"faq topic accuracy {topic_ok}/{topics}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluate", action="store_true", help="5-fold CV, dev and holdout accuracy")
    args = parser.parse_args()
    intent_pairs, topic_pairs = load_training()
    intent_examples = [(router.features(text), label) for text, label in intent_pairs]
    topic_examples = [(router.features(text), label) for text, label in topic_pairs]
    topic_labels = sorted({label for _, label in topic_pairs})
    cv_accuracy, temperature = cross_validate(intent_examples, list(router.INTENTS))
    print(f"5-fold CV intent accuracy on training data {cv_accuracy:.3f}; temperature {temperature}")
    model = {
        "source_sha256": source_digest(),
        "intent": compact(train(intent_examples, list(router.INTENTS)), temperature).to_json(),
        "faq": compact(train(topic_examples, topic_labels), 1.0).to_json(),
    }
    router.MODEL_FILE.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")),
                                 encoding="utf-8")
    print(f"wrote {router.MODEL_FILE} ({len(model['intent']['weights'])} intent features)")
    if args.evaluate:
        router.models.cache_clear()
        evaluate_file(DEV_FILE)
        evaluate_file(HOLDOUT_FILE)


if __name__ == "__main__":
    main()
