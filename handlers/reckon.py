"""A policy answer applied to the worker's own figures: "按您月工资4000元算，平时加班1小时至少27.59元".

Only the arithmetic the law itself fixes: overtime at 1.5 / 2 / 3 times wage ÷ 21.75 ÷ 8 (《劳动法》第四十四条),
economic compensation N and unlawful dismissal 2N (《劳动合同法》第四十七条、第八十七条), double wages without a
written contract (第八十二条), unused annual leave (《职工带薪年休假条例》第五条), and the one-year limits of a
work-injury claim (《工伤保险条例》第十七条) and of arbitration after leaving (《劳动争议调解仲裁法》第二十七条).

A figure is worked out only when the message says what it needs (a monthly or daily wage, years worked,
hours, months since); otherwise :func:`reckon` gives None and the general answer stands alone. Readings
are conservative like ``normalise``: a number that may be something else is not used. The words are in
copy.yaml (``reckon_*``); the sums are rounded to the yuan, and always end "以仲裁认定为准".
"""
from __future__ import annotations

import re
from datetime import date
from typing import Callable

from handlers.copy import text
from handlers.normalise import after_correction, cn_number, halfwidth, number_text

OVERTIME_LIMIT = 36  # hours a month, 《劳动法》第41条
_NUM = r"(\d+(?:\.\d+)?[kKwW千万]?|[零〇一二两三四五六七八九十百千万]+)"
_YUAN = r"(?:\s*(?:块钱|块|元|大洋))?"
_FILL = r"(?:是|有|才|就|能|拿|到手|发|给|大概|差不多|只有|也就|平均|一般|按)*\s*"
_NOT_AFTER = re.compile(r"(?:个|多个|天|小时|钟头|年(?!假)|号|人|次|倍"
                        r"|(?:块钱?|元)?的?(?:生活费|伙食费|路费|房租|饭钱))")  # 每个月就给两千生活费: no wage
# 工资四千没给 is a sum owed; 月薪五千 欠了两个月 is still a wage.
_UNPAID_AFTER = re.compile(r"\s?(?:(?:都|还)?(?:没|未)(?:给|发|结|拿|付|到手)|欠)")
_RATE_NAMED = ("月薪", "月工资", "日薪", "日工资", "底薪", "每", "一个月", "一天")
# A sum owed, not a wage: 欠我工资一万二, 一共工资三万.
_OWED_BEFORE = re.compile(r"(?:欠|拖|差|没给|没发|没结|一共|总共|还有|生活费|伙食费|借支|预支|房租|补贴)\S{0,3}$")  # not a wage
# A monthly wage: 月薪四千, 工资3000, 一个月拿四千五, 四千一个月 (not 三个月工资一万二: that is a sum).
_MONTHLY = (re.compile(rf"(?:每|一)个?月(?:工资|工钱)?{_FILL}{_NUM}{_YUAN}"),
            re.compile(rf"(?:(?<![个几\d零一二两三四五六七八九十])(?:月薪|月工资)|(?<![个几\d月])工资|底薪){_FILL}{_NUM}{_YUAN}"),
            re.compile(rf"(?<![\d.]){_NUM}{_YUAN}\s*(?:(?:一|每)个?月(?!工资)|的(?:工资|月薪)|月薪)"))
_DAILY = (re.compile(rf"(?:日薪|日工资|(?:一|每)天(?:工资|工钱)?){_FILL}{_NUM}{_YUAN}"),
          re.compile(rf"(?<![\d.]){_NUM}{_YUAN}\s*(?:一|每)天"))
_WORKED = r"(?:干|做|上班|工作|干活|打工|待|呆|进厂|进公司|入职|来|在[^\d\s，。,.!?一二两三四五六七八九十]{1,6}?)"
_TENURE = re.compile(rf"(?:{_WORKED}[了有满]?|工龄)(?:大概|差不多|快|将近|整整|已经|都|有|总共|一共|前后)*\s*{_NUM}\s*"
                     rf"(?:(?P<years>年)(?P<half>半)?(?:零?{_NUM}\s*个?月)?|个?(?P<more>多)?月)")
_TENURE_SUM = re.compile(rf"{_NUM}\s*年[^，。\d]{{0,4}}?(?:加上?|再加|还有)[^，。\d]{{0,6}}?{_NUM}\s*年")
_TENURE_AFTER = re.compile(rf"{_NUM}\s*(?P<years>年)(?P<half>半)?的?工龄")
_DAY_HOURS = re.compile(rf"(?:每天|一天|天天|每日)(?:都|要|得)?(?:干|上|做|上班|工作|干活)?了?\s*{_NUM}\s*个?多?(?:小时|钟头|钟)")
# Overtime every working day: 每天加班4小时, 每天下班后还要加班3小时, 平时晚上加班3个小时, 每天晚上都加3个钟
_DAY_EXTRA = re.compile(rf"(?:(?:每天|一天|天天|每日|每晚|平时|晚上都|下班后都)[^，,。！？\d]{{0,6}}?加(?:班)?了?"
                        rf"|下班[了后以]?[^，,。！？\d]{{0,6}}?(?:干|做|加班?)了?)\s*{_NUM}\s*个?多?(?:小时|钟头|钟)")
