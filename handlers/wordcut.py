"""jieba tokenizers, each with its own added words, over one shared dictionary.

handlers.router and handlers.faq add different domain words. With jieba's global
``add_word`` each would change the other's tokenisation, depending on which one
loaded first (so the router's features at run time would differ from those it was
trained on). Here each gets a private copy of jieba's dictionary (about 15 MB: a
ChainMap overlay would save that but makes every lookup a Python call, doubling
the cost of routing a message); jieba's own dictionary is loaded once and never
modified.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

import jieba


def tokenizer(words: Iterable[str]) -> jieba.Tokenizer:
    """A jieba tokenizer knowing the standard dictionary plus ``words``."""
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    tk = jieba.Tokenizer()
    tk.FREQ = dict(jieba.dt.FREQ)  # add_word writes go to the private copy
    tk.total = jieba.dt.total
    tk.initialized = True
    for word in words:
        tk.add_word(word)
    return tk
