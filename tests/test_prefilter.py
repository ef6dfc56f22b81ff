"""The characters a pattern needs, read off the pattern: a gate that never changes an answer."""
import json
import re
from pathlib import Path

import pytest
import yaml

from handlers import prefilter, router


@pytest.mark.parametrize("pattern, chars", [
    ("不想活|活不下去", {"活"}),  # the rarer of 不 and 活
    ("(被|挨)(打了|打伤)", {"打"}),  # one character every branch has beats two
    ("救命|报警", {"救", "报"}),
    ("a?b*", None),  # nothing is sure
    ("[^。]{0,3}死", {"死"}),
])
def test_required_chars(pattern, chars):
    assert prefilter.required_chars(pattern) == (frozenset(chars) if chars else None)


def test_the_gated_crisis_check_answers_as_the_alternation_does():
    lexicon = router.lexicon()
    raw = yaml.safe_load(router.LEXICON_FILE.read_text(encoding="utf-8"))
    alternation = re.compile("|".join(f"(?:{p})" for p in raw["crisis"]["patterns"]))
    texts = [json.loads(line).get("text") for path in sorted(Path(__file__).with_name("data").glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [text for text in texts if isinstance(text, str)]  # every set with messages: crisis, intents, FAQ
    assert len(texts) > 500
    for text in texts:
        norm = lexicon.crisis_exclude.sub(" ", router.normalise(text))
        assert lexicon.crisis.search(norm) == bool(alternation.search(norm)), text


def test_a_pattern_that_ignores_case_has_no_sure_characters():
    assert prefilter.required_chars("(?i)sos") is None