_EXTRA_HOURS = re.compile(rf"加(?:班|了)?\s*{_NUM}\s*个?多?(?:小时|钟头|钟)|{_NUM}\s*个?多?(?:小时|钟头|钟)的?(?:加班|班)")
_DAYS_A_MONTH = re.compile(rf"(?<!十)[一每]个?月(?:要|得|都)?(?:干|上|做|上班|出勤)?\s*{_NUM}\s*天")  # 一个月干二十六天
# Rest days worked, counted by the worker: "周六还上了4天", "礼拜天干了两天"
_REST_DAY = r"(?:周[六日天末]|星期[六天日]|礼拜[六天日]|休息日)"  # a Saturday, a Sunday, the weekend
_REST_DAYS_COUNTED = re.compile(rf"(?:{_REST_DAY}|双休)[^，,。！？\d]{{0,4}}?(?:还|也|都)?(?:上|干|做|加班|出勤)了?\s*{_NUM}\s*天")
_REST_DAYS_NAMED = re.compile(rf"{_NUM}\s*个\s*{_REST_DAY}")  # 4个礼拜六
_REST_DAY_HOURS = re.compile(rf"{_REST_DAY}[^，,。！？]{{0,10}}?{_NUM}\s*个?多?(?:小时|钟头|钟)")
_OVERTIME_DAYS = re.compile(rf"{_NUM}\s*天都?加(?:了|班)|加班?了\s*{_NUM}\s*天")  # 上个月22天都加了
_PAID_RATE = re.compile(rf"加班(?:费)?[^，,。]{{0,14}}?(?:一个钟头?|一小时|每小时|一个小时|每个钟)\s*{_NUM}\s*(?:块|元)")
_PAID_OVERTIME = re.compile(rf"(?:给|发)了?(?:我|俺)?\s*{_NUM}\s*(?:块钱|块|元)?(?:的)?加班费|加班费(?:只|就|才|一共)?(?:给|发)了?(?:我|俺)?\s*{_NUM}")
_DAYS_OFF = re.compile(rf"(?:(?<!十)[一每]个?月|(?<![年病产婚])(?=休))(?:只|就|才|总共|一共)?(?:能)?(?:休|放)(?:息|假)?了?\s*{_NUM}\s*[天日]")  # 一个月只休2天, 休四天
_SERVED = re.compile(rf"(?:现在|已经|才|目前)+(?:干|做|上班|上)了?\s*{_NUM}\s*个?多?月|第\s*{_NUM}\s*个月")  # probation served so far
_TAKE_HOME = re.compile(r"到手|实发|一共(拿|发)|总共(拿|发)|连加班|加班费在内|包括加班")
_WEEKDAYS = re.compile(r"(?:周|星期|礼拜)一(?:到|至)(?:周|星期|礼拜)?五(?:都|也)?(?:天天|每天)?|天天都?这样|每天都?这样")
_REST_DAYS = re.compile(rf"{_REST_DAY}|双休|没休息|不休息|没得休|没有休息|天天|一天都不休|无休")
_HOLIDAY = re.compile(r"法定|节假日|春节|过年|大年|除夕|初[一二三]|国庆|十一|五一|劳动节|元旦|清明|端午|中秋")
_DAYS = re.compile(rf"{_NUM}\s*天")
_NO_CONTRACT_MONTHS = re.compile(rf"{_NUM}\s*个?多?月[^。！？]{{0,8}}(?:没|不|未)(?:给|跟我|和我|跟俺|给我)?签|(?:没|不|未)签[^。！？]{{0,12}}?{_NUM}\s*个?多?月")
_SINCE = re.compile(rf"{_NUM}\s*个?多?(?P<unit>年|月)(?:多)?(?:前|之前|以前|了)")
_LEFT_FOR = re.compile(rf"(?:走了|离开|离职|辞职|不干了)(?:有|快|都|已经)?\s*{_NUM}\s*个?多?(?P<unit>年|月)(?P<half>半)?多?")
_YEAR_AND_HALF = re.compile(rf"{_NUM}\s*年半(?:多)?(?:前|之前|以前|了)")
_YEARS_AND_MONTHS = re.compile(rf"{_NUM}\s*年(?:零|又)?\s*{_NUM}\s*个?月")  # 一年零两个月
_LAST_YEAR_MONTH = re.compile(rf"(?P<which>去年|前年)\s*{_NUM}\s*月")
_THIS_YEAR_MONTH = re.compile(rf"今年\s*{_NUM}\s*月")
_DATE = re.compile(r"(?P<y>去年|前年|今年|(?:20)?\d{2}年)?\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})月份?(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})(?:号|日)")
_YEAR_MONTH = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月")  # 2026年5月受的伤
_BARE_DATE = re.compile(r"(?:大概|应该是|是|在)?\s*(?:去年|前年|今年|(?:20)?\d{2}年)\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})月份?"
                        r"(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})[号日])?\s*(?:的|那会儿?|左右|吧|的时候)?[。.！!]?")
_RECENTLY = re.compile(r"上上个?月|上个?月|上周|上个?礼拜|上个?星期|前几天|前两天|前天|昨天|这个月|这几天|刚刚?")
_CLAUSES = re.compile(r"[，,。.！!？?；;\s]+")
_GOES_ON = re.compile(r"到现在|现在|已经|都|有|快|差不多|到今天")  # "…辞职的 到现在一年零两个月了"
_WORKED_FOR = re.compile(r"干了?|做了?|上班|工作了?|干活|进厂|进场|在这")
# The worker left (not 老板走了, the boss leaving): 辞职, 不干了, 被开, 我去年就走了
_LEFT = re.compile(r"^(?:已经|都)?走了|离职|辞职|辞工|不干了|不做了|不在那[边里儿]?干了|被辞|被开|辞退|回老家|(?:我|俺)[^，。,！？]{0,6}(?:走了|离开|出来)"
                   r"|厂子?关(?:门)?了?的?|关门了|关了门|关厂|倒闭|停产|解散")  # the job ended with the factory
