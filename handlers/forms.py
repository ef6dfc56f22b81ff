"""The case dialogs as small state machines (one step per question), defined in data/forms.yaml.

A dialog is a plain dict kept in the session:
``{"flow", "fields", "stage": ask|confirm|edit, "asking", "history", "evidence", "misses"}``
("misses": answers in a row the current question could not use).
Each step takes the dialog and a message and returns a Step: replies, the new
dialog (None when it ended) and the actions to carry out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from handlers import answers, faq, owed, quick, router
from handlers import normalise as nz
from handlers.copy import text as copy
from handlers.fields import (SHAPED, Answer, Field, Problem, family_named_in, family_size_in, monthly_income_in,
                             named_choice, read, sure_values)
from handlers.messages import Action, Inbound

MISSES_BEFORE_HELP = 2  # after this many unusable answers in a row, point to a person who can fill it in

FORMS_FILE = Path(__file__).with_name("data") / "forms.yaml"
CONFIRM = re.compile(r"^((1|确认|确定|对|对的|没错|没问题|都对|是|是的|提交|好|好的|行|可以|ok|OK|啱|啱嘅|系|冇问题|就这样|就这么着|这么着|"
                     r"中|要得|交啦|交了吧|交吧|发吧|发出去|交上去|就这么办|对着呢|对着|就这|就这个|没了|没有了|没啥改的|不用改|"
                     r"妥|妥了|成|得嘞|好嘞|嗯嗯?|是滴|对头)"
                     r"[了啊呀吧的嘅喇啦。.!！,，\s]*)+$")  # "好了 提交", "对的 没问题", "啱 1"
EDIT = re.compile(r"^(2|修改|改|改一下|不对|错了|要改)[了啊呀吧的。.!！]*$")
_DIGIT = re.compile(r"^\s*(\d{1,2})\s*$")
_INCOME_WORDS = re.compile(r"收入|挣|赚|工资|一个月|每个?月")
_SCHOOL = re.compile(r"(?:考上了?|考进了?|考到了?|被|读|上)([\u4e00-\u9fff]{2,12}?(?:大学|学院|中学|高中|技校|卫校|中专|职高))")
_ADMITTED = re.compile(r"(今年|去年).{0,4}(?:考上|考进|考到|录取|入学|上大学|开学)")
_ILLNESS = re.compile(r"癌|瘤|病|手术|住院|骨折|伤|透析|尿毒症|白血病|中风|脑梗|心梗|心脏|肝|肾|化疗|瘫|结石|炎|梗|出血|血栓|"
                      r"糖尿|高血压|尘肺|烧伤|烫伤|截肢|早产|难产")
# A clause that names the condition beats one that only says where the patient is ("我妈住院了 胆结石")
_ONLY_WHERE = re.compile(r"^[^，,。]{0,8}(住院|住进|看病|在医院|进医院|要申请|申请)[了啊呀]?[^，,。]{0,10}$")
_FOR_RELATIVE = re.compile(r"(帮|替|给|代)(我|俺)?(爸|妈|爹|娘|父亲|母亲|老公|老婆|媳妇|丈夫|男人|哥|弟弟?|姐|妹妹?|儿子|女儿|闺女|公公|婆婆|岳父|岳母|亲戚|老乡|工友)[^，。？?]{0,4}(问|申请|办|咨询|打听|登记)")
_COST = re.compile(r"花了|花掉|用了|医药费|治疗费|手术费|住院费|要.{0,4}(万|千|块|元)|欠了医院")
_REQUEST_WORDS = re.compile(r"我|要|想|申请|请|找|帮忙|帮帮|一下|法律援助|法援|律师|劳动仲裁|仲裁|免费|工会|[\s，。,.!！?？吧啊呀]")


@dataclass(frozen=True)
class Flow:
    name: str
    title: str
    start: str
    fields: tuple[Field, ...]
    shown: tuple[tuple[str, str], ...] = ()  # kept from what the worker said, not asked: (name, label) on the summary

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def names(self) -> set[str]:
        return {f.name for f in self.fields}


@dataclass
class Step:
    replies: list[str]
    dialog: dict[str, Any] | None
    actions: list[Action] = field(default_factory=list)


@lru_cache(maxsize=1)
def flows() -> dict[str, Flow]:
    with FORMS_FILE.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return {name: Flow(name, spec["title"], spec["start"].strip(),
                       tuple(Field(name=x["name"], label=x["label"], parser=x["parser"], ask=x["ask"].strip(),
                                   optional=x.get("optional", False), choices=tuple(x.get("choices", ())),
                                   aliases=tuple(x.get("aliases", ())))
                             for x in spec["fields"]), tuple((spec.get("shown") or {}).items()))
            for name, spec in data.items()}


def prefill(flow: str, text: str, today: date | None = None) -> dict[str, Any]:
    """What a first message already says: everything for wage arrears; for the others the sure values,
    the choices it names ("摔断了腿" -> 工伤, "考上大学" -> 大学) and, for a legal dispute, its story.
    ``today`` (the message's day) dates "到现在"."""
    if flow == "wage_arrears":
        values = {k: v for k, v in nz.extract_wage_fields(text, today).items() if v not in (None, "")}
        if corrected := nz.after_correction(text):  # "俺叫刘二柱 不对 身份证上叫刘春生": the later word wins
            values.update({k: v for k, v in nz.extract_wage_fields(corrected, today).items()
                           if v not in (None, "") and k in ("name", "amount_owed", "amount_approx", "amount_under", "phone",
                                                           "workers_affected", "period", "period_months")})
        if both := answers.own_and_crew(text):  # "一共欠我们三十多万 我个人是两万三": the crew's, and theirs
            values.update(both)
        if "amount_owed" not in values and (worked := owed.owed_worked_out(text, values.get("period_months"))):
            values.update(worked)  # "压了三个月 一个月两千五": 7500, worked out as the worker does
        if "period" in values and "period_months" not in values:
            values.pop("period")
        if (months := nz.months_paid(text)) and \
                months < (values.get("period_months") or 0):  # "看了八个月 老板就给了两个月的钱": six owed
            values["period_months"] = nz.whole(values["period_months"] - months)
            values["period"] = f"{values['period']}，给过{nz.number_text(months)}个月的"
        if "workers_affected" in values and not nz.parse_workers(text):
            values.pop("workers_affected")  # "老板欠我工资" may still be one of twenty: ask, the report counts them
        if worked := owed.owed_worked_out(text, values.get("period_months")):  # "一天两百干了28天 一分没给"
            values.update(worked)
        answers.owed_in_total(values, text)
        if str(values.get("employer", "")).endswith("厂") and "project" not in values:
            values["project"] = values["employer"]  # a factory is where the work was: do not ask again
        return values
    values = sure_values(text)
    for f in flows()[flow].fields:
        if f.parser == "choice" and (option := named_choice(f, text)):
            values[f.name] = option
    if flow == "legal_aid" and len(_REQUEST_WORDS.sub("", text)) >= 6:  # a story, not just "我要法律援助"
        values["description"] = text.strip()[:500]
    if flow == "legal_aid" and (hearing := _HEARING.search(text)):
        values["hearing"] = hearing.group(0)
    if flow in ("hardship_aid", "legal_aid") and (proxy := _FOR_RELATIVE.search(text)):
        values["for_whom"] = proxy[3]  # "我帮我爸问一下 他中风了": the name asked is the son's, the aid is the father's
    if flow == "hardship_aid":  # "家里三口人 … 一个月就我挣一千五"
        if (size := family_size_in(text) or family_named_in(text)) and 1 <= size <= 30:
            values["family_size"] = size  # said, or the family the story names ("老婆瘫在床上 俩娃上学": 4)
        if _INCOME_WORDS.search(text) and (income := monthly_income_in(text)) is not None:  # not "没钱交学费"
            values["monthly_income"] = income
    if flow == "education_aid":  # "孩子今年考上了郑州大学": the school and the year
        if school := _SCHOOL.search(text):
            values["school"] = school.group(1)
        if today and (year := _ADMITTED.search(text)):
            values["admission_year"] = today.year + (-1 if year.group(1) == "去年" else 0)
    if flow == "medical_aid":  # "我老婆查出乳腺癌 要做手术 花了八万多": who, the illness and the cost
        if patient := _PATIENT.search(text):
            values["patient"] = "本人" if patient.group("self") else patient.group("who") or patient.group("spouse")
        clauses = [c for c in re.split(r"[\s，,。！!？?]+", text) if _ILLNESS.search(c)]
        clause = next((c for c in clauses if not _ONLY_WHERE.search(c)), "")
        if clause:  # "我老婆上个礼拜做咗手术", not the whole first message (staff have that as the story)
            values["illness"] = clause[:60]
        if _COST.search(text) and (cost := nz.parse_amount(text)):
            values["total_cost"] = cost.value
    return values


# Who is ill: "我老婆查出乳腺癌" -> 我老婆, "俺娘脑梗住院" -> 俺娘, "我自己得了尿毒症" -> 本人
_PATIENT = re.compile(r"(?P<who>(?:我|俺)(?:的|家|个)?(?:老婆|媳妇|爱人|老公|男人|对象|妈妈|妈|母亲|老妈|娘|爸爸|爸|父亲|老爸|爹|"
                      r"儿子|女儿|闺女|娃|孩子|婆婆|公公|岳母|丈母娘|岳父|老丈人|哥哥|哥|弟弟|弟|姐姐|姐|妹妹|妹|爷爷|奶奶|仔|女))"
                      r"|(?P<self>(?:我|俺)(?:自己|本人)?(?:得了|查出|确诊|住院|做了?手术|受伤|摔|生病|病了|患了))"
                      r"|(?P<spouse>老婆|媳妇|爱人|老公|对象)(?=[^，。\s]{0,3}(?:查出|得了|住院|生病|病了|做手术|确诊|患))")
STORY_MIN_CHARS = 20  # a first message this long tells the hardship form's situation: not asked again
STORY_TOLD = 6  # a first message with this many words beyond "我要申请…" is kept for staff word for word ("story")


def begin(flow_name: str, message: Inbound, known: dict[str, Any] | None = None) -> Step:
    """Start a dialog, keeping what the first message already told us, and ``known`` answers (the worker's
    name and phone from an earlier case this session) for the questions it has."""
    flow = flows()[flow_name]
    fields = prefill(flow_name, message.text, message.day)
    names = flow.names
    fields.update({k: v for k, v in (known or {}).items() if k in names and k not in fields and v})
    dialog = {"flow": flow_name, "fields": fields, "stage": "ask", "asking": None, "history": [], "evidence": []}
    told = len(re.findall(r"[\u4e00-\u9fff]", _REQUEST_WORDS.sub("", message.text)))
    if told >= STORY_TOLD:  # "家里房子被大水冲了 想申请帮扶": a situation, not just "我要申请帮扶"
        # not asked, not shown back: for staff, numbers masked (the phone and ID have their own fields)
        dialog["fields"]["story"] = nz.mask_text(message.text.strip()[:1000])
        if flow_name == "hardship_aid" and len(re.findall(r"[\u4e00-\u9fff]", message.text)) >= STORY_MIN_CHARS:
            dialog["fields"].setdefault("description", dialog["fields"]["story"])  # told already: not asked
    if message.media_id and not message.text:  # a transcribed voice is what the worker said, not evidence
        dialog["evidence"].append({"media_id": message.media_id, "msg_type": message.msg_type})
    intro = flow.start
    if known := _known_list(flow, dialog["fields"]):
        intro += "\n" + copy("prefilled", known=known)
    return _advance(flow, dialog, [intro])


def step(dialog: dict[str, Any], message: Inbound) -> Step:
    """One worker message inside a running dialog (commands are handled by the caller)."""
    flow = flows()[dialog["flow"]]
    dialog = _copy(dialog)
    if message.media_id and message.msg_type in ("image", "voice", "video", "shortvideo", "file") and not (
            message.msg_type == "voice" and message.text):  # a voice WeChat transcribed is an answer, not evidence
        dialog["evidence"].append({"media_id": message.media_id, "msg_type": message.msg_type})
        if not message.text:  # a photo of an IOU, a voice note without recognition
            return Step([copy("evidence_added", count=len(dialog["evidence"])) + "\n" + _question(flow, dialog)],
                        dialog)
    if flow.name == "legal_aid" and (hearing := _HEARING.search(message.text)):  # "何俊 18666203319 开庭是12月15号"
        dialog["fields"]["hearing"] = hearing.group(0)  # for staff, whatever was being asked
    if dialog["stage"] == "confirm":
        return _confirm(flow, dialog, message)
    if dialog["stage"] == "edit":
        return _pick_edit(flow, dialog, message)
    return _answer(flow, dialog, message)


def back(dialog: dict[str, Any]) -> Step:
    """返回: go back to the previous question (its old answer is cleared)."""
    flow = flows()[dialog["flow"]]
    dialog = _copy(dialog)
    if dialog["stage"] in ("confirm", "edit"):
        dialog["stage"] = "edit"
        return Step([_edit_menu(flow)], dialog)
    if not dialog["history"]:
        return Step([copy("back_at_start") + "\n" + _question(flow, dialog)], dialog)
    previous = dialog["history"].pop()
    _clear(flow, dialog, previous)
    dialog["asking"] = previous
    return Step([_question(flow, dialog)], dialog)


def edit(dialog: dict[str, Any]) -> Step:
    """修改: choose which answer to change."""
    flow = flows()[dialog["flow"]]
    dialog = _copy(dialog)
    dialog["stage"] = "edit"
    return Step([_edit_menu(flow)], dialog)


def resume(dialog: dict[str, Any], known: dict[str, Any] | None = None) -> Step:
    """Go back to a saved form; answers given meanwhile (``known``: the phone sent after 人工) are not asked again."""
    flow = flows()[dialog["flow"]]
    dialog = _copy(dialog)
    names = flow.names
    dialog["fields"].update({k: v for k, v in (known or {}).items() if k in names and k not in dialog["fields"] and v})
    if dialog["stage"] == "ask" and dialog["asking"] in dialog["fields"]:
        return _advance(flow, dialog, [copy("resumed", title=flow.title)])
    return Step([copy("resumed", title=flow.title) + "\n" + _question(flow, dialog)], dialog)


def carry_on(draft: dict[str, Any], fresh: dict[str, Any]) -> Step:
    """The same form started again while its draft waits ("算了不填了", then the story again): the answers
    come back, what the new message told is added, and only what is still missing is asked."""
    flow = flows()[draft["flow"]]
    dialog = _copy(draft)
    for name, value in fresh["fields"].items():
        told = dialog["fields"].get(name)
        dialog["fields"][name] = f"{told}；{value}" if name in ("story", "description") and told and \
            value not in told else value
    dialog["evidence"] = dialog["evidence"] + [e for e in fresh["evidence"] if e not in dialog["evidence"]]
    dialog["asking"] = None
    return _advance(flow, dialog, [copy("carried_on", title=flow.title)])


def left(dialog: dict[str, Any]) -> int:
    """How many questions of the form are still to answer."""
    return sum(f.name not in dialog["fields"] for f in flows()[dialog["flow"]].fields)


def question(dialog: dict[str, Any]) -> str:
    """The question the dialog is waiting on (to re-ask after an interruption)."""
    return _question(flows()[dialog["flow"]], dialog)


def title(dialog: dict[str, Any]) -> str:
    return flows()[dialog["flow"]].title


# -- steps ------------------------------------------------------------------------

def _answer(flow: Flow, dialog: dict[str, Any], message: Inbound) -> Step:
    current = flow.field(dialog["asking"])
    if (fix := correction(message.text)) is not None and dialog["history"]:
        if not fix:  # "不对" alone: back to the answer before
            return back(dialog)
        if "name" in flow.names and (name := nz.introduced_name(fix)) and name != dialog["fields"].get("name"):
            dialog["fields"]["name"] = name  # "不对 我不叫刘德旺 刘德旺是包工头 俺叫王建国": the worker's own name
            return Step([copy("corrected_previous", known=_known_list(flow, {"name": name})) + "\n" + current.ask],
                        dialog)
        if corrected := _correct_by_old_value(flow, dialog, message):  # "名字不是鑫达 是鑫达劳务公司"
            return Step([copy("corrected_previous", known=_known_list(flow, corrected)) + "\n" + current.ask],
                        dialog)
        if (named := _named_fields(flow, message.text)) and \
                (corrected := _named_changes(flow, dialog, message, named)):  # "人数写错了 连俺一共16个人"
            return Step([copy("corrected_previous", known=_known_list(flow, corrected)) + "\n" + current.ask],
                        dialog)
        if corrected := _correct(flow, dialog, replace(message, text=fix)):
            return Step([copy("corrected_previous", known=_known_list(flow, corrected)) + "\n" + current.ask],
                        dialog)
        message = replace(message, text=fix)  # none of the answers before: for this question
    if _CHANGE_TO.search(message.text) and (named := [n for n in _named_fields(flow, message.text)
                                                      if n[0].name != current.name and n[0].name in dialog["fields"]]) \
            and (corrected := _named_changes(flow, dialog, message, named)):  # "电话改成159…" at the ID question
        return Step([copy("corrected_previous", known=_known_list(flow, corrected)) + "\n" + current.ask], dialog)
    naming = current.name in answers.NAMING_FIELDS and not message.location
    ahead = answers.misplaced(flow, dialog, message) if naming else {}
    result = None if ahead else read(current, message)
    reckoned = []
    if current.name == "amount_owed" and (both := answers.own_and_crew(message.text)):
        result = Answer(both)  # "我自己两万三 全班三十多万"
    elif current.name == "amount_owed" and not re.search(r"年假|休假|假期|加班", message.text) and (  # not wages
            worked := owed.owed_worked_out(message.text, dialog["fields"].get("period_months"), asked=True)):
        result = Answer(worked)  # "一天一百五 干了四十天 给过两千": 4000, never the 2000 paid
        reckoned = [copy("amount_reckoned", amount=display("amount_owed", worked))]
    if isinstance(result, Problem) and (story := answers.story_ahead(flow, dialog, current, message.text)):
        result = Answer(story)
    if isinstance(result, Problem):  # not this answer, but maybe answers to later questions
        ahead = answers.sure_ahead(flow, dialog, message.text)
        if result.copy_key == "bad_employer":  # a story where the name was asked: keep what it tells
            ahead.update(answers.also_said(flow, dialog, message))
    if ahead:  # a later question answered ("四五个月了" to "where", a phone at the name): keep it, ask again
        dialog["fields"].update(ahead)
        return Step([copy("noted_ahead", known=_known_list(flow, ahead)) + "\n" + current.ask], dialog)
    if isinstance(result, Problem):
        dialog["misses"] = dialog.get("misses", 0) + 1
        help_ = "\n" + copy("stuck_help") if dialog["misses"] >= MISSES_BEFORE_HELP else ""
        return Step([copy(result.copy_key) + help_ + "\n" + current.ask], dialog)
    dialog["misses"] = 0
    for extra in _RELATED.get(current.name, []):  # a new answer: no stale "about" flag from the old one
        dialog["fields"].pop(extra, None)
    dialog["fields"].update(result.values)
    if current.name in ("amount_owed", "workers_affected") and answers.owed_in_total(dialog["fields"], message.text):
        reckoned = [copy("amount_per_head", amount=nz.number_text(dialog["fields"]["amount_owed"]))]
    if current.name == "employer" and "project" in flow.names and "project" not in dialog["fields"] and \
            (place := _WORKPLACE.search(str(result.values.get("employer", "")))):
        dialog["fields"]["project"] = place.group(0)  # "鑫盛源电子厂 老板姓林": the factory is where the work was
    also = answers.also_said(flow, dialog, message)  # "王强 13912345678", "工头刘大海 欠我们八个人三万二"
    dialog["fields"].update(also)
    dialog["history"].append(current.name)
    known = {k: v for k, v in {**result.values, **also}.items() if k != current.name}
    # the answer itself is said back beside what else was kept, so the worker sees it was not lost
    noted = [copy("noted_ahead", known=_known_list(flow, {**result.values, **also}))] \
        if any(f.name in known for f in flow.fields) else []
    # after a change too: on to what is unanswered, else the summary
    return _advance(flow, dialog, ["\n".join(reckoned + noted)] if reckoned or noted else [])


# "不对，是…" / "错了 应该是…" / "不对 刚才时间说错了 是8月到12月": the worker corrects an answer
_CORRECTION = re.compile(r"^((哦|啊|等哈|等下)?[，,\s]*(不对|错了|[^，,。\s\d]{0,4}?(说错了|写错了|打错了|填错了|搞错了|算错了)"
                         r"|更正|更正一下|纠正一下)"
                         r"|([^，,。\s\d]{1,4})?不是[^，,。\s]{1,8}?[，,\s]*(?=是|一共|应该)"  # also "钱不是2750 是5750"
                         r"|(什么|啥|哪是|哪有|怎么(是|才|只有)|咋(是|才))[^？?！!。\s]{0,8}[？?！!。\s]+"
                         r"(?=[^。]{0,12}(是|欠|应该|一共|明明)\s*[\d零〇一二两三四五六七八九十百千万]))"
                         r"[，,。.!！\s]*"
                         r"((刚才|前面|上面)?[^，,。\s]{0,4}?(说错了|写错了|填错了|算错了|搞错了|打错了)[，,。.!！\s]*)?"
                         r"(应该)?(是|为)?[，,:：\s]*")  # also "不是五百 一共三千", "等哈 电话打错了 …"


def correction(text: str) -> str | None:
    """The corrected value if the message corrects an answer ("" for a bare "不对"), else None."""
    fix = _CORRECTION.match(text)
    return text[fix.end():].strip() if fix else None


# When a court or an arbitration hears the case: "开庭是12月15号", "下个礼拜三就要开庭了", "15号仲裁"
_DAY_SAID = r"(?:\d{1,2}月)?\d{1,2}[号日]|[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}[号日]|[一二三四五六七八九十]{1,3}[号日]|" \
            r"(?:下个?|这个?|本)?(?:礼拜|星期|周)[一二三四五六日天]|明天|后天|大后天|下周|月底"
_HEARING = re.compile(rf"(?:开庭|庭审|仲裁|传票|审理)[^，。？?\d]{{0,6}}(?:{_DAY_SAID})|(?:{_DAY_SAID})[^，。？?]{{0,6}}(?:开庭|庭审|仲裁|审理)")
_WORKPLACE = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:厂|饭店|餐馆|餐厅|面馆|火锅店?|酒店|超市|食堂|医院|学校|店)(?![\u4e00-\u9fff])")
_ADJUSTMENT = re.compile(r"(?:(?P<less>要减|减去?|减掉|扣掉|扣除|给过|预支过?|借过|已经给了|拿过)|(?P<more>少算了?|漏了|漏算了?|还要加|再加上?|加上))[^，,。\d零〇一二两三四五六七八九十]{0,4}(?P<n>(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)(?:块钱|块|元)?)")
_WHICH_TO_WRITE = re.compile(r"(写|填)(哪个|哪家|谁|啥|什么)|到底(写|填)|(写|填).{1,10}还是(写|填)?|谁该给|该找谁|找谁要")
_CHANGE_TO = re.compile(r"改成|改为|改一下|换成|应该是|写错了|填错了|打错了")  # an earlier answer changed, said by its name
_FIXING = re.compile(r"改|不对|错了|写错|写成|应该是|不是|填成")  # a question that also corrects is a correction
_AMOUNT_TOLD = re.compile(r"欠|一共|总共|加起来|合计")
_NOT_OLD = re.compile(r"不是\s*([^，,。\s]{1,16}?)[，,\s]*(?:是|而是|应该是)\s*(\S.*)$")


