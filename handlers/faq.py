"""FAQ retrieval: match a worker's message to a topic of the knowledge base.

Pure module (no Flask, Redis or network). The knowledge base is
``handlers/data/faq.yaml``. A message is normalised (typos, dialect, numerals),
turned into TF-IDF features (jieba words plus character bigrams) and compared
with every example question; the score of a topic mixes its best-matching
question, its centroid and its weighted keyword hits, and lies in 0..1.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from handlers import wordcut

FAQ_FILE = Path(__file__).parent / "data" / "faq.yaml"

MIN_SCORE = 0.2  # below this nothing fits: topic is None
ALTERNATIVE_SCORE = 0.1  # runners-up below this are not worth listing
MAX_CHARS = 200  # longer messages keep their head and tail (the question is usually there)
CONFIDENT_SCORE = 0.33  # answer directly at or above this ...
CONFIDENT_MARGIN = 0.05  # ... when the runner-up is at least this far behind

# Weights of the three signals in the final score (they sum to 1).
W_NEAREST, W_CENTROID, W_KEYWORDS = 0.4, 0.2, 0.4
BIGRAM_WEIGHT = 0.6  # character bigrams count less than whole words
KEYWORD_SCALE = 1.5  # keyword weight sum giving 63 % of the keyword signal

# Plain replacements applied in order: typos, dialect, synonyms, numerals.
REPLACEMENTS: tuple[tuple[str, str], ...] = (
    ("工姿", "工资"), ("公资", "工资"), ("工钱", "工资"), ("工支", "工资"), ("工质", "工资"),
    ("加般", "加班"), ("家班", "加班"), ("架班", "加班"),
    ("仲栽", "仲裁"), ("仲才", "仲裁"), ("仲载", "仲裁"), ("中裁", "仲裁"),
    ("公伤", "工伤"), ("功伤", "工伤"), ("最底", "最低"), ("托欠", "拖欠"), ("拖歉", "拖欠"), ("欠新", "欠薪"), ("讨新", "讨薪"),
    ("老版", "老板"), ("老扳", "老板"), ("老细", "老板"),
    ("合通", "合同"), ("和同", "合同"), ("辞推", "辞退"), ("社宝", "社保"),
    ("公基金", "公积金"), ("公积今", "公积金"), ("试用其", "试用期"),
    ("病价", "病假"), ("年价", "年假"), ("产价", "产假"),
    ("补尝", "补偿"), ("补常", "补偿"), ("赔尝", "赔偿"), ("陪偿", "赔偿"),
    ("包公头", "包工头"), ("包工投", "包工头"), ("派遗", "派遣"), ("公会", "工会"),
    ("冇", "没"), ("唔", "不"), ("佢", "他"), ("乜嘢", "啥"), ("咩", "啥"), ("点算", "咋办"),
    ("炒鱿鱼", "辞退"), ("炒咗", "辞退"), ("返工", "上班"),
    ("什么", "啥"), ("甚么", "啥"), ("啥子", "啥"), ("怎么", "咋"), ("怎样", "咋样"), ("咋个", "咋"),
    ("没有", "没"), ("木有", "没"),
    ("双倍", "二倍"), ("两倍", "二倍"), ("2倍", "二倍"), ("3倍", "三倍"),
    ("一倍半", "一点五倍"), ("1.5倍", "一点五倍"), ("150%", "一点五倍"),
    ("200%", "二倍"), ("300%", "三倍"),
)
# 工商 (industry and commerce) is a common typo of 工伤 when injury is mentioned.
INJURY_CONTEXT = re.compile(r"伤|认定|保险|赔|残|事故|砸|摔|骨折|医药费|住院")
MAY_DAY = re.compile(r"(?<![\d.])5[.·。]?1(?=节|假|放|期间|那|劳动)")
NON_TEXT = re.compile(r"[^\w%+.]+")
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+(?:\.[0-9]+)?")

STOPWORDS = frozenset(
    "俺们 我们 咱们 你们 他们 人家 自己 这个 那个 这样 那样 这些 那些 就是 还是 但是 可是 然后 "
    "如果 的话 是不是 能不能 可不可以 行不行 请问 一下 一个 现在 知道 问问 想问 问下".split()
)


@dataclass(frozen=True)
class FaqMatch:
    """Result of :func:`match`: best topic, its score and the runners-up."""

    topic: str | None  # best topic id, None when nothing fits
    score: float  # 0..1
    alternatives: tuple[tuple[str, float], ...]  # next best (topic, score), best first, up to 3

    @property
    def confident(self) -> bool:
        """True when the best topic is clearly good enough to answer directly."""
        if self.topic is None or self.score < CONFIDENT_SCORE:
            return False
        runner_up = self.alternatives[0][1] if self.alternatives else 0.0
        return self.score - runner_up >= CONFIDENT_MARGIN


def normalize(text: str) -> str:
    """Lower-case, full-width to half-width, fix typos and dialect, drop punctuation."""
    text = unicodedata.normalize("NFKC", text).lower()
    for wrong, right in REPLACEMENTS:
        text = text.replace(wrong, right)
    if "工商" in text and INJURY_CONTEXT.search(text):
        text = text.replace("工商", "工伤")
    text = MAY_DAY.sub("五一", text)
    return NON_TEXT.sub(" ", text).strip()


def _features(norm: str) -> dict[str, float]:
    """Sublinear term frequencies of jieba words (w:) and character bigrams (b:)."""
    words = Counter(
        "w:" + w for w in _tokenizer().lcut(norm, HMM=False) if len(w) > 1 and w not in STOPWORDS and not w.isspace()
    )
    bigrams = Counter("b:" + run[i:i + 2] for run in CJK_RUN.findall(norm) for i in range(len(run) - 1))
    features = {f: 1.0 + math.log(n) for f, n in words.items()}
    features.update({f: BIGRAM_WEIGHT * (1.0 + math.log(n)) for f, n in bigrams.items()})
    return features


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {f: v / norm for f, v in vector.items()}


class _Index:
    """TF-IDF postings over the example questions, plus compiled keywords."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self.entries = {e["id"]: e for e in entries}
        self.topics = [e["id"] for e in entries]
        docs: list[tuple[int, dict[str, float]]] = []
        for t, e in enumerate(entries):
            for question in [e["title"], *e["questions"]]:
                docs.append((t, _features(normalize(question))))
        df: dict[str, int] = defaultdict(int)
        for _, feats in docs:
            for f in feats:
                df[f] += 1
        self.idf = {f: math.log(1 + len(docs) / n) for f, n in df.items()}
        self.unseen_idf = math.log(1 + len(docs))  # words never seen still dilute the match
        # feature -> [(question, weight)] and feature -> [(topic, weight)] of the centroids
        self.question_topic = [t for t, _ in docs]
        self.questions: dict[str, list[tuple[int, float]]] = defaultdict(list)
        centroids: list[dict[str, float]] = [defaultdict(float) for _ in entries]
        for q, (t, feats) in enumerate(docs):
            for f, w in self._vector(feats).items():
                self.questions[f].append((q, w))
                centroids[t][f] += w
        self.centroids: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for t, centroid in enumerate(centroids):
            for f, w in _unit(centroid).items():
                self.centroids[f].append((t, w))
        self.keywords = [
            [(re.compile(pattern), float(weight)) for pattern, weight in (e.get("keywords") or {}).items()]
            for e in entries
        ]

    def _vector(self, feats: dict[str, float]) -> dict[str, float]:
        return _unit({f: tf * self.idf.get(f, self.unseen_idf) for f, tf in feats.items()})

    def scores(self, text: str) -> list[float]:
        """Score of every topic (same order as ``self.topics``) for ``text``."""
        norm = normalize(text)
        vector = self._vector(_features(norm))
        per_question: dict[int, float] = defaultdict(float)
        centroid = [0.0] * len(self.topics)
        for f, w in vector.items():
            for q, qw in self.questions.get(f, ()):
                per_question[q] += w * qw
            for t, cw in self.centroids.get(f, ()):
                centroid[t] += w * cw
        nearest = [0.0] * len(self.topics)
        for q, sim in per_question.items():
            t = self.question_topic[q]
            if sim > nearest[t]:
                nearest[t] = sim
        compact = norm.replace(" ", "")
        result = []
        for t, keywords in enumerate(self.keywords):
            hits = sum(weight for pattern, weight in keywords if pattern.search(compact))
            keyword = 1.0 - math.exp(-max(hits, 0.0) / KEYWORD_SCALE)
            result.append(min(1.0, W_NEAREST * nearest[t] + W_CENTROID * centroid[t] + W_KEYWORDS * keyword))
        return result


