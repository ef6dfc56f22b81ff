"""Danger to life: the first answer, an urgent case for a person, and the hour after.

When a message reads as danger (``router.is_crisis``) the worker gets the first words for that danger and
the hotlines, and staff get an urgent case at once. For the next hour everything the worker says goes to
that case, never into a form, until they say they are safe (or it was a misreading: "我没有危险").
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Callable

from handlers import faq, forms, phrases, quick, router
from handlers.copy import text
from handlers.messages import MEDIA_LABELS, Action, Inbound, Result, remember_me, reply, ticket

CRISIS_HOLD = 3600  # after danger was signalled, every message for an hour goes to the urgent case

_STILL_THERE = phrases.pattern("crisis_still_there")
_DANGER_NOW = phrases.pattern("crisis_now")
_REPORTING = phrases.pattern("crisis_for_the_record")
_SAFE_FOR = phrases.patterns("crisis_safe_again")
_FALSE_ALARM = phrases.pattern("crisis_misread")
_SAFE_SAID = phrases.pattern("crisis_safe_said")
# What the worker named, by kind of danger: one more line after the first words (phrases.yaml crisis_also)
_ALSO = {kind: {name: re.compile(p) for name, p in named.items()} for kind, named in phrases.data("crisis_also").items()}
_DANGER_AGAIN = phrases.pattern("crisis_danger_again")
_CRISIS_NEWS = tuple(phrases.patterns("crisis_news").items())
# News that only fits some dangers: "不敢打" is about a hospital bill only when someone is hurt
_QUIET = dict(_CRISIS_NEWS)["quiet"]
_NEWS_FOR = {"afraid": ("medical", "self_harm"), "poisoned": ("medical", "self_harm"), "worse": ("medical", "self_harm")}

StartCase = Callable[[dict[str, Any], Inbound, str], Result]  # the conversation's own start of a case form


def for_the_record(state: dict[str, Any], words: str) -> bool:
    """A past threat told to be written down ("老板威胁要打人 这个也写上"), in a form or after an emergency: no
    new emergency. Never self-harm or an injury, never anything happening now ("他们现在带人来打我们了")."""
    return bool(_REPORTING.search(words) and not _DANGER_NOW.search(words)
                and (state.get("dialog") or state.get("crisis")) and router.crisis_kind(words) == "violence")


def start(state: dict[str, Any], message: Inbound, start_case: StartCase) -> Result:
    """Danger to life: the first words for that danger, hotlines, and an urgent case for a person at once.
    The dialog is kept; for the next hour the worker stays with the urgent case (see follow)."""
    kind = router.crisis_kind(message.text)
    crisis = state.get("crisis")
    if crisis and message.create_time < crisis["until"]:  # said again: the same case, not a second one
        crisis.update(until=message.create_time + CRISIS_HOLD, kind=kind)
        return follow(state, message, start_case)
    phone = forms.sure_values(message.text).get("phone")
    if phone:  # "13306312345 你们快点…": staff have the number, it is not asked for
        remember_me(state, {"phone": phone})
    state["crisis"] = {"ref": "{ref}", "kind": kind, "until": message.create_time + CRISIS_HOLD, "phone": bool(phone),
                       "said": message.text[:500]}  # what else it asked for, should it be a misreading
    if kind == "violence" and _ALSO["violence"]["at_home"].search(message.text):
        state["crisis"]["at_home"] = True
    fields = {"text": message.text, "crisis": True, "danger": kind}
    if state.get("dialog"):
        fields.update(state["dialog"]["fields"])
    first = text("crisis" if kind == "self_harm" else f"crisis_{kind}")
    extra = next((name for name, pattern in _ALSO.get(kind, {}).items() if pattern.search(message.text)), None)
    if extra:  # "流好多血 老板不让去医院", "我老公天天喝酒打我": one line for that, after the first
        lines = first.splitlines()
        # an injury's own first aid takes the place of the general one (bleeding, not moving the hurt)
        lines[1:2] = [text(f"crisis_also_{extra}").strip()] + ([] if kind == "medical" else lines[1:2])
        first = "\n".join(lines)
    if quiet := _QUIET.search(message.text):  # "我是偷偷拿手机发的": no calls, no "send your phone"
        state["crisis"]["quiet"] = True
    if phone or quiet:  # the number came with the message, or a call could give the worker away
        first = "\n".join(line for line in first.splitlines() if "手机号" not in line)
    if quiet:
        first += "\n" + text("crisis_follow_quiet").strip()
    return reply(state, first, ticket("consultation", message, fields, urgent=True))


def _answer_for(words: str) -> str | None:
    """The quick or knowledge-base answer to what a misread message asked, if it asked something we know."""
    if said := quick.answer(words):
        return said
    match = faq.match(words)
    return faq.entry(match.topic)["answer"].strip() if match.topic and match.confident else None


def follow(state: dict[str, Any], message: Inbound, start_case: StartCase) -> Result:
    """Whatever the worker says next goes to the urgent case, never into a form: a short answer for the
    danger, the phone number asked for until given, and the way out ("菜单") once safe."""
    crisis = state["crisis"]
    said = message.text.strip() or f"（{MEDIA_LABELS.get(message.msg_type, '消息')}）"
    phone = forms.sure_values(message.text).get("phone")
    misread = _FALSE_ALARM.search(said) and not router.is_crisis(_FALSE_ALARM.sub(" ", said))  # "我没有危险 …"
    safe_said = _SAFE_SAID.search(said) and not _DANGER_AGAIN.search(said)  # "我现在安全了 … 他打人能不能告他"
    if misread or safe_said or (_SAFE_FOR[crisis["kind"]].search(said) and not router.is_crisis(said)
                                and not _STILL_THERE.search(said)):
        # "我下来了", "120来了拉走了", "我没事 刚才说的气话" (not "我没事 我现在在楼顶上")
        state.pop("crisis")
        if phone:  # "我下来了 坐在楼梯这 电话幺五二…": the number goes with the case (appended) and is kept
            remember_me(state, {"phone": phone})
        append = Action("append_to_case", {"openid": message.openid, "ref": crisis["ref"], "text": said,
                                           "inbound_key": message.msg_id})
        first = text("crisis_misread" if misread else "crisis_safe").strip()
        rest = _FALSE_ALARM.sub(" ", _SAFE_FOR[crisis["kind"]].sub(" ", said)).strip()
        again = misread or crisis["kind"] == "anger"  # misread, or anger cooled: what the first message asked for
        for request in (rest, crisis.get("said", "") if again else ""):
            if request and (routing := router.route(request)).intent in router.CASE_INTENTS and \
                    routing.confidence >= router.ACT_CONFIDENCE:
                result = start_case(state, replace(message, text=request), routing.intent)  # "我没事了 帮我讨工钱"
                return Result([first + "\n\n" + result.replies[0], *result.replies[1:]],
                              result.state, [append, *result.actions])
        noted = text("contact_noted").strip() + "\n" if phone else ""
        answer = next((a for request in (rest, crisis.get("said", "") if again else "")
                       if request and (a := _answer_for(request))), None)  # "中暑不算工伤 对吗": answered now
        if answer:
            noted += answer + "\n"
        return reply(state, first + "\n" + noted + text("anything_else").strip(), append, pending="menu")
    actions = [Action("append_to_case", {"openid": message.openid, "ref": crisis["ref"], "text": said,
                                         "inbound_key": message.msg_id})]
    if phone and not crisis["phone"]:
        crisis["phone"] = True
        remember_me(state, {"phone": phone})
        return reply(state, text("crisis_noted"), *actions)
    situation = next((key for key, pattern in _CRISIS_NEWS if pattern.search(said)
                      and crisis["kind"] in _NEWS_FOR.get(key, (crisis["kind"],))), crisis["kind"])
    if situation == "quiet":  # hiding: from now on no "send us your phone", no calls
        crisis["quiet"] = True
        if crisis["kind"] == "death_hidden":  # a witness afraid of being known: secrecy, not the police by SMS
            situation = "death_hidden"
    elif crisis.get("quiet") and situation == crisis["kind"]:
        situation = "quiet"
    elif situation == "police" and crisis.get("at_home"):
        situation = "police_at_home"  # "报了警又咋样 上回来了也是劝劝就走了": 告诫书, a protection order
    lines = [text("crisis_follow"), text(f"crisis_follow_{situation}")]
    if not crisis.get("quiet"):
        lines.append(text("crisis_exit") if crisis["phone"] else text("crisis_ask_phone"))
    return reply(state, "\n".join(line.strip() for line in lines), *actions)