def _amount_adjusted(dialog: dict[str, Any], text: str) -> dict[str, Any] | None:
    """The amount on the summary changed by what the worker adds or takes off ("还要减一千 给过一千生活费": 16500;
    "钱少算了三百块冲单奖": 8670), never replaced by the difference itself. None when no such change is said or the
    worker gives the total ("一共是…") or corrects it outright ("钱不对 我的是七千二减去预支的两千")."""
    held = dialog["fields"].get("amount_owed")
    if not held or _AMOUNT_TOLD.search(text) or _FIXING.search(text) or not (m := _ADJUSTMENT.search(text)):
        return None
    amount = nz.parse_amount(m.group("n"))
    if not amount or amount.value >= held:
        return None
    value = held - amount.value if m.group("less") else held + amount.value
    working = f"{nz.number_text(held)}元{'减' if m.group('less') else '加'}{nz.number_text(amount.value)}元"
    return {"amount_owed": nz.whole(value), "amount_approx": bool(dialog["fields"].get("amount_approx")),
            "amount_working": working}


def _own_share_fix(dialog: dict[str, Any], text: str) -> dict[str, Any] | None:
    """"我自己的钱数不对 是16500" when the crew's total and the worker's own share are both kept: the share."""
    if "own_amount" not in dialog["fields"] or not answers.OWN_WORDS.search(text) or answers.CREW_WORDS.search(text):
        return None
    amount = nz.parse_amount(answers.OWN_WORDS.split(text)[-1]) or nz.parse_amount(text)
    if not amount or amount.value >= (dialog["fields"].get("amount_owed") or 0):
        return None
    dialog["fields"]["own_amount"] = amount.value
    return {k: dialog["fields"][k] for k in ("amount_owed", "amount_approx", "own_amount") if k in dialog["fields"]}