_QUIT_ONESELF = re.compile(r"(我|俺)?(被迫|被逼|想|要|打算)?(辞职|离职|辞工)(?!.{0,3}(我|俺))")
_INJURED = re.compile(r"受的?伤|工伤|[摔弄割烫压砸砍扭]伤|伤了|摔|砸|骨折|断了|事故|掉下来")
# On the work-injury topic a bare "10个月了" is the time since the injury ("受伤10个月了 还来得及吗")
_INJURED_OR_SINCE = re.compile(_INJURED.pattern + r"|来得及|还能|过期|几个月")

ROUND_NOTE = "以仲裁或人社部门认定为准"


def reckon(topic: str, words: str, today: date | None = None) -> str | None:
    """The answer of FAQ ``topic`` worked out on the figures in ``words``; None when they are not there."""
    reckoner = _RECKONERS.get(topic)
    return reckoner[0](_plain_figures(halfwidth(words)), today) if reckoner else None


_AND_A_HALF = re.compile(r"(\d+|[一二两三四五六七八九十]+)\s*个半\s*(小时|钟头|钟|月)")  # 两个半钟头, 3个半月
_SHIFT = re.compile(r"早(?:上)?\s*(\d{1,2}|[一二三四五六七八九十]{1,2})点?(?:钟)?\s*(?:到|至|-|~)?\s*"
                    r"晚(?:上)?\s*(\d{1,2}|[一二三四五六七八九十]{1,2})(?![\d一二三四五六七八九十])点?")  # 早八晚八: 8 to 20


def _plain_figures(words: str) -> str:
    """Figures said in ways the patterns do not read, said plainly: 两个半钟头 -> 2.5小时, 3个半月 -> 3.5个月,
    早八晚八 -> 每天干11小时 (the hour between for a meal)."""
    words = _AND_A_HALF.sub(lambda m: f"{number_text(cn_number(m[1]) + 0.5)}{'个月' if m[2] == '月' else '小时'}", words)
    if (shift := _SHIFT.search(words)) and (start := cn_number(shift[1])) and (end := cn_number(shift[2])):
        hours = (end + 12 if end <= 12 else end) - start - 1
        if 8 < hours <= 16:
            words = words[:shift.end()] + f" 每天干{number_text(hours)}小时" + words[shift.end():]
    return words


def kind(topic: str | None) -> str | None:
    """What a topic's reckoning needs ("overtime" for both 加班费 and 工作时间), None without one."""
    return _RECKONERS[topic][1] if topic in _RECKONERS else None


def ask_for_figures(topic: str) -> str | None:
    """What to tell us so that the rule of ``topic`` can be worked out ("告诉我月工资和干了多久…")."""
    reckoner = _RECKONERS.get(topic)
    return text(f"reckon_ask_{reckoner[1]}") if reckoner else None


def deadline(words: str, today: date | None = None) -> str | None:
    """A warning when a one-year limit is near or past: left the job, or injured, 10+ months ago."""
    words = halfwidth(words)
    for event, kind in ((_INJURED, "reckon_injury"), (_LEFT, "reckon_left")):
        if kind == "reckon_injury" and _ASSESSED.search(words):
            continue  # a disability grade means 工伤认定 is done: its limit is no longer the worry
        if (since := _months_since(words, today, event)) and since[0] >= 10:
            return _limit(kind, since)
    return None


# -- figures ------------------------------------------------------------------------

def _number(raw: str) -> float | None:
    raw = raw.strip()
    if raw[-1:] in "kKwW":
        value = cn_number(raw[:-1])
        return value * (1000 if raw[-1] in "kK" else 10000) if value is not None else None
    return cn_number(raw)


def _first(patterns: tuple[re.Pattern[str], ...], words: str, low: float, high: float) -> float | None:
    for pattern in patterns:
        for m in pattern.finditer(words):
            if _NOT_AFTER.match(words, m.end()) or _OWED_BEFORE.search(words[max(0, m.start() - 5):m.start()]) or (
                    _UNPAID_AFTER.match(words, m.end()) and not m.group(0).startswith(_RATE_NAMED)):
                continue
            value = _number(next(g for g in m.groups() if g))
            if value is not None and low <= value <= high:
                return value
    return None


def monthly_wage(words: str) -> tuple[float, float | None] | None:
    """(monthly wage, daily wage when that is what was said), from 月薪四千 or 一天两百."""
    if (monthly := _first(_MONTHLY, words, 500, 200_000)) is not None:
        return monthly, None
    if (daily := _first(_DAILY, words, 30, 5_000)) is not None:
        return daily * 21.75, daily
    return None


def tenure_months(words: str, longest: bool = False) -> tuple[int, bool] | None:
    """(months worked, approximate) from 干了四年半, 在这个厂三年八个月, 干了八个多月, 五年工龄: the first said, or
    with ``longest`` the longest ("出来打工十二年了 在现在这个厂三年": twelve years count for annual leave)."""
    found = [t for pattern in (_TENURE, _TENURE_AFTER) for m in pattern.finditer(words) if (t := _tenure(m))]
    if (both := _TENURE_SUM.search(words)) and (a := _number(both.group(1))) and (b := _number(both.group(2))):
        return int(a + b) * 12, False  # "这里3年加以前9年": all the years count
    if not found:
        return None
    return max(found) if longest else found[0]


