"""Intent router: which service an inbound text message asks for.

Pure module (no Flask, Redis or network). ``route(text)`` normalises the text
with the lexicon (typos, dialect), extracts character n-gram, jieba word and
lexicon cue features, and scores them with a multinomial logistic regression
whose weights ``handlers/data/train_router.py`` builds from
``handlers/data/intent_training.yaml``. A few full-match rules in the lexicon
decide very short messages ("人工", "你好", "查询") outright; "unclear" rules mark
vague ones ("钱的事", "帮帮我") whose best guess gets a low confidence.
``is_crisis(text)`` separately flags danger to life.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from handlers import prefilter

DATA_DIR = Path(__file__).with_name("data")
LEXICON_FILE = DATA_DIR / "lexicon.yaml"
MODEL_FILE = DATA_DIR / "router_model.json"

INTENTS = ("wage_arrears", "hardship_aid", "education_aid", "medical_aid", "legal_aid",
           "faq", "status_query", "human", "greeting", "out_of_scope")
CASE_INTENTS = ("wage_arrears", "hardship_aid", "education_aid", "medical_aid", "legal_aid")  # each a form
ACT_CONFIDENCE = 0.5  # below this the router's guess becomes a clarifying question
RULE_CONFIDENCE = 0.95
UNCLEAR_CONFIDENCE = 0.3  # cap for vague messages (lexicon rules "unclear"): the bot asks back
MAX_ALTERNATIVES = 3

_NON_WORD = re.compile(r"[^0-9a-z#\u4e00-\u9fff]+")
# A question rather than a statement: "咋认定", "能要赔偿吗", "我该签不", "总包要不要负责".
_QUESTION = re.compile(r"咋|怎么|怎样|如何|什么|啥|多少|多久|多长|吗|么|能不能|可不可以|是不是|该不该|算不算|有没有|要不要|会不会|还是|的话|合法|谁"
                       r"|(我|俺)?(想)?问(一)?下|请问"
                       r"|真的不|是真的|对不对|得唔得|可唔可以|[系係]唔[系係]|有冇|使唔使|要唔要|好唔好|啱唔啱|点样|点解|几多|边度"  # Cantonese
                       r"|哪|(?<![好十百千万两二三四五六七八九])几(?![十百千万])|[签要能行该给]不[?？。!！]*$|[?？]"
                       r"|(?<=[报赔补算管去办批退认])不(?=[\s,，。.!！]|$)"  # "医保报了的还能再报不"
                       r"|(?<=[报给赔拿补要])好多(钱)?(嘛|哦|呀|啊)?(?=[\s,，。.!！]|$)")  # "能报好多嘛": how much
# FAQ topics about a case itself: told as a plain statement ("包工头卷钱跑路了"), it is that case.
STATEMENT_TOPICS = {"contractor_absconded": "wage_arrears", "wage_arrears_howto": "wage_arrears"}
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|[零〇一二两俩仨三四五六七八九十百千万]+(?=[个块元万千号天月年岁多来几钟小分%])")


@dataclass(frozen=True)
class Routing:
    intent: str  # one of INTENTS
    confidence: float  # 0..1; below 0.5 the bot should ask a clarifying question
    faq: str | None  # faq topic id when intent == "faq", else None
    alternatives: tuple[tuple[str, float], ...]  # the next best intents with scores, best first


@dataclass(frozen=True)
class _Lexicon:
    normalise: list[tuple[re.Pattern[str], str]]
    words: list[str]
    cues: dict[str, re.Pattern[str]]
    rules: list[tuple[re.Pattern[str], str]]
    crisis_exclude: re.Pattern[str]
    crisis: prefilter.AnyOf
    crisis_kinds: list[tuple[str, prefilter.AnyOf]]  # in order: the first that matches names the danger
    maybe_danger: dict[str, re.Pattern[str]]  # harm, now, not: a possible danger to ask about


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    """The lexicon file, compiled once."""
    with LEXICON_FILE.open(encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    return _Lexicon(
        normalise=[(re.compile(src), dst) for src, dst in raw["normalise"]],
        words=list(raw["words"]),
        cues={name: _any_of(patterns) for name, patterns in raw["cues"].items()},
        rules=[(re.compile(f"(?:{p})"), intent) for intent, patterns in raw["rules"].items()
               for p in patterns],
        crisis_exclude=_any_of(raw["crisis"]["exclude"]),
        crisis=prefilter.AnyOf(raw["crisis"]["patterns"]),
        crisis_kinds=[(kind, prefilter.AnyOf([pattern])) for entry in raw["crisis"]["kinds"]
                      for kind, pattern in entry.items()],
        maybe_danger={name: re.compile(pattern) for name, pattern in raw["crisis"]["maybe"].items()},
    )


@lru_cache(maxsize=1)
def _jieba() -> Any:
    """A jieba tokenizer with the domain words added (private: see handlers.wordcut), once."""
    from handlers import wordcut

    return wordcut.tokenizer(lexicon().words)


@lru_cache(maxsize=256)  # crisis check and routing normalise the same message
def normalise(text: str) -> str:
    """Half-width, lower-case text with typos and dialect mapped to standard words."""
    text = unicodedata.normalize("NFKC", text).lower().strip()
    for pattern, replacement in lexicon().normalise:
        text = pattern.sub(replacement, text)
    return text


def features(text: str) -> list[str]:
    """Feature names of one message (binary features, no duplicates)."""
    return _features(normalise(text))


def _features(norm: str) -> list[str]:
    chunks = [c for c in _NON_WORD.split(_NUMBER.sub("#", norm)) if c]
    feats: set[str] = set()
    for chunk in chunks:
        padded = f"^{chunk}$"
        feats.update(f"c:{ch}" for ch in chunk)
        feats.update(f"b:{padded[i:i + 2]}" for i in range(len(padded) - 1))
        feats.update(f"t:{padded[i:i + 3]}" for i in range(len(padded) - 2))
        feats.update(f"w:{w}" for w in _jieba().lcut(chunk) if len(w) > 1)
    cues = sorted(name for name, pattern in lexicon().cues.items() if pattern.search(norm))
    feats.update(f"cue:{name}" for name in cues)
    feats.update(f"cue:{a}+{b}" for i, a in enumerate(cues) for b in cues[i + 1:])
    length = sum(len(c) for c in chunks)
    feats.add("len:short" if length <= 4 else "len:mid" if length <= 12 else "len:long")
    return sorted(feats)


@dataclass(frozen=True)
class LinearModel:
    """Multinomial logistic regression over binary features."""

    labels: list[str]
    bias: list[float]
    weights: dict[str, list[float]]
    temperature: float = 1.0

    def probabilities(self, feats: list[str]) -> dict[str, float]:
        """Softmax probability of each label, given the features of one message."""
        scores = list(self.bias)
        scale = 1.0 / math.sqrt(max(len(feats), 1))
        for feat in feats:
            row = self.weights.get(feat)
            if row:
                for k, w in enumerate(row):
                    scores[k] += w * scale
        top = max(scores)
        exps = [math.exp((s - top) / self.temperature) for s in scores]
        total = sum(exps)
        return {label: e / total for label, e in zip(self.labels, exps)}

    def to_json(self) -> dict[str, Any]:
        return {"labels": self.labels, "bias": self.bias, "temperature": self.temperature,
                "weights": self.weights}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinearModel:
        return cls(data["labels"], data["bias"], data["weights"], data["temperature"])


@lru_cache(maxsize=1)
def models() -> dict[str, LinearModel]:
    """The shipped models: "intent" and "faq" (topic id among faq questions)."""
    with MODEL_FILE.open(encoding="utf-8") as f:
        data = json.load(f)
    return {name: LinearModel.from_json(data[name]) for name in ("intent", "faq")}


def _ranked(probs: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(((k, round(v, 4)) for k, v in probs.items()), key=lambda kv: -kv[1])


def _rule(norm: str) -> str | None:
    """The intent of a very short message decided by a full-match rule."""
    compact = "".join(_NON_WORD.split(norm))
    for pattern, intent in lexicon().rules:
        if pattern.fullmatch(compact):
            return intent
    return None


def faq_topic(text: str) -> str | None:
    """The faq topic id of a general question: handlers.faq if present, else our own model."""
    try:
        from handlers import faq
    except ImportError:
        pass
    else:
        topic = faq.match(text).topic
        if topic:
            return topic
    return _ranked(models()["faq"].probabilities(features(text)))[0][0]


@lru_cache(maxsize=256)  # the conversation may ask twice about one message (an aside, then the route)
def route(text: str) -> Routing:
    """Route one inbound text message (no dialog in progress) to an intent."""
    norm = normalise(text)
    if not _NON_WORD.sub("", norm):
        return Routing("out_of_scope", 0.0, None, ())
    ranked = _ranked(models()["intent"].probabilities(_features(norm)))
    intent, confidence = ranked[0]
    rule_intent = _rule(norm)
    if rule_intent == "unclear":
        confidence = min(confidence, UNCLEAR_CONFIDENCE)
    elif rule_intent:
        intent, confidence = rule_intent, max(RULE_CONFIDENCE, dict(ranked)[rule_intent])
    alternatives = tuple((k, v) for k, v in ranked if k != intent)[:MAX_ALTERNATIVES]
    topic = faq_topic(text) if intent == "faq" else None
    if topic in STATEMENT_TOPICS and not is_question(norm):
        return Routing(STATEMENT_TOPICS[topic], confidence, None, (("faq", confidence),) + alternatives[:-1])
    return Routing(intent, confidence, topic, alternatives)


_RECALL = re.compile(r"(叫)?(什么|啥子?)(名字)?来着")  # "杨什么来着": trying to remember, not asking


@lru_cache(maxsize=256)
def is_question(text: str) -> bool:
    """Whether the message asks something (a policy question) rather than tells (a case)."""
    return bool(_QUESTION.search(_RECALL.sub("", text)))


@lru_cache(maxsize=256)
def crisis_kind(text: str) -> str:
    """"medical" (someone hurt or collapsed: 120 first), "violence" (beaten, threatened, locked in: 110
    first) or "self_harm" (the rest: 12356 and a person)."""
    norm = lexicon().crisis_exclude.sub(" ", normalise(text))
    return next((kind for kind, pattern in lexicon().crisis_kinds if pattern.search(norm)), "self_harm")


def maybe_danger(text: str) -> bool:
    """Harm told as happening now, without the words of a danger and without a question about compensation:
    worth asking "您现在安全吗？" ("刚才从梯子上摔下来了 腿疼得厉害 咋办")."""
    maybe = lexicon().maybe_danger
    norm = normalise(text)
    return len(norm) >= 6 and bool(maybe["harm"].search(norm) and maybe["now"].search(norm)) and \
        not maybe["not"].search(norm)


@lru_cache(maxsize=256)  # one long alternation: asked more than once about a message (the dispatch, an aside)
def is_crisis(text: str) -> bool:
    """Whether the message signals danger to life (suicide, violence, confinement)."""
    norm = normalise(text)
    return bool(lexicon().crisis.search(lexicon().crisis_exclude.sub(" ", norm)))