def _one_character_apart(flow: Flow, dialog: dict[str, Any], fix: str) -> dict[str, Any] | None:
    """"刘德生 生活的生 不是胜利的胜": the answer holding a name one character away (包工头刘德胜) gets the new one."""
    for name in reversed(dialog["history"]):
        held = dialog["fields"].get(name)
        if not isinstance(held, str):
            continue
        for word in dict.fromkeys(re.findall(r"[\u4e00-\u9fff]{3,4}", fix)):
            for i in range(len(held) - len(word) + 1):
                old = held[i:i + len(word)]
                if sum(a != b for a, b in zip(old, word)) == 1 and old[0] == word[0]:
                    dialog["fields"][name] = held[:i] + word + held[i + len(word):]
                    return {name: dialog["fields"][name]}
    return None


def _correct_by_old_value(flow: Flow, dialog: dict[str, Any], message: Inbound) -> dict[str, Any] | None:
    """"不是X 是Y" where X is what an answer holds: that answer becomes Y, whatever word came before."""
    if not (m := _NOT_OLD.search(message.text)):
        return None
    old, new = m.group(1), m.group(2).strip()
    for name in reversed(dialog["history"]):
        held = str(dialog["fields"].get(name) or "")
        if held and (old == held or (len(old) >= 2 and old in held)):
            fixed = read(flow.field(name), replace(message, text=new))
            if isinstance(fixed, Problem):
                return None
            _clear(flow, dialog, name)
            dialog["fields"].update(fixed.values)
            dialog["history"].append(name)
            return fixed.values
    return None