def _tenure(m: re.Match[str]) -> tuple[int, bool] | None:
    numbers = [g for g in m.groups() if g and g not in ("年", "半", "多")]
    first = _number(numbers[0])
    if first is None or first != int(first):
        return None
    if m["years"]:
        extra = _number(numbers[1]) if len(numbers) > 1 else 0
        months = int(first) * 12 + (6 if m["half"] else int(extra or 0))
        return (months, False) if 0 < months <= 50 * 12 else None
    return (int(first), bool(m["more"])) if 0 < first <= 240 else None


def _months_since(words: str, today: date | None, event: re.Pattern[str]) -> tuple[int, bool] | None:
    """(months since, approximate) of the ``event`` (an injury, leaving): 十个月前, 一年多了, 一年零两个月,
    去年3月, 上个月, said in the clause that tells the event, in the one after it ("我去年辞职的 到现在一年零两个
    月了") or alone before it ("去年三月 在工地摔伤了"). Never how long the work lasted ("干了两年零七个月")."""
    if _BARE_DATE.fullmatch(words.strip()):  # "去年3月": the answer to "哪年哪月受的伤"
        return _since_in(words, today)
    clauses = [c for c in _CLAUSES.split(words) if c]
    for i, clause in enumerate(clauses):
        if not event.search(clause):
            continue
        near = [clause]
        if i + 1 < len(clauses) and _GOES_ON.match(clauses[i + 1]):
            near.append(clauses[i + 1])
        if i and len(clauses[i - 1]) <= 8:
            near.append(clauses[i - 1])
        for said in near:
            if (since := _since_in(said, today)) is not None:
                return since
    return None


def _since_in(clause: str, today: date | None) -> tuple[int, bool] | tuple[int, bool, int] | None:
    def worked(m: re.Match[str]) -> bool:  # 干了两年零七个月: how long the work lasted
        return bool(_WORKED_FOR.search(clause[max(0, m.start() - 4):m.start()]))
    if today and (m := _DATE.search(clause)) and (day := _date_of(m, today)):  # "去年12月8号厂关的": to the day
        days = (today - day).days
        return days * 12 // 365, False, days
    if today and (m := _YEAR_MONTH.search(clause)) and (month := _number(m["m"])) and 1 <= month <= 12:
        since = (today.year * 12 + today.month) - (int(m["y"]) * 12 + int(month))  # a date, never 2026 years
        return (since, False) if since >= 0 else None
    if (m := _YEARS_AND_MONTHS.search(clause)) and not worked(m) and (y := _number(m.group(1))) and y < 100 and \
            (n := _number(m.group(2))):
        return int(y) * 12 + int(n), False
    if (m := _LEFT_FOR.search(clause)) and (n := _number(m.group(1))) and n == int(n):  # "走了两年", "走了8个月"
        return int(n) * (12 if m["unit"] == "年" else 1) + (6 if m["half"] else 0), "多" in m.group(0)
    if (m := _YEAR_AND_HALF.search(clause)) and not worked(m) and (n := _number(m.group(1))) and n == int(n):
        return int(n) * 12 + 6, False  # "我走了有一年半了"
    if (m := _SINCE.search(clause)) and not worked(m) and (n := _number(m.group(1))) and n == int(n):
        return int(n) * (12 if m["unit"] == "年" else 1), "多" in m.group(0)
    if today and (m := _LAST_YEAR_MONTH.search(clause)) and (n := _number(m.group(2))) and 1 <= n <= 12:
        years_back = 1 if m["which"] == "去年" else 2
        return (today.year * 12 + today.month) - ((today.year - years_back) * 12 + int(n)), False
    if today and (m := _THIS_YEAR_MONTH.search(clause)) and (n := _number(m.group(1))) and 1 <= n <= today.month:
        return today.month - int(n), False
    if m := _RECENTLY.search(clause):  # 上个月 one month, 上上个月 two, 上礼拜 / 前几天 none
        said = m.group(0)
        return (2 if said.startswith("上上") and "月" in said else 1 if said.startswith("上") and "月" in said
                else 0), False
    return None