@lru_cache(maxsize=1)
def _entries() -> list[dict[str, Any]]:
    with FAQ_FILE.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """jieba with the Chinese terms of the keyword patterns added (private to this module)."""
    return wordcut.tokenizer(term for e in _entries() for pattern in e.get("keywords") or {}
                             for term in re.findall(r"[\u4e00-\u9fff]{2,6}", pattern))


@lru_cache(maxsize=1)
def _index() -> _Index:
    """Load the knowledge base and build the index once, on first use."""
    return _Index(_entries())


@lru_cache(maxsize=256)  # one message asks up to three times (router, dialog aside, answer); results are immutable
def match(text: str) -> FaqMatch:
    """Best FAQ topic for ``text``; topic is None when nothing fits."""
    index = _index()
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS // 2] + " " + text[-MAX_CHARS // 2:]
    ranked = sorted(zip(index.topics, index.scores(text)), key=lambda p: p[1], reverse=True)
    alternatives = tuple((t, round(s, 4)) for t, s in ranked[1:4] if s >= ALTERNATIVE_SCORE)
    best, score = ranked[0]
    return FaqMatch(best if score >= MIN_SCORE else None, round(score, 4), alternatives)


def entry(topic: str) -> dict[str, Any]:
    """The knowledge-base entry for ``topic``: id, title, questions, keywords, answer."""
    return dict(_index().entries[topic])


def topics() -> list[str]:
    """All topic ids, in knowledge-base order."""
    return list(_index().topics)


def ask_json(text: str) -> dict[str, Any]:
    """JSON-ready match result for the ``python -m bot ask TEXT`` helper."""
    result = match(text)
    return {
        "faq": result.topic,
        "score": result.score,
        "alternatives": [{"faq": t, "score": s} for t, s in result.alternatives],
    }