def _correct(flow: Flow, dialog: dict[str, Any], message: Inbound, shaped_only: bool = False) -> dict[str, Any] | None:
    """Put the correction on the answer just given, or else on the latest earlier answer it reads as
    (only those with a shape: a period, an amount, a count, a phone, ...; at the summary only those).
    Returns the new values."""
    for i, name in enumerate(reversed(dialog["history"])):
        answered = flow.field(name)
        if (i or shaped_only) and answered.parser not in SHAPED:
            continue
        fixed = read(answered, message)
        if not isinstance(fixed, Problem):
            _clear(flow, dialog, name)
            dialog["fields"].update(fixed.values)
            dialog["history"].append(name)
            return fixed.values
    return None


def _advance(flow: Flow, dialog: dict[str, Any], replies: list[str]) -> Step:
    missing = next((f for f in flow.fields if f.name not in dialog["fields"]), None)
    if missing is None:
        return _summary_step(flow, dialog, replies)
    dialog["stage"], dialog["asking"] = "ask", missing.name
    return Step(replies + [missing.ask] if not replies else [replies[0] + "\n\n" + missing.ask], dialog)


def _summary_step(flow: Flow, dialog: dict[str, Any], replies: list[str] | None = None) -> Step:
    dialog["stage"], dialog["asking"] = "confirm", None
    text = summary(flow, dialog)
    return Step([replies[0] + "\n\n" + text] if replies else [text], dialog)


