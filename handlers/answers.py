"""What an answer says beyond the question it answers.

Workers answer the way they talk: a phone number with the name, the head count with the employer, the
monthly pay instead of the total, a story where an ID number was asked. These functions find those
values for the other questions of the dialog; ``handlers.forms`` decides what to do with them.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from handlers import normalise as nz
from handlers import reckon
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
_MOVABLE = ("period", "period_months", "amount_owed", "amount_approx", "workers_affected", "phone")


def sure_ahead(flow: Flow, dialog: dict[str, Any], text: str) -> dict[str, Any]:
    """Unmistakable values (phone, ID) for questions of this flow not answered yet."""
    names = {f.name for f in flow.fields}
    return {k: v for k, v in sure_values(text).items() if k in names and k not in dialog["fields"]}


_LEADING_DISTRICT = re.compile(r"^[\u4e00-\u9fff]{2,3}?[区县镇](?<!小区|社区|园区|厂区|景区|城区|市区|郊区|工区|营区|片区|校区|新区)")


def also_said(flow: Flow, dialog: dict[str, Any], message: Inbound) -> dict[str, Any]:
    """What an accepted answer also says for questions not answered yet: the sure values (phone, ID) in any
    dialog; in the wage dialog also a period, an amount, a head count said as such, and the place (a place at
    the start of an answer is where the work was: "成都龙泉驿 一个小区工地")."""
    values = sure_ahead(flow, dialog, message.text)
    if flow.name == "wage_arrears":
        text = message.text if message.text.startswith(("在", "到")) else "在" + message.text
        found = nz.extract_wage_fields(text, message.day)
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
                               ("workers_affected", "workers_approx"), ("location", None)):
            if key in found and key not in dialog["fields"] and (key != "period" or companion in found):
                values[key] = found[key]
                if companion and companion in found:
                    values[companion] = found[companion]
    return values


def story_ahead(flow: Flow, dialog: dict[str, Any], current: Field, text: str) -> dict[str, Any]:
    """"站长把账号都封了 联系不上" at the optional ID question: no ID, but the story staff need. It goes to the
    description, and the optional question counts as declined."""
    names = {f.name for f in flow.fields}
    if (current.optional and "description" in names and "description" not in dialog["fields"]
            and not re.search(r"\d", nz.spoken_digits(text)) and len(re.findall(r"[\u4e00-\u9fff]", text)) >= 6
            and not re.search(r"吗|[?？]|不$", text)  # a question about the ID is no story
            and not any(alias in text for alias in current.aliases)):  # "身份证号我记不住" is about the ID
        return {current.name: "", "description": text[:500]}
    return {}


_PER_HEAD = re.compile(r"每(个)?人|一人(一|欠|被)|人均|每个(阿姨|工友|师傅|兄弟)")  # not 每个月


def owed_in_total(fields: dict[str, Any], text: str) -> bool:
    """"我们三个阿姨每人被欠六千块": the amount owed is for all of them (once the head count is known: until
    then ``amount_per_head`` remembers it). True when the total was worked out now."""
    if _PER_HEAD.search(text) and fields.get("amount_owed"):
        fields["amount_per_head"] = True
    if fields.get("amount_per_head") and fields.get("workers_affected"):
        del fields["amount_per_head"]
        if fields["workers_affected"] > 1:
            fields["amount_owed"] = fields["amount_owed"] * fields["workers_affected"]
            return True
    return False


_AMOUNT = r"(\d+(?:\.\d+)?[kKwW万]?|[零〇一二两三四五六七八九十百千万]+)(多|来|几)?(?:块钱|块|元)?"
_PAID = re.compile(rf"(?<![没不未该应要])(?:给了|给过|只给了?|就给了?|才给了?|发了|发过|付了|付过|结了|结过|预支了?|借了|"
                   rf"拿到了?|拿了|拿过|到手|转了|打了)\s*(?:我|俺|我们|俺们)?\s*{_AMOUNT}")
_EARNED = re.compile(rf"(?:挣了?|赚了?|应该?(?:拿|给|发|得)(?:我|俺|我们)?|应得|应发|工资一共|一共是|总共是?|一共|合计|加起来)"
                     rf"(?:是|有)?\s*{_AMOUNT}")
_LEFT_OWED = re.compile(rf"(?:还差|还欠|剩下?的?|剩余|尾款|还有)\s*{_AMOUNT}(?!\s*个)")
_ADDED = re.compile(rf"(?:加上|再加上?|外加|另外还有)\s*(?:押金|保证金|生活费|路费|伙食费|奖金|提成)?\s*{_AMOUNT}")
_DAYS_WORKED = re.compile(r"(?:干|做|上|出)了?\s*(\d+|[一二两三四五六七八九十百]+)\s*(?:个)?(?:天|工)(?!\s*(?:工资|工钱))")
_HALF_MONTHS = re.compile(r"(\d+|[一二两三四五六七八九十]+)\s*个半月")
_RATE_SAID = re.compile(r"月薪|日薪|[一每]个?月|[一每]天|/月|/天")
_UNPAID = re.compile(r"一分|没给|没发|没结|没拿|没到手|不给|不发|欠")


def owed_worked_out(text: str, months: float | None = None, asked: bool = False) -> dict[str, Any] | None:
    """The amount owed as a worker works it out: what the work earned (a total, or the monthly or daily pay times
    the months or days worked, or ``months`` already known), plus what was added, minus what was paid:
    "一天一百五 干了四十天 给过两千" -> 4000. With ``asked`` (the answer to "how much is owed") pay times time alone
    is the amount; otherwise the message must say it was not paid. The working goes with it for staff and the
    summary ("挣6000元，已给2000元"). None when the message does not work anything out."""
    text = nz.halfwidth(text)
    paid = [_money(m) for m in _PAID.finditer(text)]
    if (left := _LEFT_OWED.search(text)) and (owed := _money(left)) and paid:  # "给了三千 还差九千": said outright
        return {"amount_owed": _whole(owed[0]), "amount_approx": owed[1]}
    earned, working = _earned(text, months)
    if earned is None and (paid or _ADDED.search(text)) and not re.search(r"欠|差|剩", text):
        base = nz.parse_amount(_ADDED.split(text)[0])  # "八千 给了两千", "工资3800 加上押金500": paid ones never read
        earned, working = ((float(base.value), base.approx), f"{_yuan(base.value)}元") if base else (None, "")
    if earned is None:
        return None
    value, approx = earned
    for extra in (_money(m) for m in _ADDED.finditer(text)):
        if extra:
            value, approx, working = value + extra[0], approx or extra[1], f"{working}，加{_yuan(extra[0])}元"
    paid = [p for p in paid if p]
    if paid:
        given = sum(p[0] for p in paid)
        if given >= value:
            return None
        value, approx, working = value - given, approx or any(p[1] for p in paid), f"{working}，已给{_yuan(given)}元"
    elif not asked and not _UNPAID.search(text):
        return None
    if "×" not in working and not paid and "加" not in working:
        return None  # a total alone: the amount parser reads it
    return {"amount_owed": _whole(value), "amount_approx": approx, "amount_working": working}


def _earned(text: str, months: float | None) -> tuple[tuple[float, bool] | None, str]:
    """What the work earned, and how it was worked out."""
    if (said := _EARNED.search(text)) and (total := _money(said)):
        return total, f"挣{_yuan(total[0])}{'多' if total[1] else ''}元"
    rate = reckon.monthly_wage(text) if _RATE_SAID.search(text) else None  # "工资3800" alone is no rate
    if rate and rate[1] is not None:  # a daily wage: times the days worked
        days = next((n for m in _DAYS_WORKED.finditer(text) if (n := nz.cn_number(m.group(1)))), None)
        if days and days <= 400:
            return (rate[1] * days, False), f"{_yuan(rate[1])}元×{_yuan(days)}天"
        return None, ""
    if rate:
        half = _HALF_MONTHS.search(text)
        period = nz.parse_period_months(re.sub(r"[一每]个?月", "", text))
        worked = (nz.cn_number(half.group(1)) + 0.5) if half else period.value if period else months
        if worked and worked <= 36:
            approx = not half and bool(period and period.approx)
            return (rate[0] * worked, approx), f"{_yuan(rate[0])}元×{_yuan(worked)}个月"
    return None, ""


def _money(m: re.Match[str]) -> tuple[float, bool] | None:
    """The amount of a match of ``_AMOUNT`` (its last three groups), with whether it was approximate."""
    raw, approx = m.group(m.re.groups - 1), m.group(m.re.groups)
    amount = nz.parse_amount(raw + (approx or "") + "元")
    return (float(amount.value), amount.approx) if amount else None


def _yuan(value: float) -> str:
    return f"{value:g}"


def _whole(value: float) -> float | int:
    return int(value) if value == int(value) else round(value, 2)


def names_something(text: str) -> bool:
    """Whether an answer names a place, a site or an employer at all (老乡 is people, not a 乡)."""
    return bool(_NAMING_RE.search(text.replace("老乡", "")))


def misplaced(flow: Flow, dialog: dict[str, Any], message: Inbound) -> dict[str, Any]:
    """Values for later questions of the wage dialog found in an answer that names nothing."""
    if flow.name != "wage_arrears" or names_something(message.text):
        return {}
    found = nz.extract_wage_fields(message.text, message.day)
    return {k: found[k] for k in _MOVABLE if k in found and k not in dialog["fields"]}