def _date_of(m: re.Match[str], today: date) -> date | None:
    """The date of a _DATE match, in the past: 去年12月8号; without a year, the last such day up to today."""
    month, day = _number(m["m"]), _number(m["d"])
    if not (month and day and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    year = {"去年": today.year - 1, "前年": today.year - 2, "今年": today.year}.get(m["y"] or "")
    if year is None and m["y"]:
        year = int(m["y"].rstrip("年")) % 100 + 2000
    try:
        found = date(year or today.year, int(month), int(day))
        if year is None and found > today:
            found = date(today.year - 1, int(month), int(day))
    except ValueError:
        return None
    return found if found <= today else None


# -- the reckoners ------------------------------------------------------------------

def _overtime(words: str, today: date | None) -> str | None:
    wage = monthly_wage(words)
    if not wage:
        return None
    monthly, daily = wage
    hourly = monthly / 21.75 / 8
    lines = [_base(monthly, daily, hourly), text("reckon_overtime_hour", weekday=_yuan(hourly * 1.5),
                                                  rest=_yuan(hourly * 2), holiday=_yuan(hourly * 3))]
    extra, monthly_total, over_hours, rest_day = None, [], 0.0, 8  # a rest day worked: 8 hours unless the days said are longer
    if (m := _DAY_EXTRA.search(words)) and (hours := _number(m.group(1))) and 0 < hours <= 16:
        extra, hours = hours, hours + 8
    elif (m := _DAY_HOURS.search(words)) and (hours := _number(m.group(1))) and 8 < hours <= 24:
        extra, rest_day = hours - 8, hours  # "每天干12个小时 周末也干": every day that long
    if extra:
        m = _OVERTIME_DAYS.search(words)
        days = _number(next(g for g in m.groups() if g)) if m else None
        days = days if days and 0 < days <= 31 else 21.75  # "上个月22天都加了": the days said
        lines.append(text("reckon_overtime_daily", hours=number_text(hours), extra=number_text(extra),
                          pay=_yuan(hourly * 1.5 * extra), days=number_text(days),
                          month=_yuan(hourly * 1.5 * extra * days)))
        monthly_total.append(hourly * 1.5 * extra * days)
        over_hours += extra * days
    elif (m := _EXTRA_HOURS.search(words)) and (hours := _number(next(g for g in m.groups() if g))) and hours <= 300:
        lines.append(text("reckon_overtime_total", hours=number_text(hours), pay=_yuan(hourly * 1.5 * hours)))
        monthly_total.append(hourly * 1.5 * hours)
        over_hours += hours
    if rest := _rest_days_a_month(words):
        day_hours = _rest_day_hours(words) or rest_day
        lines.append(text("reckon_rest_day", hours=number_text(day_hours), pay=_yuan(hourly * 2 * day_hours),
                          days=number_text(rest), month=_yuan(hourly * 2 * day_hours * rest)))
        monthly_total.append(hourly * 2 * day_hours * rest)
        over_hours += day_hours * rest
    if len(monthly_total) > 1:  # "你直接告诉我一个数"
        lines.append(text("reckon_overtime_month", total=_yuan(sum(monthly_total))))
    if over_hours > OVERTIME_LIMIT:
        lines.append(text("reckon_overtime_limit", limit=OVERTIME_LIMIT))
    if (m := _PAID_RATE.search(words)) and (rate := _number(m.group(1))) and rate < hourly * 1.5:  # "一个钟15块"
        lines.append(text("reckon_overtime_paid_rate", paid=_yuan(rate), legal=_yuan(hourly * 1.5)))
    if monthly_total and (m := _PAID_OVERTIME.search(words)) and \
            (paid := _number(next(g for g in m.groups() if g))) and paid < sum(monthly_total):
        lines.append(text("reckon_overtime_short", paid=_yuan(paid), short=_yuan(sum(monthly_total) - paid)))
    if monthly_total and _TAKE_HOME.search(words):  # "一个月拿到手五千二 一天干十二个钟": overtime may be in it
        lines.append(text("reckon_take_home"))
    return _finish(lines)


def _rest_days_a_month(words: str) -> float | None:
    """Rest days worked in a month: 一个月干26天 (26 − 21.75), every Saturday (4.35), both weekend days or no
    day off (8.7); None when the message does not say the worker gives up rest days."""
    for pattern in (_REST_DAYS_COUNTED, _REST_DAYS_NAMED):
        if (m := pattern.search(words)) and (days := _number(m.group(1))) and 0 < days <= 10 and \
                not (days == 1 and "了" not in m.group(0)):  # "周六也要干一天": a whole day, every Saturday
            return days
    if (m := _DAYS_A_MONTH.search(words)) and (days := _number(m.group(1))) and 21.75 < days <= 31:
        return round(days - 21.75, 2)
    if (m := _DAYS_OFF.search(words)) and (off := _number(m.group(1))) is not None and off < 8.25:
        return round(30 - off - 21.75, 2)  # a month of 30 days, the rest worked beyond the 21.75 working days
    words = _WEEKDAYS.sub(" ", words)  # "礼拜一到礼拜五天天这样 每个礼拜六都上班": Saturdays only
    if _REST_DAYS.search(words):
        return 4.35 if re.search(r"周六|星期六|礼拜六", words) and not re.search(r"周日|星期[天日]|礼拜[天日]|周末|双休|天天|无休|不休", words) \
            else 8.7
    return None


def _rest_day_hours(words: str) -> float | None:
    """Hours of a rest day worked, when said with it: "周六还上了4天每天8个钟", "周六一天就8个钟"."""
    if (m := _REST_DAYS_COUNTED.search(words)) and (h := _DAY_HOURS.search(words, m.end())) and \
            (hours := _number(h.group(1))) and 0 < hours <= 16:
        return hours
    if (h := _REST_DAY_HOURS.search(words)) and (hours := _number(h.group(1))) and 0 < hours <= 16:
        return hours
    return None


# Statutory holiday days of each holiday (国务院《全国年节及纪念日放假办法》, 2025): the other days of a long break
# are rest days moved around it, paid 2 times when not given back.
_STATUTORY_DAYS = {"国庆": 3, "十一": 3, "春节": 4, "过年": 4, "大年": 4, "五一": 2, "劳动节": 2}


_NEW_YEAR_DAYS = re.compile(r"(除夕|年三十|大年三十|初[一二三四五六七八九十])(?:到|至|一直到|干到|上到)(初[一二三四五六七八九十]|十五|正月十五)")


def _new_year_day(day: str) -> int:
    """除夕 is day 0, 初一 day 1 … 十五 day 15."""
    return 0 if day.endswith(("夕", "三十")) else int(_number(day.lstrip("初正月")) or 0)


def _holiday(words: str, today: date | None) -> str | None:
    wage = monthly_wage(words)
    if not wage or not (named := _HOLIDAY.search(words)):
        return None
    monthly, daily = wage
    day = monthly / 21.75
    days = _holiday_days(words, named)
    if span := _NEW_YEAR_DAYS.search(words):  # "从除夕到初六": seven days, four of them statutory
        days = _new_year_day(span.group(2)) - _new_year_day(span.group(1)) + 1
    holiday = min(days, _STATUTORY_DAYS.get(named.group(0), 13))
    lines = [_base(monthly, daily, day / 8), text("reckon_holiday", days=holiday, pay=_yuan(day * 3 * holiday))]
    if days > holiday:
        lines.append(text("reckon_holiday_rest", days=days - holiday, pay=_yuan(day * 2 * (days - holiday))))
    return _finish(lines)


_NOT_BUT_DAYS = re.compile(rf"不是\s*{_NUM}\s*天[^\d一二三四五六七八九十]{{0,4}}?(?:是|而是|应该是)\s*{_NUM}\s*天")
_DATES_LISTED = re.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[号日]")
_NOT_HOLIDAY_DAYS = re.compile(r"休(?:息|假)?了?\s*$|(?<!十)[一每]个?月(?:只|就|才)?\s*$")  # 一个月只休2天: days off


def _holiday_days(words: str, named: re.Match[str]) -> int:
    """Holiday days worked, from the clause that names the holiday: 国庆1号2号3号都上班了 (3), 国庆上了3天班;
    else any N天 that is no count of days off; else 1."""
    start = max(0, max((m.end() for m in _CLAUSES.finditer(words, 0, named.start())), default=0))
    end = next((m.start() for m in _CLAUSES.finditer(words, named.end())), len(words))
    if (fixed := _NOT_BUT_DAYS.search(words)) and (n := _number(fixed.group(2))) and n == int(n) and n <= 13:
        return int(n)  # "不是2天 是3天啊"
    texts = [words[start:end], after_correction(words) or "", words]
    for text_ in texts:
        if len(dates := _DATES_LISTED.findall(text_)) >= 2:
            return len(dates)
    for text_ in texts:
        for m in _DAYS.finditer(text_):
            n = _number(m.group(1))
            if n and n == int(n) and n <= 13 and not _NOT_HOLIDAY_DAYS.search(text_[max(0, m.start() - 6):m.start()]):
                return int(n)
    return 1


_LAID_OFF = re.compile(r"裁员|裁人|裁我|经营困难|业务不行|效益不好|不胜任|干不了原来|生病|病假|医疗期")
_NO_NOTICE = re.compile(r"没(有)?提前|不提前|今天[^。，]{0,8}明天(就)?走|马上(就)?走|当天(就)?走|直接叫我走|说走就走")


def _severance(words: str, today: date | None) -> str | None:
    wage, tenure = monthly_wage(words), tenure_months(words)
    if not (wage and tenure):
        return None
    monthly, months, approx = wage[0], *tenure
    n = months // 12 + (1 if months % 12 >= 6 else 0.5 if months % 12 else 0)
    line = text("reckon_severance", worked=_duration(months, approx), n=number_text(n), wage=_yuan(monthly),
                pay=_yuan(n * monthly))
    if not _QUIT_ONESELF.search(words):  # 2N is for being dismissed unlawfully, not for quitting
        line += text("reckon_severance_double", double=_yuan(2 * n * monthly))
    lines = [line, text("reckon_severance_basis")]
    if _LAID_OFF.search(words) and _NO_NOTICE.search(words):  # 裁员 without 30 days' notice: N+1 (第四十条)
        lines.insert(1, text("reckon_severance_notice", total=_yuan((n + 1) * monthly)))
    return _finish(([text("reckon_severance_cap")] if monthly >= 15_000 else []) + lines)  # the cap first


_NOT_SIGNED = re.compile(r"(?:没|未|不)(?:有)?(?:给|跟我|和我|跟俺|给我|帮我)?签|没(?:有)?(?:书面|劳动)?合同|无合同")


def _no_contract(words: str, today: date | None) -> str | None:
    if not _NOT_SIGNED.search(words):  # "派遣公司说要跟我解除合同 … 干了两年": a contract, never double pay
        return None
    wage = monthly_wage(words)
    m = _NO_CONTRACT_MONTHS.search(words)
    said = _number(next(g for g in m.groups() if g)) if m else None
    tenure = tenure_months(words, longest=True)  # "没签合同干了一年三个月", "干满一年没签的 … 我干了两年了"
    months = max(said or 0, tenure[0] if tenure else 0) or None
    if not (wage and months) or months * 2 != int(months * 2):
        return None
    owed = min(max(months - 1, 0), 11)  # 3个半月: 2.5 months of double pay
    if not owed:
        return _finish([text("reckon_no_contract_first_month")])
    lines = [text("reckon_no_contract", months=number_text(months), owed=number_text(owed), wage=_yuan(wage[0]),
                  pay=_yuan(owed * wage[0]))]
    if months >= 12:
        lines.append(text("reckon_no_contract_year"))
    if months >= 18:  # the double pay stopped at month 12: a year after that, the limit may have run on it
        lines.append(text("reckon_no_contract_old"))
    return _finish(lines)


def _annual_leave(words: str, today: date | None) -> str | None:
    tenure = tenure_months(words, longest=True)  # all the years worked count, not only at this employer
    if not tenure or tenure[0] < 12:
        return _finish([text("reckon_leave_none")]) if tenure else None
    years = tenure[0] // 12
    days = 5 if years < 10 else 10 if years < 20 else 15
    lines = [text("reckon_leave_days", years=years, days=days)]
    if today and _LEFT.search(words) and (m := _LEFT_IN_MONTH.search(words)) and (month := _number(m.group(2))) \
            and 1 <= month <= 12 and (not m["y"] or m["y"] == "今年"):  # 今年11月底离职: this year's share
        share = int(days * month / 12)  # rounded down (《企业职工带薪年休假实施办法》第十二条)
        lines.append(text("reckon_leave_share", month=int(month), days=share))
        days = share
    if wage := monthly_wage(words):
        lines.append(text("reckon_leave_pay", days=days, pay=_yuan(wage[0] / 21.75 * 2 * days)))
    return _finish(lines)


_LEFT_IN_MONTH = re.compile(rf"(?P<y>今年|去年)?\s*{_NUM}\s*月(?:份)?(?:底|初|中|\d+号|\d+日)?[^，。,]{{0,4}}(?:离职|辞职|走的|走了|不干了|被辞|被开)")


_CONTRACT = re.compile(rf"(?:签了?|签的是?)\s*{_NUM}\s*(?P<unit>年|个月)的?(?:劳动)?合同|合同(?:签了?|是|期)?\s*{_NUM}\s*(?P<unit2>年|个月)")
_PROBATION_MONTHS = re.compile(rf"试用期[^，。,\d一二两三四五六七八九十]{{0,5}}?{_NUM}\s*个?(?P<unit>月|礼拜|星期|周)")
_REGULAR_WAGE = re.compile(rf"(?:转正|正式|说好)(?:以?后|了)?的?(?:工资|月薪)?(?:是|给|有)?\s*{_NUM}(?:块钱|块|元)?(?!\s*个)")
_PROBATION_PAY = re.compile(rf"试用期(?:间|的)?(?:工资|月薪)?(?:只|就|才)?(?:给|发|拿|是)?了?\s*{_NUM}(?:块钱|块|元)?(?!\s*个|\s*[月礼星周])")


def _probation(words: str, today: date | None) -> str | None:
    """The longest probation the contract allows (《劳动合同法》第十九条), the excess paid for (第八十三条), and
    the 80 % floor of probation pay (第二十条)."""
    lines, over_months = [], 0
    regular = _first((_REGULAR_WAGE,), words, 500, 200_000)
    if (m := _CONTRACT.search(words)) and (n := _number(m.group(1) or m.group(3))):
        contract = n * 12 if (m["unit"] or m["unit2"]) == "年" else n
        longest = 0 if contract < 3 else 1 if contract < 12 else 2 if contract < 36 else 6
        lines.append(text("reckon_probation_longest", contract=_duration(int(contract), False), months=longest))
        if (p := _PROBATION_MONTHS.search(words)) and (months := _number(p.group(1))) and p["unit"] == "月" \
                and months > longest:
            excess = months - longest
            served = _SERVED.search(words)
            served_months = _number(served.group(1)) if served else None
            over_months = max(0, min(served_months, months) - longest) if served_months is not None else 0
            if regular and served_months is not None and served_months < months:  # "我现在才干了5个月"
                lines.append(text("reckon_probation_excess", excess=number_text(excess)) + text(
                    "reckon_probation_served", served=number_text(served_months),
                    over=number_text(max(0, served_months - longest)),
                    pay=_yuan(max(0, served_months - longest) * regular)))
            else:
                lines.append(text("reckon_probation_excess", excess=number_text(excess)) + (
                    text("reckon_probation_excess_pay", pay=_yuan(excess * regular)) if regular else ""))
    if regular and (pay := _first((_PROBATION_PAY,), words, 500, 200_000)):
        floor = regular * 0.8
        key = "reckon_probation_short" if pay < floor else "reckon_probation_ok"
        lines.append(text(key, regular=_yuan(regular), floor=_yuan(floor), pay=_yuan(pay), short=_yuan(floor - pay)))
        if over_months and pay < regular:  # past the lawful probation, still paid probation pay: the full wage
            lines.append(text("reckon_probation_after", over=number_text(over_months), regular=_yuan(regular),
                              pay=_yuan(pay), gap=_yuan(regular - pay), total=_yuan(over_months * (regular - pay))))
    return _finish(lines) if lines else None


# 一次性伤残补助金: months of the worker's own wage by disability grade (《工伤保险条例》第三十五至三十七条)
_GRADE_MONTHS = {1: 27, 2: 25, 3: 23, 4: 21, 5: 18, 6: 16, 7: 13, 8: 11, 9: 9, 10: 7}
_GRADE = re.compile(r"(?:伤残|鉴定|评了?|定了?)[^，。]{0,4}?(十|[一二三四五六七八九]|10|[1-9])级|(十|[一二三四五六七八九]|10|[1-9])级(?:伤残|残疾)")
_ASSESSED = re.compile(r"鉴定|伤残等级|[一二三四五六七八九十\d]级(伤残|残疾)?")


def _injury(words: str, today: date | None) -> str | None:
    lines = []
    if (m := _GRADE.search(words)) and (grade := _number(m.group(1) or m.group(2))) and int(grade) in _GRADE_MONTHS:
        months = _GRADE_MONTHS[int(grade)]
        if wage := monthly_wage(words):
            lines.append(text("reckon_injury_grade", grade=int(grade), months=months, wage=_yuan(wage[0]),
                              pay=_yuan(months * wage[0])))
        else:
            lines.append(text("reckon_injury_grade_months", grade=int(grade), months=months))
        return _finish(lines)
    if (recovery := _recovery_pay(words)):  # "原来一个月7000 … 养伤老板一个月只给1500": 停工留薪 is full pay
        return _finish([recovery])
    if _ASSESSED.search(words):
        return None  # assessed already: the one-year limit of 工伤认定 is behind them
    since = _months_since(words, today, _INJURED_OR_SINCE)
    return _limit("reckon_injury", since) if since and since[0] <= 60 else None


_RECOVERY = re.compile(r"停工留薪|养伤|歇着|躺着|休养|在家养|不能干活")
_PAID_WHILE = re.compile(rf"(?:一个月|每个?月|一月)(?:只|就|才)?(?:给|发)(?:了)?(?:我|他|她|俺)?\s*{_NUM}")
_RECOVERY_MONTHS = re.compile(rf"(?:养|歇|休息?|休养|停工留薪期?)(?:了)?\s*{_NUM}\s*个?多?月")


def _recovery_pay(words: str) -> str | None:
    """Pay during the time off work for an injury (停工留薪期): the wage as before (《工伤保险条例》第三十三条)."""
    if not _RECOVERY.search(words) or not (paid_m := _PAID_WHILE.search(words)) or \
            (paid := _number(paid_m.group(1))) is None or not (wage := monthly_wage(_PAID_WHILE.sub("，", words))) or \
            paid >= wage[0]:  # the wage as it was, not "一个月只给1500"
        return None
    months = _number(m.group(1)) if (m := _RECOVERY_MONTHS.search(words)) else None
    line = text("reckon_recovery_pay", wage=_yuan(wage[0]), paid=_yuan(paid), gap=_yuan(wage[0] - paid))
    if months:
        line += text("reckon_recovery_total", months=number_text(months), total=_yuan(months * (wage[0] - paid)))
    return line


_DEPOSIT = re.compile(rf"押金\s*{_NUM}|{_NUM}(?:块钱|块|元)?的?押金")


def _deposit(words: str, today: date | None) -> str | None:
    """A deposit taken at hiring must be returned in full (《劳动合同法》第九条、第八十四条)."""
    if (m := _DEPOSIT.search(words)) and (amount := _number(m.group(1) or m.group(2))) and amount >= 10:
        return _finish([text("reckon_deposit", amount=_yuan(amount))])
    return None


_STILL_THERE = re.compile(r"还没走|还在上班|还在干|没走呢|还在厂里|还没离职|还没辞|交了辞职信|提了辞职|递了辞职")


def _arbitration(words: str, today: date | None) -> str | None:
    if _STILL_THERE.search(words):  # "我上礼拜交了辞职信 … 我还没走呢": no time since leaving to count
        return None
    since = _months_since(words, today, _LEFT)
    return _limit("reckon_left", since) if since and since[0] <= 120 else None


def _limit(kind: str, since: tuple[int, bool] | tuple[int, bool, int]) -> str:
    """The time since the accident / since leaving, against the one-year limit: in days when the date was given,
    and never "还剩大约1个月" when it may be days ("11个多月")."""
    months, approx, *days = since
    if days:
        left = 365 - days[0]
        if left <= 0:
            return text(f"{kind}_late", since=_duration(months, False) or f"{days[0]}天")
        if left <= 45:
            return text(f"{kind}_soon", since=_duration(months, False) or f"{days[0]}天", left=f"大约{left}天")
    if months == 12 and not approx:  # "2025年12月", "一年了": the day decides, and it may be days either way
        return text(f"{kind}_edge")
    if months >= 12:
        return text(f"{kind}_late", since=_duration(months, approx))
    if months == 11 and approx:  # "11个多月": it may be days
        return text(f"{kind}_soon", since=_duration(months, approx), left="不到1个月")
    return text(f"{kind}_left", since=_duration(months, approx), left=12 - months)


# topic -> (reckoner, what to ask for when the figures are missing: copy key reckon_ask_*)
_RECKONERS: dict[str, tuple[Callable[[str, date | None], str | None], str]] = {
    "overtime_pay": (_overtime, "overtime"), "working_hours": (_overtime, "overtime"),
    "holiday_work": (_holiday, "holiday"), "dismissal_compensation": (_severance, "severance"),
    "no_written_contract": (_no_contract, "no_contract"), "paid_leave": (_annual_leave, "leave"),
    "work_injury": (_injury, "injury"), "work_injury_no_insurance": (_injury, "injury"),
    "labor_arbitration": (_arbitration, "left"), "resignation": (_arbitration, "left"),
    "probation": (_probation, "probation"), "id_card_withheld": (_deposit, "deposit"),
}


# -- wording ------------------------------------------------------------------------

def _base(monthly: float, daily: float | None, hourly: float) -> str:
    if daily is not None:
        return text("reckon_base_daily", daily=_yuan(daily), hourly=_yuan(hourly))
    return text("reckon_base", wage=_yuan(monthly), hourly=_yuan(hourly))


def _finish(lines: list[str]) -> str:
    return "\n".join(lines + [text("reckon_note", note=ROUND_NOTE)])


def _yuan(value: float) -> str:
    """Yuan as workers say it: whole yuan from 100 up, else to the jiao (27.6)."""
    return number_text(round(value) if value >= 100 else round(value, 1))


def _duration(months: int, approx: bool) -> str:
    years, rest = divmod(months, 12)
    spoken = (f"{years}年" if years else "") + (f"{rest}个月" if rest else "")
    return spoken + ("多" if approx else "")