def _confirm(flow: Flow, dialog: dict[str, Any], message: Inbound) -> Step:
    answer = message.text.strip()
    asked, _, last = answer.rpartition("？") if "？" in answer else answer.rpartition("?")
    if asked and CONFIRM.match(re.sub(r"^(对了|哦|那)[，,\s]*", "", last.strip())):  # "这个合法吗？ 对了提交吧"
        dialog["fields"]["question"] = asked.strip()[:200]  # staff see what was asked with the case
        step = _confirm(flow, dialog, replace(message, text="1"))
        step.replies[0] = (quick.answer(asked) or copy("question_later")).strip() + "\n\n" + step.replies[0]
        return step
    if CONFIRM.match(answer) and any(f.name not in dialog["fields"] for f in flow.fields):
        return _advance(flow, dialog, [])  # never submit with a question unanswered
    if CONFIRM.match(answer):
        payload = {"ref": None, "category": flow.name, "openid": message.openid, "fields": dialog["fields"],
                   "evidence": dialog["evidence"], "urgent": False, "summary": summary_lines(flow, dialog)}
        return Step([copy("submitted", title=flow.title, ref="{ref}")], None, [Action("create_ticket", payload)])
    if EDIT.match(answer):
        return edit(dialog)
    if said := quick.answer(answer):  # "对的 但是入会到底要钱不嘛": answered, then the same summary to confirm
        return Step([said + "\n\n" + summary(flow, dialog)], dialog)
    if router.is_question(answer) and not _FIXING.search(answer) and (match := faq.match(answer)).confident:
        dialog["fields"]["question"] = answer[:200]  # "我这从架子上摔的 算不算工伤啊": answered, never an answer
        return Step([faq.entry(match.topic)["answer"].strip(), copy("confirm_unclear") + "\n\n" + summary(flow, dialog)],
                    dialog)
    if (fixed := _own_share_fix(dialog, answer)) or ((fix := correction(answer)) and
                                                     (fixed := _one_character_apart(flow, dialog, fix))):
        return _summary_step(flow, dialog, [copy("corrected_previous", known=_known_list(flow, fixed))])
    if "amount_owed" in flow.names and (both := answers.own_and_crew(answer)):  # "三十多万是大家一共的 我自己的是两万三"
        _clear(flow, dialog, "amount_owed")
        dialog["fields"].update(both)
        return _summary_step(flow, dialog, [copy("corrected_previous", known=_known_list(flow, both))])
    if (adjusted := _amount_adjusted(dialog, answer)) is not None:  # "还有钱要减一千 给过一千生活费"
        _clear(flow, dialog, "amount_owed")
        dialog["fields"].update(adjusted)
        return _summary_step(flow, dialog, [copy("corrected_previous", known=_known_list(flow, adjusted))])
    if _WHICH_TO_WRITE.search(answer) and router.is_question(answer):  # "老板那栏到底写中介还是写厂 谁该给我钱"
        dialog["fields"]["question"] = answer[:200]  # a question about what to write, never the new value
        return Step([copy("which_to_write") + "\n\n" + summary(flow, dialog)], dialog)
    if step := _corrected_by_name(flow, dialog, message):  # "钱不对 是一万", "名字写彭秋菊 公司是长沙洁美环境"
        return step
    if (fix := correction(answer)) and (corrected := _correct(flow, dialog, replace(message, text=fix),
                                                              shaped_only=True)):
        dialog.update(stage="confirm", asking=None)  # "什么1元？？是欠我两万七": the answer it reads as
        return _summary_step(flow, dialog, [copy("corrected_previous", known=_known_list(flow, corrected))])
    if _AMOUNT_TOLD.search(answer) and nz.parse_amount(answer) and \
            (corrected := _correct(flow, dialog, message, shaped_only=True)):  # "加起来欠我五千七百五"
        return _summary_step(flow, dialog, [copy("corrected_previous", known=_known_list(flow, corrected))])
    corrections = sure_values(answer)  # "电话错了，是13812345678"
    if corrections:
        dialog["fields"].update({k: v for k, v in corrections.items() if any(f.name == k for f in flow.fields)})
        return _summary_step(flow, dialog, [copy("corrected")])
    return Step([copy("confirm_unclear") + "\n\n" + summary(flow, dialog)], dialog)


