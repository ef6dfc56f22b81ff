"""What an answer says beyond the question it answers.

Workers answer the way they talk: a phone number with the name, the head count with the employer, the
monthly pay instead of the total, a story where an ID number was asked. These functions find those
values for the other questions of the dialog; ``handlers.forms`` decides what to do with them.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from handlers import normalise as nz
from handlers import owed
from handlers.fields import Field, sure_values
from handlers.messages import Inbound

if TYPE_CHECKING:
    from handlers.forms import Flow


# The wage dialog's questions answered with a name (who, which site, where). An answer to one of them that
# names nothing (no place or employer word) but holds a period, an amount, a head count or a phone number
# was meant for a later question.
NAMING_FIELDS = ("employer", "project", "location")
_NAMING_RE = re.compile(r"[省市区县镇乡村街路巷号楼栋厂园场站港湾桥坝队司店]|工地|小区|广场|大厦|附近|旁边|对面|这边|那边"
                        r"|老板|包工头|工头|老(?![家婆公人])[\u4e00-\u9fff]|经理|班组|集团|劳务|建筑|装修|物业|餐馆|饭店")
_MOVABLE = ("period", "period_months", "amount_owed", "amount_approx", "amount_under", "workers_affected", "phone")


def sure_ahead(flow: Flow, dialog: dict[str, Any], text: str) -> dict[str, Any]:
    """Unmistakable values (phone, ID, a name given as "我叫…") for questions of this flow not answered yet."""
    names = flow.names
    values = sure_values(text)
    if "name" not in dialog["fields"] and (name := nz.introduced_name(text)):
        values["name"] = name
    return {k: v for k, v in values.items() if k in names and k not in dialog["fields"]}


_LEADING_DISTRICT = re.compile(r"^[\u4e00-\u9fff]{2,3}?[区县镇](?<!小区|社区|园区|厂区|景区|城区|市区|郊区|工区|营区|片区|校区|新区)")


def also_said(flow: Flow, dialog: dict[str, Any], message: Inbound) -> dict[str, Any]:
    """What an accepted answer also says for questions not answered yet: the sure values (phone, ID) in any
    dialog; in the wage dialog also a period, an amount, a head count said as such, and the place (a place at
    the start of an answer is where the work was: "成都龙泉驿 一个小区工地")."""
    values = sure_ahead(flow, dialog, message.text)
    if flow.name == "wage_arrears":
        text = message.text if message.text.startswith(("在", "到")) else "在" + message.text
        found = nz.extract_wage_fields(text, message.day)
        if "amount_owed" not in dialog["fields"] and \
                (worked := owed.owed_worked_out(message.text, dialog["fields"].get("period_months"))):
            found.update(worked)  # "一天三百 干了四十来天 就给了两千生活费"
        if workers := nz.parse_workers(message.text):  # not the 欠我 -> 1 guess a first message gets
            found["workers_affected"] = workers.value
        else:
            found.pop("workers_affected", None)
            found.pop("workers_approx", None)
        if not nz.more_than_region(str(found.get("location", ""))):
            found.pop("location", None)  # "陕西恒泰建设": a company's region, not yet where the work was
        if "location" not in found and (district := _LEADING_DISTRICT.match(message.text)):
            found["location"] = district.group(0)  # "龙华区那个壹城中心的几套房子"
        for key, companion in (("period", "period_months"), ("amount_owed", "amount_approx"),
                               ("workers_affected", "workers_approx"), ("location", None), ("project", None),
                               ("general_contractor", None)):
            if key in found and key not in dialog["fields"] and (key != "period" or companion in found):
                values[key] = found[key]
                if companion and companion in found:
                    values[companion] = found[companion]
                if key == "amount_owed":
                    values.update({k: found[k] for k in ("amount_under", "amount_working") if found.get(k)})
    return values


def story_ahead(flow: Flow, dialog: dict[str, Any], current: Field, text: str) -> dict[str, Any]:
    """"站长把账号都封了 联系不上" at the optional ID question: no ID, but the story staff need. It goes to the
    description, and the optional question counts as declined."""
    names = flow.names
    if (current.optional and "description" in names and "description" not in dialog["fields"]
            and not re.search(r"\d", nz.spoken_digits(text)) and len(re.findall(r"[\u4e00-\u9fff]", text)) >= 6
            and not re.search(r"吗|[?？]|不$", text)  # a question about the ID is no story
            and not any(alias in text for alias in current.aliases)):  # "身份证号我记不住" is about the ID
        return {current.name: "", "description": text[:500]}
    return {}


_PER_HEAD = re.compile(r"每(个)?人|一人(一|欠|被)|人均|每个(阿姨|工友|师傅|兄弟)|个个(都)?(差|欠|被欠|少)|各(差|欠)")  # not 每个月


# The worker's own share and the crew's total said together: "老板一共欠我们三十多万 我个人是两万三"
def _figure_re(tag: str) -> str:
    return (rf"(?P<n{tag}>\d+(?:\.\d+)?[万千wWkK]?\d*|[零〇一二两三四五六七八九十百千万]+)"
            rf"(?P<more{tag}>(?:多|来)?[万千]?)(?:块钱|块|元)?(?![个人天月年号岁台件\d零〇一二两三四五六七八九十百千万])")  # not "五个人", "十一个人"


# the worker's own share: "我自己…", "俺个人…", "我的是一万三千八"
OWN_WORDS = re.compile(r"(?:我|俺)(?:个人|自己|本人|一个人|的(?=是|有|\d|[一二两三四五六七八九十]))")
CREW_WORDS = re.compile(r"(?:一共|总共|全班组?|全部|大家伙?|大伙|加起来|合计|所有人)")  # the crew's total
_OWN_SHARE = re.compile(rf"{OWN_WORDS.pattern}[^，,。\d零〇一二两三四五六七八九十]{{0,8}}?{_figure_re('')}")
_CREW_TOTAL = re.compile(rf"{CREW_WORDS.pattern}[^，,。\d零〇一二两三四五六七八九十]{{0,6}}"
                         rf"{_figure_re('')}|{_figure_re('2')}(?:是|都是)?(?:大家|全班组?|我们|所有人)(?:一共|总共|的|加起来)")


_CREW_SAID = re.compile(r"我们|俺们|大家|大伙|工友们|(\d+|[一二两三四五六七八九十]+)(个|来个|多个)人")


def own_and_crew(text: str) -> dict[str, Any] | None:
    """``amount_owed`` (the crew's total) and ``own_amount`` when a message says both, else None."""
    text = re.sub(r"加一块儿?|加一起|合一块", "加起来", text).replace("一共", "总共")  # no 一块 or 一 of money
    own, crew = _OWN_SHARE.search(text), _CREW_TOTAL.search(text)
    mine = _figure(own.groupdict()) if own else None
    all_ = _figure({k.rstrip("2"): v for k, v in crew.groupdict().items() if v is not None}) if crew else None
    if mine and not all_ and _CREW_SAID.search(text):  # "我们十二个人 鑫源劳务公司欠了二十一万 我自己的一万八"
        all_ = nz.parse_amount(text[:own.start()] + "，" + text[own.end():])
    if not (mine and all_) or mine.value >= all_.value:
        return None
    return {"amount_owed": all_.value, "amount_approx": all_.approx, "own_amount": mine.value}


def _figure(groups: dict[str, str | None]) -> nz.Amount | None:
    return nz.parse_amount((groups.get("n") or "") + (groups.get("more") or "") + "元")


def owed_in_total(fields: dict[str, Any], text: str) -> bool:
    """"我们三个阿姨每人被欠六千块": the amount owed is for all of them (once the head count is known: until
    then ``amount_per_head`` remembers it). True when the total was worked out now."""
    if _PER_HEAD.search(text) and fields.get("amount_owed"):
        fields["amount_per_head"] = True
    if fields.get("amount_per_head") and fields.get("workers_affected"):
        del fields["amount_per_head"]
        if fields["workers_affected"] > 1:
            fields["amount_owed"] = fields["amount_owed"] * fields["workers_affected"]
            if fields.get("amount_working"):  # the working says it is each one's, times the crew
                fields["amount_working"] += f"，每人的×{fields['workers_affected']}人"
            return True
    return False


def names_something(text: str) -> bool:
    """Whether an answer names a place, a site or an employer at all (老乡 is people, not a 乡)."""
    return bool(_NAMING_RE.search(re.sub(r"老乡|进场|进厂|出场|退场|[\d一二三四五六七八九十廿]+[号日]", "", text)))  # 进场, 二十号: when


def misplaced(flow: Flow, dialog: dict[str, Any], message: Inbound) -> dict[str, Any]:
    """Values for later questions of the wage dialog found in an answer that names nothing."""
    if flow.name != "wage_arrears" or names_something(message.text):
        return {}
    found = nz.extract_wage_fields(message.text, message.day)
    return {k: found[k] for k in _MOVABLE if k in found and k not in dialog["fields"]}
