"""The conversation: global commands, routing, dialogs, FAQ, open cases (danger: handlers/crisis.py).

``handle(state, message) -> Result`` is pure. Time comes from the message
(CreateTime), so tests control the clock. ``{ref}`` in replies and state is a
placeholder the webhook fills with the reference it allocates for a
``create_ticket`` action.

State keys: ``dialog`` (running form), ``draft`` (an abandoned dialog, kept a
day), ``pending`` (numbered options just offered), ``asked`` (the question those options
offer help with), ``crisis`` (the urgent case, its kind and until when the worker stays with it),
``contact_for`` (a hand-over waiting for a phone number), ``me`` (the worker's name and phone, once given),
``recent`` (the last few things the worker said, numbers masked, for a hand-over), ``answered``
(the FAQ topic just answered, for a follow-up),
``evidence_for`` (补充材料 mode), ``updated`` (time of the last message).
``worker`` (the worker's cases, from Redis) is given by the webhook and never saved.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from handlers import answers, faq, forms, phrases, quick, reckon, router
from handlers import crisis as crisis_mode
from handlers import normalise as nz
from handlers.copy import table, text
from handlers.fields import LEADING_CHOICE, Field, Problem, read, without_fillers
from handlers.messages import MEDIA_LABELS, Action, Inbound, Result, remember_me, reply, ticket

DIALOG_IDLE = 30 * 60  # a dialog untouched this long becomes a draft
DRAFT_KEEP = 24 * 3600  # drafts are kept a day ("继续" resumes)
# Vague messages ("帮帮我", "钱的事") often land on these with middling confidence: ask instead.
INTENT_CONFIDENCE = {"out_of_scope": 0.85, "status_query": 0.75, "greeting": 0.6}
NEW_REQUEST_CONFIDENCE = 0.75  # with an open case, a new request must be this clear
OPEN_FOR_APPEND = ("new", "assigned", "in_progress", "waiting_worker")  # what the worker says next goes to it
MEDIA = ("image", "voice", "video", "shortvideo", "file")
LOOSE_MEDIA_KEEP = 9  # photos or voice sent before any case: attached to the next case the worker opens

_PUNCT = re.compile(r"[\s,，。.!！?？~～、:：;；\"'“”‘’()（）\[\]【】]+")
# What workers say that changes the course of a conversation (handlers/data/phrases.yaml)
COMMANDS = phrases.words("commands")
_QUIT = phrases.pattern("quit")
_PAUSE = phrases.pattern("pause")
_RESUME_IN = phrases.pattern("resume_in")
_STANDING = phrases.patterns("standing")
_WAGES_PAID = phrases.pattern("wages_paid")
_LABOUR_ANSWER = phrases.pattern("labour_answer")
_SKIP_OPTIONAL = phrases.pattern("skip_optional")
_CANTONESE_WAGE = phrases.pattern("cantonese_wage")
_ASKING_FIRST = re.compile(r"^((等一下|等等|等下|稍等)[，,\s]*)?(我|俺)?(先|就|想|还)?(问问|问一下|问下|请问|想问|打听一下|问个事)"
                           r"|^(你)?先(说|告诉我|回答)|你没回答")
_NOT_A_CASE = phrases.pattern("not_a_case")
_LEAVE_FORM = phrases.pattern("leave_form")
_PROGRAMMES = phrases.patterns("programmes")
_BOTH_PROGRAMMES = phrases.pattern("both_programmes")
_SWITCH_TO = {word: flow for flow, words in phrases.words("switch_to").items() for word in words}
_SWITCH_WORD = {flow: words[0] for flow, words in phrases.data("switch_to").items()}  # what to reply to switch
_PAPERS = phrases.pattern("papers")
_SKIP_TOO = phrases.pattern("skip_too")
_WANTS_PERSON = phrases.pattern("wants_person")
_ASIDE_WORDS = phrases.pattern("aside_words")
_STRONG_QUESTION = phrases.pattern("strong_question")
_NOT_ANSWERED = phrases.pattern("not_answered")
_NEW_CASE = phrases.pattern("new_case")
_HELP_PLEASE = phrases.pattern("help_please")
_WORK_DEATH = phrases.pattern("work_death")
_LEAVE_ASKED = phrases.pattern("leave_asked")
_HEARSAY = phrases.pattern("hearsay")
_THANKS = phrases.pattern("thanks")
_RULE_QUESTION = phrases.pattern("rule_question")
_FOLLOW_UP = phrases.pattern("follow_up")

MENU_CHOICES = ["wage_arrears", "hardship_aid", "education_aid", "medical_aid", "legal_aid", "faq_prompt",
                "status", "human"]
AID_CHOICES = ["hardship_aid", "education_aid", "medical_aid", "legal_aid"]
CLICK_KEYS = {"MENU_WAGE": "wage_arrears", "MENU_HARDSHIP": "hardship_aid", "MENU_EDUCATION": "education_aid",
              "MENU_MEDICAL": "medical_aid", "MENU_LEGAL": "legal_aid", "MENU_AID": "aid_menu",
              "MENU_FAQ": "faq_prompt", "MENU_STATUS": "status", "MENU_HUMAN": "human", "MENU_HOME": "menu"}
_SAFE_NOW = re.compile(r"^(2|没事|没事了|安全|安全的|没有危险|没危险|不危险|没有|没|不是|挺好|还好)[的了啊呀吧，,。\s]*$")
_NOT_SAFE = re.compile(r"^(1|有|有危险|危险|不安全|救命|快来|是)[的了啊呀吧，,。！!\s]*$")
_RATING = re.compile(r"^([1-5])\s*(分|星)?$")


def handle(state: dict[str, Any] | None, message: Inbound) -> Result:
    state = dict(state or {})
    if message.text:  # 問下加班費點計: traditional characters read as simplified (the inbox keeps what was sent)
        message = replace(message, text=_CANTONESE_WAGE.sub("工资", nz.simplified(message.text)))
    said = _PUNCT.sub("", message.text)
    if len(said) == 1 and (digit := nz.spoken_digits(said.replace("两", "二"))).isdigit() and digit != said:
        message = replace(message, text=digit)  # "二" said in a voice message is the 2 of the menu
    worker = state.pop("worker", None) or {}
    now = message.create_time
    notice = _expire(state, now)
    result = _dispatch(state, message, worker)
    if notice and result.replies:
        result.replies[0] = notice + "\n\n" + result.replies[0]
    if message.media_id and message.msg_type in MEDIA:  # WeChat deletes media after 3 days
        result.actions.append(Action("download_media", {"openid": message.openid, "media_id": message.media_id,
                                                        "msg_type": message.msg_type}))
    if result.state or not message.is_event:
        result.state["updated"] = now
    _note_standing(result, " ".join((state.get("recent") or []) + [message.text]))
    if message.text.strip() and not message.is_event and _command(message.text.strip()) is None:
        recent = result.state.setdefault("recent", [])  # what the worker said last, for a hand-over
        recent.append(nz.mask_text(message.text.strip())[:120])
        del recent[:-RECENT_KEEP]
    return result


def _note_standing(result: Result, said: str) -> None:
    """A labour-law answer to a nanny, a rider or a dispatched worker gets, once, the note of what may not
    apply to them (a household is no employer under the labour law; riders; the user's joint liability)."""
    at = next((i for i in reversed(range(len(result.replies))) if _LABOUR_ANSWER.search(result.replies[i])), None)
    if at is None or result.state.get("crisis"):
        return
    told = result.state.setdefault("standing_told", [])
    for kind, pattern in _STANDING.items():
        if (kind not in told or kind == "domestic") and pattern.search(said):  # a nanny's every sum is in doubt
            if kind not in told:
                told.append(kind)
            result.replies[at:at + 1] = _packed(result.replies[at], text(f"standing_{kind}").strip())


def _dispatch(state: dict[str, Any], message: Inbound, worker: dict[str, Any]) -> Result:
    if message.is_event:
        return _event(state, message)
    words = message.text.strip()
    reporting = crisis_mode.for_the_record(state, words)
    if words and router.is_crisis(words) and not reporting:
        return crisis_mode.start(state, message, _start)
    command = _command_here(state, words)
    if (contact := state.get("contact_for")) and message.create_time < contact["until"] and \
            "phone" in (sure := forms.sure_values(words)):  # "好 我电话13807311234 我姓周 等你们电话"
        state.pop("contact_for")
        remember_me(state, sure)
        append = Action("append_to_case", {"openid": message.openid, "ref": contact["ref"], "text": words,
                                           "inbound_key": message.msg_id})
        if not state.get("dialog"):
            return reply(state, text("contact_noted"), append)
        result = _in_dialog(state, message)  # back in the form after 人工: the form asking for it takes it too
        return Result(result.replies, result.state, [append, *result.actions])
    if (crisis := state.get("crisis")) and command in ("resume", "cancel"):
        state.pop("crisis")  # "继续" goes back to the form, "取消" out of the hour; the urgent case stays with staff
    elif crisis and message.create_time < crisis["until"] and command != "menu" and not reporting:
        return crisis_mode.follow(state, message, _start)
    if command:
        return COMMAND_HANDLERS[command](state, message, worker)
    if state.get("dialog"):
        return _in_dialog(state, message)
    pending = state.pop("pending", None)
    if not pending and not worker.get("rating_for") and re.fullmatch(r"\s*[1-8]\s*", words):
        pending = "menu"  # "2" as a first message: the menu's numbers (in the welcome, on the menu bar)
    asked = state.pop("asked", None)  # the question an offer of help was made for: the case starts from it
    both = state.pop("both", None)
    if pending and (picked := _pick(pending, words)):
        if both and picked in both:  # the other programme is offered once this one is submitted
            state["then"] = [p for p in both if p != picked]
        return _start(state, replace(message, text=asked) if asked else message, picked)
    if words and router.maybe_danger(words):  # "刚才从梯子上摔下来了 腿疼得厉害": asked before anything else
        state["asked"] = words
        return reply(state, text("safety_check"), pending=["crisis_yes", "crisis_no"])
    if message.msg_type in MEDIA and not words:
        return _media(state, message, worker)
    if message.msg_type == "location":
        return reply(state, text("menu"), pending="menu")
    if not words:
        return reply(state, text("unsupported"))
    if worker.get("rating_for") and (rating := _RATING.match(words)):
        return reply(state, text("rating_thanks"), Action("rate_case", {
            "openid": message.openid, "ref": worker["rating_for"], "rating": int(rating.group(1))}))
    return _route(state, message, worker)


def _command_here(state: dict[str, Any], words: str) -> str | None:
    """The command a message is, with what it means in this state: stepping away in a form ("我现在要去上班了
    等下晚上再跟你说") pauses it, "…继续" with a draft resumes it."""
    command = _command(words)
    dialog = state.get("dialog") or {}
    if command == "menu" and words.strip() in ("0", "零") and dialog.get("stage") == "ask" and \
            forms.flows()[dialog["flow"]].field(dialog["asking"]).parser in ("money", "amount", "count"):
        return None  # "没有收入请回复 0": the answer, not the menu
    if not command and state.get("dialog") and len(words) <= 24 and _PAUSE.search(_PUNCT.sub("", words)):
        return "cancel"
    if command == "cancel" and _skips_optional(dialog, words):
        return None  # "不要了", "算了不填了" at the ID question skips the ID, never the complaint
    if not command and state.get("draft") and not state.get("dialog") and _RESUME_IN.search(words):
        return "resume"
    return command


def _work_death(words: str) -> bool:
    """A death at work told by the family ("工友从楼上掉下来没了"), not a family death asked about for leave nor one
    heard of in the news."""
    return bool(_WORK_DEATH.search(words)) and not _LEAVE_ASKED.search(words) and not _HEARSAY.search(words)


def _skips_optional(dialog: dict[str, Any], words: str) -> bool:
    """Declining a question that may be skipped, in the words of giving up ("算了不填了" at the ID number)."""
    return dialog.get("stage") == "ask" and bool(_SKIP_OPTIONAL.match(_PUNCT.sub("", words))) and \
        forms.flows()[dialog["flow"]].field(dialog["asking"]).optional


# -- events -----------------------------------------------------------------------

def _event(state: dict[str, Any], message: Inbound) -> Result:
    if message.event in ("subscribe", "subscribe_scan"):
        return Result([text("welcome") + "\n" + text("menu")], {**state, "pending": "menu"}, [
            Action("record_follower", {"openid": message.openid, "subscribed": True, "scene": message.event_key})])
    if message.event == "unsubscribe":
        return Result([], state, [Action("record_follower", {"openid": message.openid, "subscribed": False})])
    if message.event == "click":
        target = CLICK_KEYS.get(message.event_key, "menu")
        return _start(state, message, target)
    return Result([], state, [])  # LOCATION reports, VIEW, job-finished events: nothing to say


# -- commands ---------------------------------------------------------------------


def _command(words: str) -> str | None:
    compact = _PUNCT.sub("", words).lower()
    found = next((name for name, forms_ in COMMANDS.items() if compact in forms_), None)
    if not found and len(compact) <= 10 and _WANTS_PERSON.search(compact) and not re.search(r"不(要|找|用)", compact):
        return "human"  # "我要真人", "给我找个活人": in a form too, never an answer
    if not found and len(compact) <= 12 and re.search(r"取消(吧|了)?$|^取消", compact):
        return "cancel"  # "我没说欠薪啊 取消"
    return found or ("cancel" if _QUIT.match(compact) else None)


def _cancel(state, message, worker) -> Result:
    """Nothing is submitted; what was filled stays a draft for a day, in case the worker changes their mind."""
    state.pop("evidence_for", None)
    if dialog := state.pop("dialog", None):
        state["draft"] = {"dialog": dialog, "saved": message.create_time}
        return reply(state, text("cancelled"))
    return reply(state, text("nothing_to_cancel") + "\n" + text("menu"), pending="menu")


def _back(state, message, worker) -> Result:
    return _dialog_command(state, forms.back)


def _edit(state, message, worker) -> Result:
    return _dialog_command(state, forms.edit)


def _dialog_command(state: dict[str, Any], command) -> Result:
    """返回 / 修改 act on the running dialog; without one they show the menu."""
    if not state.get("dialog"):
        return reply(state, text("menu"), pending="menu")
    step = command(state["dialog"])
    state["dialog"] = step.dialog
    return reply(state, *step.replies)


def _human(state, message, worker) -> Result:
    if not state.get("dialog") and (opened := _just_submitted(state, message)):  # "转人工转人工", "人呢": no new case
        said = message.text.strip() or "（点击了找工作人员）"
        replies = [text("human_again", ref=opened["ref"])] + ([] if (state.get("me") or {}).get("phone") or
                                                               opened["category"] != "consultation" else
                                                               [text("human_ask_phone")])
        return reply(state, "\n".join(r.strip() for r in replies), Action("append_to_case", {
            "openid": message.openid, "ref": opened["ref"], "text": said, "inbound_key": message.msg_id}))
    dialog = state.pop("dialog", None)
    fields: dict[str, Any] = {"text": message.text or "（点击了找工作人员）"}
    if state.get("recent"):  # "人工" after a long exchange: staff see what it was about
        fields["recent"] = " / ".join(state["recent"])
        if not message.text or _command(message.text.strip()) == "human":  # the summary is what was said, not "人工"
            fields["text"] = f"（找工作人员）{fields['recent']}"
    if asked := state.pop("asked", None):  # "人工" typed after a question was answered: staff see the question
        fields["question"] = asked
    if dialog:  # keep what was filled: the worker can still "继续", staff see it now
        state["draft"] = {"dialog": dialog, "saved": message.create_time}
        fields.update(dialog["fields"])
        fields["unfinished"] = forms.title(dialog)
    evidence = state.pop("loose_media", []) + list((dialog or {}).get("evidence") or [])
    replies = [text("human_opened", ref="{ref}")]
    if "phone" not in fields:  # staff need a number to call back; the next message that has one goes to the case
        state["contact_for"] = {"ref": "{ref}", "until": message.create_time + CONTACT_WAIT}
        replies.append(text("human_ask_phone"))
    if dialog:
        replies.append(text("human_draft_kept", title=forms.title(dialog)))
    state["submitted"] = {"ref": "{ref}", "category": "consultation", "until": message.create_time + SUBMITTED_HOLD}
    return reply(state, "\n".join(r.strip() for r in replies), ticket("consultation", message, fields, evidence))


def _status(state, message, worker) -> Result:
    dialog = state.get("dialog") or (state.get("draft") or {}).get("dialog")
    # "查询" with a form half filled: it has not reached staff yet, say so (and how to go on)
    unfinished = text("status_unfinished", title=forms.title(dialog), left=forms.left(dialog)).strip() if dialog else ""
    if "cases" in worker and not worker["cases"]:  # the view is there and empty: answer now
        if state.get("dialog"):
            return reply(state, "\n".join((text("no_cases").strip(), unfinished, forms.question(state["dialog"]))))
        if unfinished:
            return reply(state, "\n".join((text("no_cases").strip(), unfinished, text("status_resume").strip())))
        return reply(state, text("no_cases") + "\n" + text("menu"), pending="menu")
    said = [text("status_checking").strip()] + ([unfinished] if unfinished else [])
    if state.get("dialog"):
        said.append(forms.question(state["dialog"]))
    return reply(state, "\n".join(said), Action("status_query", {"openid": message.openid}))


def _resume(state, message, worker) -> Result:
    draft = state.pop("draft", None)
    if state.get("dialog"):
        return reply(state, forms.question(state["dialog"]))
    if not draft:
        return reply(state, text("no_draft", menu=text("menu")), pending="menu")
    step = forms.resume(draft["dialog"], known=state.get("me"))
    state["dialog"] = step.dialog
    return reply(state, *step.replies)


def _menu(state, message, worker) -> Result:
    state.pop("crisis", None)  # "菜单" is also the way out of an urgent case's hour
    if dialog := state.pop("dialog", None):  # a form under way waits as a draft: the menu's numbers pick again
        state["draft"] = {"dialog": dialog, "saved": message.create_time}
        return reply(state, text("menu") + "\n" + text("draft_waiting", title=forms.title(dialog)).strip(),
                     pending="menu")
    return reply(state, text("menu"), pending="menu")


def _evidence(state, message, worker) -> Result:
    cases = worker.get("cases") or []
    if state.get("dialog"):  # photos sent now go into the dialog's evidence
        return reply(state, text("evidence_prompt"))
    if not cases:
        return reply(state, text("no_case_for_evidence") + "\n" + text("menu"), pending="menu")
    state["evidence_for"] = cases[0]["ref"]
    return reply(state, text("evidence_prompt"))


def _done(state, message, worker) -> Result:
    if state.pop("evidence_for", None):
        return reply(state, text("evidence_done"))
    if state.get("dialog"):
        return _in_dialog(state, message)
    return _route(state, message, worker)


COMMAND_HANDLERS = {"cancel": _cancel, "back": _back, "edit": _edit, "human": _human, "status": _status,
                    "resume": _resume, "menu": _menu, "evidence": _evidence, "done": _done}


SCHOOL_AID_MONTHS = range(6, 10)  # 金秋助学 signs up from June (results) to September
RECENT_KEEP = 6  # the worker's last messages kept for staff when they ask for a person
FIGURES_KEEP = 3  # of those, the ones whose figures still count for a sum
CONTACT_WAIT = 3600  # after 人工 without a phone number, a number sent within the hour goes to that case
SUBMITTED_HOLD = 3600  # a case just submitted counts as open for an hour, whatever the worker's view says


# -- dialogs ----------------------------------------------------------------------


def _in_dialog(state: dict[str, Any], message: Inbound) -> Result:
    dialog = state["dialog"]
    target = _SWITCH_TO.get(_PUNCT.sub("", message.text))
    leaving = not target and bool(_LEAVE_FORM.search(message.text)) and not _skips_optional(dialog, message.text)
    if leaving and (routing := router.route(message.text)).intent in router.CASE_INTENTS and \
            routing.confidence >= router.ACT_CONFIDENCE:  # "我不填这个了 先讨工钱"
        target = routing.intent
    if target and target != dialog["flow"]:  # "法援" in the middle of the hardship form: that one now, this one kept
        state["draft"] = {"dialog": state.pop("dialog"), "saved": message.create_time}
        story = dialog["fields"].get("story") or dialog["fields"].get("description") or ""
        if leaving:  # "我不填这个了 先讨工钱": what this and the message before say
            story = " ".join((state.get("recent") or [])[-1:] + [message.text])
        result = _start(state, replace(message, text=story), target)
        state["draft"] = {"dialog": dialog, "saved": message.create_time}  # _start forgets drafts
        note = text("switched", title=forms.title(dialog))
        return Result([note + "\n\n" + result.replies[0], *result.replies[1:]], result.state, result.actions)
    if dialog["stage"] == "ask" and (_NOT_A_CASE.search(message.text) or leaving):
        # "就是问问…", "算了 先不填了 我要问问房子塌了政府管不管": the form waits, the question is answered
        state["draft"] = {"dialog": state.pop("dialog"), "saved": message.create_time}
        topic = faq.match(message.text).topic if router.is_question(message.text) or not leaving else None
        said = quick.answer(message.text) if leaving else None
        if said or topic:
            return reply(state, *_packed(said or _answer(topic, message), text("left_form").strip()), pending="menu")
        return reply(state, text("left_form"))
    if dialog["stage"] == "ask" and message.text and not message.location and forms.correction(message.text) is None:
        current = forms.flows()[dialog["flow"]].field(dialog["asking"])
        if split := _answer_and_question(message, current):  # "湖州织里镇啊，我说了的。你还没回答我能不能过年前拿到"
            answer, question = split
            step = forms.step(dialog, answer)
            state["dialog"] = step.dialog
            said = quick.answer(question) or (_answer(faq.match(question).topic, replace(message, text=question))
                                              if faq.match(question).confident else text("question_later"))
            return Result([said + "\n\n" + step.replies[0], *step.replies[1:]], state, step.actions)
        if _PAPERS.search(message.text) and router.is_question(message.text):  # "要带什么材料" mid-form
            return reply(state, faq.entry(_papers_topic(message.text, dialog["flow"]))["answer"],
                          text("continue_dialog", title=forms.title(dialog)) + "\n" + forms.question(dialog))
        if figures := _figures_in_form(dialog, message):  # "那我能拿多少钱 我月薪5000" in the legal-aid form
            return reply(state, figures, text("continue_dialog", title=forms.title(dialog)) + "\n" +
                          forms.question(dialog))
        aside = _aside(message, current)
        if aside == "human":  # "算了，我要找人工" mid-dialog
            return _human(state, message, {})
        if aside:  # a question in passing: answered, nothing stored, the same question again
            answer = {"faq": lambda: _answer(faq.match(message.text).topic, message),
                      "quick": lambda: quick.answer(message.text), "later": lambda: text("question_later")}[aside]()
            if aside == "later" and (routing := router.route(message.text)).intent in router.CASE_INTENTS and \
                    routing.intent != dialog["flow"] and routing.confidence >= NEW_REQUEST_CONFIDENCE:
                answer = text("other_case_too", title=forms.flows()[routing.intent].title,
                              word=_SWITCH_WORD[routing.intent])  # "等一下 我先问个事 老板欠我四个月工资 能一起告他吗"
            if current.optional and _SKIP_TOO.search(message.text):  # "身份证号给你们安全吗 算了跳过"
                step = forms.step(dialog, replace(message, text="跳过"))
                state["dialog"] = step.dialog
                return Result([answer + "\n\n" + step.replies[0], *step.replies[1:]], state, step.actions)
            return reply(state, answer, text("continue_dialog", title=forms.title(dialog)) + "\n" +
                          forms.question(dialog))
    step = forms.step(dialog, message)
    state["dialog"] = step.dialog
    if step.dialog is None:
        draft = state.pop("draft", None)
        submitted = any(action.kind == "create_ticket" for action in step.actions)
        if draft and submitted and draft["dialog"]["flow"] != dialog["flow"]:  # switched to this one: the other waits
            state["draft"] = {**draft, "saved": message.create_time}
            step.replies[-1] += "\n\n" + text("draft_waiting", title=forms.title(draft["dialog"])).strip()
        if submitted and (then := state.pop("then", None)):  # "两个事…": now the other one
            step.replies[-1] += "\n\n" + text("then_other", title=forms.flows()[then[0]].title,
                                               word=_SWITCH_WORD[then[0]]).strip()
        for action in step.actions:  # submitted: the next case this session need not ask who and how to call
            remember_me(state, action.payload.get("fields") or {})
            if action.kind == "create_ticket":  # until staff's system shows it, what follows goes to this case
                state["submitted"] = {"ref": "{ref}", "category": dialog["flow"],
                                      "until": message.create_time + SUBMITTED_HOLD}
    return Result(step.replies, state, step.actions)


# Where each kind of case says what papers to bring
POLICY_OF = {"hardship_aid": "hardship_aid_policy", "education_aid": "education_aid_policy",
             "medical_aid": "medical_mutual_aid", "legal_aid": "legal_aid_policy", "wage_arrears": "evidence_collection"}


def _papers_topic(words: str, flow: str) -> str:
    """The papers of the service the question names ("帮扶要准备什么材料" in a wage form), else of this one."""
    named = next((flow_named for word, flow_named in _SWITCH_TO.items() if word in words), flow)
    return POLICY_OF[named]


# The policy topic a running form is about, for questions asked in it
_FORM_TOPICS = {("legal_aid", "解除"): "dismissal_compensation", ("legal_aid", "工伤"): "work_injury",
                ("legal_aid", "劳动合同"): "no_written_contract"}


def _figures_in_form(dialog: dict[str, Any], message: Inbound) -> str | None:
    """A how-much question in a form, worked out on what the form and the message say; None when it is not
    one or the figures are not there (the form goes on, staff work it out)."""
    if not (_FOLLOW_UP.search(message.text) and router.is_question(message.text)):
        return None
    fields = dialog["fields"]
    told = " ".join(str(fields.get(k, "")) for k in ("story", "description")) + " " + message.text
    topics = (_FORM_TOPICS.get((dialog["flow"], fields.get("dispute_type"))), faq.match(message.text).topic,
              faq.match(told).topic)
    return next((figures for topic in topics if topic and (figures := reckon.reckon(topic, told, message.day))), None)


_CLAUSE = re.compile(r"[，,。.！!？?；;\s]+")


# What an answer to each naming question must name ("俺是班组长" names no site), by the question asked
_SITE = re.compile(r"工地|项目|小区|厂|楼|花园|广场|大厦|公司|店|馆|场|园|路|村|镇|街")
_NAMES = {"employer": lambda a: bool(nz.parse_employer(a)),
          "location": lambda a: nz.names_place(a) or answers.names_something(a),
          "project": lambda a: bool(_SITE.search(a))}
# A figure or a name, then a question ("一万四千多吧 对了这个多久能拿到钱啊"): the answer is read as usual
_READ_AS_USUAL = {"amount_owed", "workers_affected", "name", "phone"}


def _answer_and_question(message: Inbound, current: Field) -> tuple[Inbound, str] | None:
    """A name or a place, then a question, in one message: the answer to store and the question to answer.
    Only for the questions that want a name, a place or a choice ("3 那律师要钱不": 3, then the question; a
    story with a question in it stays one answer)."""
    if current.parser == "choice" and (lead := LEADING_CHOICE.match(message.text)) and (
            router.is_question(lead[2]) or quick.answer(lead[2])):
        return replace(message, text=lead[1]), lead[2]
    if current.name not in _NAMES and current.name not in _READ_AS_USUAL:
        return None
    clauses = [c for c in _CLAUSE.split(message.text) if c]
    asks = next((i for i, c in enumerate(clauses) if _STRONG_QUESTION.search(c) or _NOT_ANSWERED.search(c)), None)
    if not asks:  # no question, or nothing before it
        return None
    answer = without_fillers(" ".join(clauses[:asks]))
    if quick.answer(answer, question=False):  # "大家说明天一起去厂门口拉横幅 可以吗": a warning to give, no place
        return None
    if not _NAMES.get(current.name, bool)(answer) or \
            isinstance(read(current, replace(message, text=answer)), Problem):  # "我先问下 要不要钱的": no name
        return None
    question = _NOT_ANSWERED.sub("", "".join(clauses[asks:])) or "".join(clauses[asks:])
    if not (router.is_question(question) or quick.answer(question)):
        return None  # "包工头赵四海 欠条上写着呢 欠我一万五千四 …": more answers, not a question
    return replace(message, text=answer), question


def _aside(message: Inbound, current: Field) -> str | None:
    """What a message in a form is when it is no answer: "human" (a plea for a person), "quick" or "faq" (a
    question we can answer), "later" (a question in a free-text answer: staff answer it); None for an answer."""
    words = message.text
    free_text = current.parser in ("text", "employer", "location")
    words = without_fillers(words)  # "就是宏达电子厂噻 刚才说了嘛" answers, it does not ask
    answer = read(current, message)
    if isinstance(answer, Problem) and answer.copy_key in ("confused", "still_here") and not _WANTS_PERSON.search(words):
        return None  # "啥意思", "？？", "在吗": the form explains itself
    if not isinstance(answer, Problem):
        if not free_text or not (router.is_question(words) or _STRONG_QUESTION.search(words)
                                 or _ASIDE_WORDS.search(words)):
            return None
    routing = router.route(words)
    if routing.intent == "human" and routing.confidence >= 0.8 and (
            not quick.answer(words) or _WANTS_PERSON.search(words)):  # "能不能找个真人跟我说" asks for one
        return "human"
    if quick.answer(words):
        return "quick"
    if routing.intent == "faq" and faq.match(words).confident:
        return "faq"
    if _ASKING_FIRST.match(words):  # "我先问问算不算啊 老板说是试用期不算工资": asked, not answered
        return "faq" if faq.match(words).score >= OPEN_CASE_FAQ_SCORE else "later"
    last = [c for c in _CLAUSE.split(words) if c][-1:]
    if current.name in answers.NAMING_FIELDS and last and _STRONG_QUESTION.search(last[0]) and \
            faq.match(words).score >= OPEN_CASE_FAQ_SCORE:
        return "faq"  # "那中介跑了的话京东那边要不要给我们钱" where the site was asked: a question, not a site
    if free_text and _STRONG_QUESTION.search(words) and (len(re.findall(r"[\u4e00-\u9fff]", words)) < 15 or (
            current.name in answers.NAMING_FIELDS and not answers.names_something(words))):
        return "later"  # a long story that also asks something is still the answer ("上面不是都说了吗 厂子搬走…"),
        # but not where a name was asked and none is given ("那我是不是要不回来了 我这一年多一直找他要")
    return None


def _start(state: dict[str, Any], message: Inbound, target: str) -> Result:
    """Begin what a menu pick, a click or a routed message asks for."""
    if target in router.CASE_INTENTS:
        step = forms.begin(target, message if message.text else  # typed, or a voice WeChat transcribed
                           Inbound(openid=message.openid, msg_type="text", create_time=message.create_time),
                           known=state.get("me"))
        draft = state.pop("draft", None)
        if draft and step.dialog is not None and draft["dialog"]["flow"] == target:
            step = forms.carry_on(draft["dialog"], step.dialog)  # what was filled before comes back
        state["dialog"] = step.dialog
        if step.dialog is not None:
            step.dialog["evidence"] = state.pop("loose_media", []) + step.dialog["evidence"]
        if step.replies and (limit := reckon.deadline(message.text, message.day)):  # "去年10月就不干了": hurry
            step.replies[0] = limit + "\n\n" + step.replies[0]
        if step.replies and target != "legal_aid" and _work_death(message.text):  # what the family is owed
            step.replies[0] = text("work_death") + "\n\n" + step.replies[0]
        if step.replies and target == "education_aid" and message.day and message.day.month not in SCHOOL_AID_MONTHS:
            step.replies[0] = text("education_off_season").strip() + "\n\n" + step.replies[0]
        return Result(step.replies, state, step.actions)
    if target == "crisis_yes":  # "您现在安全吗？" "1": the danger's first words and an urgent case
        return crisis_mode.start(state, message, _start)
    if target == "crisis_no":  # safe: what the message asked for, as if the question had not been put
        return _route(state, message, {})
    if target == "aid_menu":
        return reply(state, text("aid_menu"), pending="aid_menu")
    if target == "faq_prompt":  # from a clarifying question, the question already asked is answered
        return _faq(state, message) if message.text and faq.match(message.text).topic else \
            reply(state, text("faq_prompt"))
    if target.startswith("faq:"):  # picked from a list: ``message`` carries the question asked
        return reply(state, _answer(target[4:], message))
    if target == "status":
        return _status(state, message, {})
    if target == "human":
        return _human(state, message, {})
    return reply(state, text("menu"), pending="menu")


def _pick(pending: Any, words: str) -> str | None:
    if isinstance(pending, list) and "crisis_no" in pending:  # "您现在安全吗？" answered in words
        if _SAFE_NOW.match(words.strip()):
            return "crisis_no"
        if _NOT_SAFE.match(words.strip()):
            return "crisis_yes"
    digit = re.fullmatch(r"\s*([1-9])\s*", words)
    if not digit:
        return None
    if pending == "menu":
        options = MENU_CHOICES
    elif pending == "aid_menu":
        options = AID_CHOICES
    else:
        options = list(pending)
    index = int(digit.group(1)) - 1
    return options[index] if index < len(options) else None


# -- routing ----------------------------------------------------------------------

def _route(state: dict[str, Any], message: Inbound, worker: dict[str, Any]) -> Result:
    words = message.text.strip()
    if _CASE_REF.match(words):  # a reference alone: what is happening with it
        return _status(state, message, worker)
    if _HELP_PLEASE.search(words):  # "太复杂了 有人能帮我算吗": a person, with what was said before
        return _human(state, message, worker)
    open_case = next((c for c in worker.get("cases") or [] if c.get("status") in OPEN_FOR_APPEND), None) or \
        _just_submitted(state, message)
    if (phone := forms.sure_values(words).get("phone")) and len(_PUNCT.sub("", re.sub(r"[\d\s-]", "", words))) <= 12:
        remember_me(state, {"phone": phone})  # "那还是留个电话吧 17873123456": kept for the case and the next form
        if open_case:
            return reply(state, text("contact_noted"), Action("append_to_case", {
                "openid": message.openid, "ref": open_case["ref"], "text": words, "inbound_key": message.msg_id}))
        return reply(state, text("phone_noted") + "\n" + text("anything_else"), pending="menu")
    routing = router.route(words)
    if _work_death(words) and not open_case and not (  # "工友…没了 想拿五万私了"
            routing.intent in router.CASE_INTENTS and routing.confidence >= NEW_REQUEST_CONFIDENCE):
        state.update(asked=words, answered="work_injury")  # what the family is owed, then legal aid offered
        return reply(state, text("work_death").strip() + "\n" + text("offer_case", what=table("offer_titles")["legal_aid"]),
                     pending=["legal_aid", "human"])
    quick_entry = quick.match(words, question=router.is_question(words))
    said = quick_entry.answer if quick_entry else None
    if quick_entry and quick_entry.topic and not open_case:  # "厂子搬去广西 我去不了": the rule, then their figures
        state.update(answered=quick_entry.topic, asked=words)
        figures = reckon.reckon(quick_entry.topic, words, message.day)  # "…干了8年3个月 工资平均5200"
        return reply(state, *_packed(said, *([figures] if figures else []), text("reckon_follow")),
                      pending=["wage_arrears", "legal_aid", "human"])
    if said and not open_case and (quick_entry.alone or len(_PUNCT.sub("", words)) <= 12 or
                                   routing.intent not in router.CASE_INTENTS):
        return reply(state, said + "\n" + text("anything_else"), pending="menu")  # "要钱吗", "你是机器人吗"
    # A clear request of another kind starts a new case; news about the same kind of problem
    # ("老板今天又说下个月给") is a follow-up of the open case, however confidently it is routed.
    new_request = routing.intent in router.CASE_INTENTS and routing.confidence >= NEW_REQUEST_CONFIDENCE \
        and routing.intent != (open_case or {}).get("category")
    sure = routing.confidence >= INTENT_CONFIDENCE.get(routing.intent, router.ACT_CONFIDENCE)
    if open_case and sure and routing.intent == "greeting" and len(_PUNCT.sub("", words)) <= 6:  # 谢谢: no news
        return reply(state, text("greeting_open_case", ref=open_case["ref"]))
    answered = state.pop("answered", None)
    if answered not in faq.topics():  # a session saved before topics were kept held the title
        answered = None
    before = " ".join((state.get("recent") or [])[-FIGURES_KEEP:])  # figures come in stages: "月工资4500…" then "周六也干10个钟"
    figures = (reckon.reckon(answered, words, message.day) or reckon.reckon(answered, before + " " + words,
                                                                             message.day)) if answered and \
        not (sure and routing.intent in router.CASE_INTENTS and _NEW_CASE.search(words)) and \
        not _other_topic(words, answered) and (_FOLLOW_UP.search(words) or _HAS_NUMBER.search(words)) else None
    # this message's own figures first ("我弟弟总共干了八年…"), the earlier ones only to complete them
    if open_case and not new_request and not (routing.intent == "faq" and faq.match(words).confident):
        append = Action("append_to_case", {"openid": message.openid, "ref": open_case["ref"], "text": words,
                                           "inbound_key": message.msg_id})
        if sure and routing.intent == "status_query":  # 我的事咋样了: staff see it was asked, the worker gets the status
            return reply(state, text("status_checking"), append, Action("status_query", {"openid": message.openid}))
        match = faq.match(words) if router.is_question(words) and not (figures or said) else None
        policy = _answer(match.topic, message) if match and match.topic and match.score >= OPEN_CASE_FAQ_SCORE \
            else None  # "认定工伤要带啥" with the case open: the answer, and staff still see the question
        papers = faq.entry(_papers_topic(words, open_case["category"]))["answer"] \
            if open_case.get("category") in POLICY_OF and _PAPERS.search(words) else None  # "要带录取通知书吗"
        if answer := figures or said or policy or papers:  # a question with the case open: answered, passed on too
            state["answered"] = answered
        return reply(state, *_packed(*([answer] if answer else []), text("case_appended", ref=open_case["ref"])),
                      append)
    if not sure and router.is_question(words) and faq.match(words).confident:
        result = _faq(state, message)  # unsure what they want, sure what they ask: the answer ends with the next step
        if said and result.replies:  # "叫我补签合同 日期写3月1号的 我要签吗": the warning first
            result.replies[:1] = _packed(said, result.replies[0])
        return result
    if figures:  # "一个月四千 干了三年半"
        state.update(answered=answered, asked=" ".join((state.get("recent") or [])[-FIGURES_KEEP:] + [words]))
        return reply(state, figures + "\n" + text("reckon_follow"), pending=["wage_arrears", "legal_aid", "human"])
    if answered and _FOLLOW_UP.search(words) and not _other_topic(words, answered) and \
            (ask := reckon.ask_for_figures(answered)):  # "那我能拿多少": the sum needs the worker's figures
        state.update(answered=answered, asked=" ".join((state.get("recent") or [])[-FIGURES_KEEP:] + [words]))
        return reply(state, ask + "\n" + text("reckon_follow"), pending=["wage_arrears", "legal_aid", "human"])
    if answered and (not sure or routing.intent == "out_of_scope" or
                     (_FOLLOW_UP.search(words) and not _other_topic(words, answered))):  # "你直接告诉我一天该给多少就行"
        state["asked"] = words
        return reply(state, text("faq_follow", title=faq.entry(answered)["title"]),
                      pending=["wage_arrears", "legal_aid", "human"])  # the numbers of every offer after an answer
    if not sure:
        state["asked"] = words  # the pick starts from what was said, not from the digit
        if said:  # "老板会不会把我炒了": that answered, then what they want done
            return reply(state, said + "\n" + text("anything_else"), pending="menu")
        return _clarify(state, routing)
    if routing.intent == "greeting" and _THANKS.search(words):  # "晓得了 谢谢你哈": no menu of eight
        return reply(state, text("thanks"), pending="menu")
    if routing.intent in ("greeting", "out_of_scope"):
        return reply(state, text(routing.intent) + "\n" + text("menu"), pending="menu")
    if routing.intent == "faq":
        result = _faq(state, message)
        if said and result.replies:  # "老板逼我写辞职信 … 怎么办": "先别签" first, then the rules
            result.replies[:1] = _packed(said, result.replies[0])
        return result
    if routing.intent == "status_query":
        return _status(state, message, worker)
    if routing.intent in router.CASE_INTENTS and _WAGES_PAID.search(words) and re.search(r"补偿|赔偿|赔", words):
        # "工资倒是结了 可是一分补偿都没给": compensation and its deadline, then legal aid; no wage complaint
        state.update(asked=words, answered="dismissal_compensation")
        limit = reckon.deadline(words, message.day)
        return reply(state, *_packed(*([limit] if limit else []), _answer("dismissal_compensation", message),
                                      text("offer_case", what=table("offer_titles")["legal_aid"])),
                      pending=["legal_aid", "human"])
    if _asks_policy(routing.intent, words) and (topic := _policy_topic(words)):
        # "工伤咋认定", "放弃社保的协议我该签不", "加班费一分没有 这合法不": the answer first, then the offer of help
        state.update(asked=words, answered=topic)
        intent = "wage_arrears" if routing.intent == "wage_arrears" and topic in WAGE_TOPICS else "legal_aid"
        offer = text("offer_case", what=table("offer_titles")[intent])  # a dismissal is legal aid, not a wage claim
        return reply(state, *_packed(*([said] if said else []), _answer(topic, message), offer),
                      pending=[intent, "human"])
    if _BOTH_PROGRAMMES.search(words) and len(both := [p for p, w in _PROGRAMMES.items() if w.search(words)]) >= 2:
        state.update(asked=words, both=both[:3])  # "两个事能一起申请不": one at a time, from what was said
        options = "\n".join(f"回复 {i} {forms.flows()[p].title}" for i, p in enumerate(both[:3], start=1))
        return reply(state, text("two_programmes", options=options), pending=both[:3])
    result = _start(state, message, routing.intent)
    if said and result.replies:  # "老板欠了三个月 要多久能拿到": the answer, then the form
        result.replies[0] = said + "\n\n" + result.replies[0]
    return result


def _just_submitted(state: dict[str, Any], message: Inbound) -> dict[str, Any] | None:
    """The case submitted in the last hour, as an open case, before the worker's view of their cases has it
    ("能报好多嘛 医保报了的还能再报不" right after applying asks about it; it starts no second application)."""
    submitted = state.get("submitted")
    if submitted and message.create_time >= submitted["until"]:
        state.pop("submitted")
        return None
    return {"ref": submitted["ref"], "category": submitted["category"], "status": "new"} if submitted else None


_CASE_REF = re.compile(r"^\s*(编号|单号|工单)?[:：]?\s*([A-Za-z]{2,4}-\d{8}-\d{4})\s*$")


# FAQ topics that are about getting owed wages back: a question on another topic is not a wage complaint
ARREARS_TOPICS = {"wage_arrears_howto", "contractor_absconded", "arrears_crime", "evidence_collection",
                  "wage_payment_rules", "ticket_process"}
# Topics where what the worker is short of is wages (a wage complaint helps); other legal topics offer legal aid
WAGE_TOPICS = ARREARS_TOPICS | {"overtime_pay", "holiday_work", "minimum_wage", "probation", "paid_leave",
                                "high_temp_allowance", "working_hours"}


_HAS_NUMBER = re.compile(r"\d|[一二两三四五六七八九十百千万半]")


def _other_topic(words: str, topic: str) -> bool:
    """The message is surely about another FAQ topic than ``topic``."""
    match = faq.match(words)
    return match.confident and match.topic != topic and not (reckon.kind(match.topic) and
                                                             reckon.kind(match.topic) == reckon.kind(topic))


def _asks_policy(intent: str, words: str) -> bool:
    """A legal question ("工伤咋认定"), a question about the rule behind a wage problem ("这合法不"), or a
    question on another topic that the wage words pulled in ("年假有几天 … 老板说计件的没有年假")."""
    if intent == "legal_aid":
        return router.is_question(words)
    if intent != "wage_arrears":
        return False
    match = faq.match(words)
    return bool(_RULE_QUESTION.search(words)) or (
        router.is_question(words) and match.confident and match.topic not in ARREARS_TOPICS)


def _policy_topic(words: str) -> str | None:
    """The FAQ topic a question is about, unless it is about applying itself (then the dialog helps)."""
    topic = faq.match(words).topic
    return topic if topic and topic not in ("legal_aid_policy", "wage_arrears_howto") else None


def _clarify(state: dict[str, Any], routing: router.Routing) -> Result:
    labels = table("intent_labels")
    ranked = [routing.intent] + [name for name, score in routing.alternatives if score >= 0.1]
    options = [name for name in ranked if name in labels and name != "human"][:3] + ["human"]
    if len(options) < 3:  # no real guesses: the whole menu is the better question
        return reply(state, text("clarify_unclear", menu=text("menu")), pending="menu")
    choices = [("faq_prompt" if name == "faq" else "status" if name == "status_query" else name) for name in options]
    lines = "\n".join(f"{i} {labels[name]}" for i, name in enumerate(options, start=1))
    return reply(state, text("clarify", options=lines), pending=choices)


def _faq(state: dict[str, Any], message: Inbound) -> Result:
    words = message.text.strip()
    match = faq.match(words)
    if match.confident:
        state["answered"] = match.topic  # a follow-up that makes no sense alone is about it
        return reply(state, _answer(match.topic, message))
    topics = ([match.topic] if match.topic else []) + [t for t, _ in match.alternatives]
    if reckoned := next((t for t in topics[:3] if reckon.reckon(t, words, message.day)), None):
        state["answered"] = reckoned  # "国庆上了七天班 工资三千八 能拿多少": the figures say which topic
        return reply(state, _answer(reckoned, message))
    if not topics:
        return reply(state, text("faq_none"))
    topics = topics[:3]
    lines = "\n".join(f"{i} {faq.entry(t)['title']}" for i, t in enumerate(topics, start=1))
    state["asked"] = words  # the pick is answered on the figures said here
    return reply(state, text("faq_pick", options=lines), pending=[f"faq:{t}" for t in topics] + ["human"])


REPLY_BYTES = 2000  # a WeChat text reply holds 2048 bytes
OPEN_CASE_FAQ_SCORE = 0.25  # with a case open, a likely (not sure) FAQ topic is still answered beside the hand-over


def _packed(*parts: str) -> list[str]:
    """Parts joined into as few replies as fit WeChat's limit (the first is the passive reply)."""
    replies = [parts[0]]
    for part in parts[1:]:
        joined = replies[-1] + "\n\n" + part
        if len(joined.encode()) <= REPLY_BYTES:
            replies[-1] = joined
        else:
            replies.append(part)
    return replies


def _answer(topic: str, message: Inbound) -> str:
    """The knowledge-base answer, after the rule worked out on the worker's own figures when they gave them."""
    answer = faq.entry(topic)["answer"]
    if _work_death(message.text):  # a family asking: what they are owed, never "您受伤到现在…"
        return text("work_death").strip() + "\n\n" + answer
    if figures := reckon.reckon(topic, message.text, message.day):
        joined = figures + "\n\n" + answer
        # too long for one reply: the sum and the answer's last line (the next step) are what matter
        return joined if len(joined.encode()) <= REPLY_BYTES else figures + "\n\n" + answer.strip().splitlines()[-1]
    ask = reckon.ask_for_figures(topic)
    return answer + "\n" + ask if ask else answer


# -- media outside a dialog ---------------------------------------------------------

def _media(state: dict[str, Any], message: Inbound, worker: dict[str, Any]) -> Result:
    cases = worker.get("cases") or []
    ref = state.get("evidence_for") or next((c["ref"] for c in cases if c.get("status") in OPEN_FOR_APPEND), None)
    if ref:
        return reply(state, text("evidence_to_case"), Action("add_evidence", {
            "openid": message.openid, "ref": ref, "media_id": message.media_id, "msg_type": message.msg_type}))
    loose = state.setdefault("loose_media", [])
    loose.append({"media_id": message.media_id, "msg_type": message.msg_type})
    del loose[:-LOOSE_MEDIA_KEEP]
    if message.msg_type == "voice":  # no Recognition: the machine could not hear it, a person can
        return reply(state, text("voice_unheard"), pending="menu")
    return reply(state, text("media_received", media=MEDIA_LABELS.get(message.msg_type, "文件")), pending="menu")


# -- helpers ----------------------------------------------------------------------

def _expire(state: dict[str, Any], now: int) -> str:
    """Turn an idle dialog into a draft, forget old drafts; return a notice for the worker."""
    notice = ""
    last = state.get("updated", now)
    if state.get("dialog") and now - last > DIALOG_IDLE:
        state["draft"] = {"dialog": state.pop("dialog"), "saved": last}
        notice = text("draft_expired", title=forms.title(state["draft"]["dialog"]))
    if state.get("draft") and now - state["draft"]["saved"] > DRAFT_KEEP:
        state.pop("draft")
        notice = ""
    if now - last > DIALOG_IDLE:
        state.pop("pending", None)
        state.pop("asked", None)
        state.pop("answered", None)
        state.pop("evidence_for", None)
        state.pop("loose_media", None)  # still stored and downloaded (inbound_messages), just not carried on
    return notice