def _corrected_by_name(flow: Flow, dialog: dict[str, Any], message: Inbound) -> Step | None:
    """Corrections that name the answers they fix, one or several ("工地名字错了 是鑫苑名城三期 人数是十四个"):
    each named answer with a readable new value is changed and said back; one named without a value is asked
    again. None when the message names no answer."""
    named = _named_fields(flow, message.text)
    changed = _named_changes(flow, dialog, message, named)
    said = [copy("corrected_previous", known=_known_list(flow, changed))] if changed else []
    unread = [chosen for chosen, value, part in named if chosen.name not in changed and not (value or part)]
    if changed and not unread:  # says exactly what changed: never "改好了" for nothing
        return _summary_step(flow, dialog, said)
    if named:  # named without a new value ("人数不对", "厂名写的啥玩意"): that question again
        chosen = (unread or [named[0][0]])[0]
        _clear(flow, dialog, chosen.name)
        dialog.update(stage="ask", asking=chosen.name)
        return Step(["\n".join(said + [chosen.ask])], dialog)
    return None


def _named_changes(flow: Flow, dialog: dict[str, Any], message: Inbound,
                   named: list[tuple[Field, str, str]]) -> dict[str, Any]:
    """Change each named answer that has a readable new value; return what changed. An amount is first
    worked out as the worker does ("钱不对 我的是七千二减去预支的两千")."""
    changed: dict[str, Any] = {}
    for chosen, value, part in named:
        value, part = (_ADD_WORDS.sub("", said).strip() if said else said for said in (value, part))
        if chosen.parser in ("employer", "text", "location", "name") and value and len(value) < 2:
            value = ""  # "公司名也写上 美家装师": a stray 上 is no name
        worked = owed.owed_worked_out(part, dialog["fields"].get("period_months"), asked=True) \
            if chosen.name == "amount_owed" else None
        fixed = Answer(worked) if worked else next((r for said in (value, part) if said and not isinstance(
            r := read(chosen, replace(message, text=said)), Problem)), None)  # "身份证号是520111198503124 43X"
        if fixed is not None and not isinstance(fixed, Problem) and \
                fixed.values.get(chosen.name) != dialog["fields"].get(chosen.name):  # "一千六百八？" quotes, not fixes
            before = dict(dialog["fields"])
            _clear(flow, dialog, chosen.name)
            dialog["fields"].update(added := _added_to(before, fixed.values, chosen.name))
            changed.update(added)
    return changed


# "老板叫梁志明也写上", "公司名也写上 美家装师": asking to add, not part of the value
_ADD_WORDS = re.compile(r"^[，,\s]*(名字?|的名字)?[，,\s]*((也|都|再)?(写上|加上|填上|补上|写进去|加进去)|(写|填)?得?(详细|清楚|具体|全)(一)?(点|些)?)[，,\s]*|[，,\s]*(也|都|再)?(写上|加上|填上|补上|写进去|加进去)(吧|啊|呀)?$")


def _pick_edit(flow: Flow, dialog: dict[str, Any], message: Inbound) -> Step:
    digit = _DIGIT.match(message.text)
    chosen = None
    if digit and 1 <= int(digit.group(1)) <= len(flow.fields):
        chosen = flow.fields[int(digit.group(1)) - 1]
    elif step := _corrected_by_name(flow, dialog, message):  # "钱", "老板系好味茶餐厅个老细 人数系三个"
        return step
    else:
        chosen = next((f for f in flow.fields if f.label in message.text), None)
    if chosen is None or not message.text.strip():
        return Step([copy("edit_unclear") + "\n" + _edit_menu(flow)], dialog)
    _clear(flow, dialog, chosen.name)
    dialog.update(stage="ask", asking=chosen.name)
    return Step([chosen.ask], dialog)


def _added_to(before: dict[str, Any], values: dict[str, Any], name: str) -> dict[str, Any]:
    """A correction that adds rather than replaces: the boss beside the company ("豫美装饰公司" + "张建军"),
    a town after the city ("宁波鄞州区" + "姜山镇")."""
    old, new = str(before.get(name) or ""), str(values.get(name) or "")
    if not old or not new or new in old or old in new:
        return values
    if name == "employer" and nz.find_org(old) and not nz.find_org(new):
        return {**values, name: f"{old} {new}"}
    if name == "location" and not nz.names_place(new) and (nz.names_place(old) or re.search(r"[市区县]", old)) \
            and re.search(r"[镇乡街村路]", new):
        return {**values, name: old + new}
    return values


_NEW_VALUE = re.compile(r"(?<![不唔哪])(?:是|系|改成|改为|应该是|应是|写成|换成|写|填|叫)\s*([^\s，,。]+)")


_NO_VALUE = re.compile(r"^(的|得)?(啥|什么|错|乱|不对|玩意)")
_OWED_IS = re.compile(r"(?:所以|一共|总共|那|还)?欠(?:我|俺|我们)?的?(?:是|有|了)\s*([^\s，,。]+)")


def _named_fields(flow: Flow, text: str) -> list[tuple[Field, str, str]]:
    """The answers a correction names by their aliases, in order, each with the new value said after 是 / 改成
    ("" when none) and its whole part of the message. A word right after another names nothing new: "老板名字" is
    the boss, "工地名字" the site."""
    hits = sorted((text.find(alias), len(alias), f) for f in flow.fields for alias in f.aliases if alias in text)
    kept: list[tuple[int, int, Field]] = []
    for start, length, f in hits:
        if kept and (start < kept[-1][0] + kept[-1][1] + 1 or f is kept[-1][2]):
            continue
        kept.append((start, length, f))
    parts = []
    for i, (start, length, f) in enumerate(kept):
        end = kept[i + 1][0] if i + 1 < len(kept) else len(text)
        value = _NEW_VALUE.search(text, start + length, end)
        if value and _NO_VALUE.match(value.group(1)):  # "厂名那栏写的啥玩意": named, with nothing to put in
            parts.append((f, "", ""))
            continue
        said = value.group(1) if value else ""
        if f.name == "amount_owed" and (owed_is := _OWED_IS.search(text, start + length, end)):
            said = owed_is.group(1)  # "十月只发了一半 是两千 所以欠的是 六千六": what is owed, not what was paid
        parts.append((f, said, text[start + length:end].strip()))
    return parts


# -- text -------------------------------------------------------------------------

def summary_lines(flow: Flow, dialog: dict[str, Any]) -> str:
    lines = [f"【{flow.title}】"]
    for f in flow.fields:
        lines.append(f"{f.label}：{display(f.name, dialog['fields'])}")
    lines += [f"{label}：{dialog['fields'][name]}" for name, label in flow.shown if dialog["fields"].get(name)]
    if dialog["evidence"]:
        kinds = {"image": "照片", "voice": "语音", "video": "视频", "shortvideo": "视频", "file": "文件"}
        counts: dict[str, int] = {}
        for item in dialog["evidence"]:
            counts[kinds.get(item["msg_type"], "文件")] = counts.get(kinds.get(item["msg_type"], "文件"), 0) + 1
        lines.append(copy("evidence_count", kinds="、".join(f"{k}{n}份" for k, n in counts.items())))
    return "\n".join(lines)


def summary(flow: Flow, dialog: dict[str, Any]) -> str:
    return summary_lines(flow, dialog) + "\n\n" + copy("confirm_choices")


def display(name: str, fields: dict[str, Any]) -> str:
    """A field's value as the worker should read it back (ID numbers masked)."""
    value = fields.get(name)
    if name == "phone" and fields.get("wechat_only") and not value:
        return "不留电话，在微信联系"
    if name == "amount_owed" and fields.get("amount_unknown") and not value:
        return "不清楚，请工作人员帮您算"
    if value in (None, ""):
        return "（未填）"
    if name == "amount_owed":  # 30000多元, and how the worker worked it out: 10750多元（3500元×4.5个月，已给5000元）
        working = f"（{fields['amount_working']}）" if fields.get("amount_working") else ""
        if fields.get("amount_under"):  # 不到两万: at most
            return f"不到{nz.number_text(value)}元{working}"
        if fields.get("own_amount"):  # the crew's total, and the worker's own share of it
            working = f"（大家一共；您本人{nz.number_text(fields['own_amount'])}元）"
        return f"{nz.number_text(value)}{'多' if fields.get('amount_approx') else ''}元{working}"
    if name in ("monthly_income", "total_cost"):
        return f"{nz.number_text(value)}元"
    if name == "period":
        months = fields.get("period_months")
        if months and "个半月" in str(value) and months == int(months):  # stored whole; said back as told
            months = f"{int(months)}.5"
        return f"{value}（约{months}个月）" if months else str(value)
    if name == "workers_affected" and fields.get("workers_approx"):
        return f"至少{value}人"  # 十几个, 七八个: the lower bound
    if name in ("workers_affected", "family_size"):
        return f"{value}人"
    if name == "id_number":
        return nz.mask_id(str(value))
    if name == "location" and isinstance(value, dict):
        return value.get("label") or f"位置 {value.get('lat')}, {value.get('lng')}"
    if name.endswith("_detail"):
        return str(value)
    return str(value)


def _known_list(flow: Flow, fields: dict[str, Any]) -> str:
    return "；".join(f"{f.label}：{display(f.name, fields)}" for f in flow.fields if f.name in fields)


def _question(flow: Flow, dialog: dict[str, Any]) -> str:
    if dialog["stage"] == "confirm":
        return summary(flow, dialog)
    if dialog["stage"] == "edit":
        return _edit_menu(flow)
    return flow.field(dialog["asking"]).ask


def _edit_menu(flow: Flow) -> str:
    options = "\n".join(f"{i} {f.label}" for i, f in enumerate(flow.fields, start=1))
    return copy("edit_menu", options=options)


_RELATED = {"period": ["period_months"],
            "amount_owed": ["amount_approx", "amount_under", "amount_per_head", "amount_working", "amount_unknown",
                            "own_amount"],
            "workers_affected": ["workers_approx"], "phone": ["wechat_only"]}  # what goes with an answer


def _clear(flow: Flow, dialog: dict[str, Any], name: str) -> None:
    dialog["fields"].pop(name, None)
    for extra in _RELATED.get(name, []) + [f"{name}_detail"]:
        dialog["fields"].pop(extra, None)
    if name in dialog["history"]:
        dialog["history"].remove(name)


def _copy(dialog: dict[str, Any]) -> dict[str, Any]:
    return {**dialog, "fields": dict(dialog["fields"]), "history": list(dialog["history"]),
            "evidence": list(dialog["evidence"])}
