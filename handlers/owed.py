"""The amount owed as a worker works it out: "一个月两千八 每个月只打了一千块 打了三个月" -> 5400.

What the work earned (a total said as such, or a monthly, daily, hourly or piece rate times the time or the
pieces), plus what else is owed (a deposit not returned, "加上押金五百"), minus what was paid ("给过两千",
"每个月只打了一千", "减去预支的两千"). The result carries its working ("2800元×3个月，已给3000元") so that the
worker sees it said back and staff see how it was reached. Pure functions; Cantonese money words are read as
Mandarin first (蚊, 畀咗, 做咗二十几日).
"""
from __future__ import annotations

import re
from typing import Any

from handlers import normalise as nz
from handlers import reckon

_NUM = r"(\d+(?:\.\d+)?(?:[kKwW万千]\d?)?|[零〇一二两三四五六七八九十百千万]+)"  # 4万2, 1万5: one number
_AMOUNT = rf"{_NUM}(?![\d.零〇一二两三四五六七八九十百千万半])(多|来|几)?(?:块钱|块|元)?(?!(?:个|月|天|年|次|单|小时|钟|人|回|下|趟|批|号|件))"
_PAID = re.compile(rf"(?<![没不未该应要])(?:给了|给过|只给了?|就给了?|才给了?|发了|发过|付了|付过|结了|结过|预支了?|借了|借过|借支了?|"
                   rf"拿到了?|拿了|拿过|到手|转了|打了|只打了?|减去|减掉|扣掉|扣去)\s*(?:我|俺|我们|俺们|每人|每个人|一人)?\s*"
                   rf"(?:预支的?|借的?|借支的?|生活费|伙食费)?\s*(?:一回|一次|一笔)?\s*{_AMOUNT}")
_SAID_WRONG = re.compile(r"不对|说错了|写错了|打错了|算错了")  # not 应该是: "一单四块五 … 应该是五千四 他给了俺两千"
# "一个月2k2 扣了社保到手一千九百五": take-home pay each month, not money paid towards what is owed
_MONTHLY_BEFORE = re.compile(r"(?<!十)[一每]个?月|月薪|社保|工资")
# Half paid: "发了一半" (never 1 yuan); what the worker then says it leaves is the amount ("应该是七千二")
_PAID_HALF = re.compile(r"(?<![没不未])(?:给|发|付|结|打)了?(?:一半|半数)")
_AFTER_HALF = re.compile(rf"(?:应该是|应该欠|所以是|那就是|就是|算下来是?|还欠|还差|剩下?)(?:我|俺)?\s*{_AMOUNT}")
# Paid each month, for some months: "每个月只打了一千块 打了三个月"
# Living money or advances told with their total: "给过我生活费 加起来大概八千"
_PAID_ALLOWANCE = re.compile(rf"(?:生活费|借支|预支)[^，,。]{{0,8}}?(?:加起来|一共|总共)?(?:大概|差不多)?\s*{_AMOUNT}")
_PAID_MONTHLY = re.compile(rf"[每一]个?月(?:只|就|才)?(?:给|打|发|付)了?(?:我|俺)?\s*{_AMOUNT}")
_PAID_WHOLE_MONTHS = re.compile(rf"(?:给|发|结)了\s*{_NUM}\s*个?月(?:的)?(?:工资|工钱|钱)?(?![^，,。]{{0,3}}[\d一二两三四五六七八九十百千万])")
_PAID_MONTHS = re.compile(rf"(?:给|打|发|付)了\s*{_NUM}\s*个?月")
_EARNED = re.compile(rf"(?:就是|挣了?|赚了?|(?:一共|总共)?(?:应该?|该)(?:拿|给|发|得)(?:我|俺|我们)?|应该是|本来是|该是|算下来是?|应得|应发|工资一共|"
                     rf"一共是|总共是?|一共|合计|加起来|分成)(?:工钱|工资)?(?:是|有)?\s*{_AMOUNT}")  # 总共工钱四十二万七
_TOTAL_AFTER_EXTRAS = re.compile(r"一共|总共|合计|加起来")  # "加上押金五千 一共一万七": the extras are in it
_LEFT_OWED = re.compile(rf"(?:还差|还欠|剩下?的?|剩余|尾款)\s*{_AMOUNT}")
_ADDED = re.compile(rf"(?:加上|再加上?|外加|另外还有)\s*(?:押金|保证金|生活费|路费|伙食费|奖金|提成)?\s*{_AMOUNT}")
# A deposit kept back: "还有五百押金也没退", "押金500不退"
_DEPOSIT = re.compile(rf"{_NUM}(?:块钱|块|元)?的?(?:押金|保证金)[^，,。]{{0,4}}(?:没|不|未)(?:退|还|给)|"
                      rf"(?:押金|保证金)\s*{_NUM}(?:块钱|块|元)?[^，,。]{{0,4}}(?:没|不|未)(?:退|还|给)")
_DAYS_WORKED = re.compile(r"(?:干|做|上|出|欠)了?\s*(\d+|[一二两三四五六七八九十百]+)(几|多|来)?\s*(?:个)?(?:天|工)(?!\s*(?:工资|工钱))"
                          r"(?!\s*(?:\d|[一二两三四五六七八九十百千]+\s*(?:块|元|$|\s)))")  # not "干 一天二百四": a rate
# Days said bare, next to a daily rate: "二百五一天 二十三天" (not the rate's own 一天); half days: "还有两个半天"
_DAYS_BARE = re.compile(r"(?<![\d零〇一二两三四五六七八九十百])(\d+|[二两三四五六七八九十][零〇一二两三四五六七八九十百]*)(几|多|来)?\s*个?天"
                        r"(?!\s*(?:工资|工钱|\d|[一二两三四五六七八九十百千]+\s*(?:块|元|$|\s)))")
_HALF_DAYS = re.compile(r"(\d+|[一二两三四五六七八九十])\s*个半天")
_HOURLY = re.compile(rf"(?:[一每]个?(?:钟头|小时)|时薪)(?:是|有)?\s*{_NUM}(?:块钱|块|元|(?=\s|$|，|,))|"
                     rf"{_NUM}(?:块钱|块|元)\s*[一每]个?(?:钟头|小时)")  # "一小时18", "十八块一个钟"
_HOURS_WORKED = re.compile(r"(?:(?:干|做|上|跑)了?\s*|(?<![\d一二两三四五六七八九十百千块元天]))"
                           r"(?P<n>\d{2,}|[一二两三四五六七八九十]*[百千][一二两三四五六七八九十百千]*|[三四五六七八九]十[一二三四五六七八九]?)"
                           r"\s*个?(?:钟头|小时)")  # "二百六十个钟": a month's hours, not "一天站十个钟头"
_PIECE = re.compile(rf"[一每](?:单|件|个|斤|公斤|吨|方|平|米|亩|箱|车|趟|条|双|包|筐|台|套|户)\s*{_NUM}(?:块钱|块|元)?")
_PIECES = re.compile(rf"(?:(?:跑|送|做|干|拉|摘|搬|装|卸|安)了?|^|(?<=\s)|(?<=月))\s*{_NUM}\s*(多|来|几)?\s*(单|件|个|斤|公斤|吨|方|平|米|亩|箱|车|趟|条|双|包|筐|台|套|户)")
# The worker's own sum: "3500x2+500", "4000×4.5个月", "280乘70"
_TIMES = re.compile(rf"{_NUM}\s*(?:块钱|块|元)?\s*(?:[一每]个?(?:小时|钟头|钟|天|月|件|单))?\s*[x×X*乘]\s*(?:以)?\s*{_NUM}"
                    r"\s*(个月|月|天|件|单|小时|个钟)?")  # "18一个小时乘160"
_PLUS = re.compile(rf"[+＋]\s*{_NUM}")
_MINUS = re.compile(rf"(?:[-－]|减(?![去掉]))\s*{_NUM}")  # "五千二乘三 减六千" (减掉 is a payment: _PAID)
# Two sums added by the worker: "三千九加两千六 你算一下", "3900+2600" (not 加班)
_SUM = re.compile(rf"{_NUM}(?:块钱|块|元)?\s*(?:加|\+|＋)(?![班上])\s*{_NUM}(?:块钱|块|元)?(?![\d零〇一二两三四五六七八九十百千万个天月])")
_ROUGH = re.compile(r"多(?!少)|左右|大概|大约|差不多|上下")
_HALF_MONTHS = re.compile(r"(\d+|[一二两三四五六七八九十]+)\s*个半月")
_RATE_SAID = re.compile(r"月薪|日薪|(?<!十)[一每]个?月|[一每]天|/月|/天")
_OWED_SAID = re.compile(rf"欠(?:我|俺|我们|俺们)?(?:了)?\s*{_AMOUNT}")
_UNPAID = re.compile(r"一分|没给|没发|没结|没拿|没到手|不给|不发|欠|压了|压着|拖了|拖着|拖我|拖俺|拖欠")
_CANTONESE = ((re.compile(r"蚊"), "元"), (re.compile(r"咗"), "了"), (re.compile(r"[畀俾]"), "给"),
              (re.compile(r"净系|淨係"), "只"), (re.compile(r"冇"), "没"), (re.compile(r"个钟(?!头)"), "个小时"),
              (re.compile(r"(?<=[\d一二两三四五六七八九十几])日"), "天"))


def owed_worked_out(text: str, months: float | None = None, asked: bool = False) -> dict[str, Any] | None:
    """``amount_owed``, ``amount_approx`` and ``amount_working`` as the message works them out, with ``months``
    (already known) as the time when the message gives a rate alone. With ``asked`` (the answer to "how much is
    owed") pay times time is the amount; otherwise the message must say it was not paid. None when the message
    works nothing out (a plain amount is the amount parser's)."""
    text = nz.money_text(text)
    for pattern, mandarin in _CANTONESE:
        text = pattern.sub(mandarin, text)
    if _OWED_SAID.search(text):
        return None  # "欠我9300": said outright, nothing to work out
    if (wrong := list(_SAID_WRONG.finditer(text))) and nz.parse_amount(corrected := text[wrong[-1].end():]):
        text = corrected  # "算下来一万七八 不对 一万九左右": what comes after the correction counts
    paid, paid_working = _paid(text)
    earned_first = _earned(text, months)
    if not paid and (rate := reckon.monthly_wage(text)) and (n := _PAID_WHOLE_MONTHS.search(text)) and \
            (count := nz.cn_number(n.group(1))) and earned_first[0]:  # "干了四个月 给了一个月": months of pay
        paid, paid_working = (rate[0] * count, False), f"已给{nz.number_text(count)}个月"
    if (left := _LEFT_OWED.search(text)) and (owed := _money(left)):  # "除了给的还差一万二": said outright
        return {"amount_owed": nz.whole(owed[0]), "amount_approx": owed[1]}
    earned, working = earned_first
    if not paid and (half := _PAID_HALF.search(text)):
        if (final := _AFTER_HALF.search(text, half.end())) and (said := _money(final)):
            return {"amount_owed": nz.whole(said[0]), "amount_approx": said[1]}
        if earned is not None:
            paid, paid_working = (earned[0] / 2, earned[1]), "已给一半"
    extras = _extras(text)
    added = _ADDED.search(text)
    if added and (total := next((m for m in _EARNED.finditer(text, added.end())
                                 if _TOTAL_AFTER_EXTRAS.search(m.group(0))), None)) and (said := _money(total)):
        earned, working, extras = said, f"一共{nz.number_text(said[0])}元", []  # "加上押金五千 一共一万七": all in it
    if earned is None and (paid or extras) and not re.search(r"欠|差|剩", text):
        base = _amount_before(text)  # "八千 给了两千", "我的是七千二减去预支的两千", "工资3800 加上押金500"
        earned, working = ((float(base.value), base.approx), f"{nz.number_text(base.value)}元") if base else (None, "")
    if earned is None:
        return None
    value, approx = earned
    for amount, label in extras:
        value, approx, working = value + amount[0], approx or amount[1], f"{working}，加{label}{nz.number_text(amount[0])}元"
    if paid:
        if paid[0] >= value:
            return None
        value, approx, working = value - paid[0], approx or paid[1], f"{working}，{paid_working}"
    elif not asked and not _UNPAID.search(text):
        return None
    if not re.search(r"[×加]|一共", working) and not paid:
        return None  # a total alone: the amount parser reads it
    return {"amount_owed": nz.whole(value), "amount_approx": approx, "amount_working": working}


def _earned(text: str, months: float | None) -> tuple[tuple[float, bool] | None, str]:
    """What the work earned, and how it was worked out."""
    if (times := _TIMES.search(text)) and (a := nz.cn_number(times[1])) and (b := nz.cn_number(times[2])):
        value, working = a * b, f"{nz.number_text(a)}元×{nz.number_text(b)}{times[3] or ''}"
        for plus in _PLUS.finditer(text, times.end()):
            if added := nz.cn_number(plus[1]):
                value, working = value + added, f"{working}，加{nz.number_text(added)}元"
        for minus in _MINUS.finditer(text, times.end()):
            if (taken := nz.cn_number(minus[1])) and taken < value:
                value, working = value - taken, f"{working}，减{nz.number_text(taken)}元"
        return (value, False), working
    if (said := _EARNED.search(text)) and (total := _money(said)):
        return total, f"挣{nz.number_text(total[0])}{'多' if total[1] else ''}元"
    if (both := _SUM.search(text)) and (a := nz.cn_number(both[1])) and (b := nz.cn_number(both[2])) and min(a, b) >= 10:
        return (a + b, False), f"{nz.number_text(a)}元加{nz.number_text(b)}元"
    for rate_re, count_re in ((_HOURLY, _HOURS_WORKED), (_PIECE, _PIECES)):
        rate = rate_re.search(text)
        counts = [m for m in count_re.finditer(text) if m.end() <= rate.start() or m.start() >= rate.end()] \
            if rate else []  # "一件两块" is the rate
        count = counts[0] if counts else None
        if count_re is _PIECES and len(counts) > 1 and len({m.group(3) for m in counts}) == 1:
            many = sum(nz.cn_number(m.group(1)) or 0 for m in counts)  # "九月装了三十八台 十月四十一台": 79
        else:
            many = nz.cn_number(count.group(1)) if count else None
        if count and (each := nz.cn_number(next(g for g in rate.groups() if g))) and many:
            approx = bool(count.re.groups > 1 and count.group(2))
            unit = count.group(3) if count.re.groups > 2 else "小时"
            return (each * many, approx), f"{nz.number_text(each)}元×{nz.number_text(many)}{'多' if approx else ''}{unit}"
    rate = reckon.monthly_wage(text) if _RATE_SAID.search(text) else None  # "工资3800" alone is no rate
    if rate and rate[1] is not None:  # a daily wage: times the days worked (and half days)
        halves = sum(nz.cn_number(m.group(1)) or 0 for m in _HALF_DAYS.finditer(text)) / 2
        for m in [*_DAYS_WORKED.finditer(text), *_DAYS_BARE.finditer(text)]:
            if (days := nz.cn_number(m.group(1))) and days + halves <= 400:
                days += halves
                return (rate[1] * days, bool(m.group(2))), f"{nz.number_text(rate[1])}元×{nz.number_text(days)}{'多' if m.group(2) else ''}天"
        return None, ""
    if rate:
        half = _HALF_MONTHS.search(text)
        period = nz.parse_period_months(re.sub(r"(?<!十)[一每]个?月", "，", text))
        worked = (nz.cn_number(half.group(1)) + 0.5) if half else period.value if period else months
        if worked and worked <= 36:
            approx = not half and bool(period and period.approx) or bool(_ROUGH.search(text))  # 一个月五六千
            return (rate[0] * worked, approx), f"{nz.number_text(rate[0])}元×{nz.number_text(worked)}个月"
    return None, ""


def _paid(text: str) -> tuple[tuple[float, bool] | None, str]:
    """What was paid already, and how it reads in the working."""
    monthly_paid, spans, working = None, [], []
    if (monthly := _PAID_MONTHLY.search(text)) and (each := _money(monthly)) and \
            (times := _PAID_MONTHS.search(text, monthly.start())) and (n := nz.cn_number(times.group(1))):
        monthly_paid, spans = (each[0] * n, each[1]), [(monthly.start(), times.end())]
        working.append(f"已给{nz.number_text(each[0])}元×{nz.number_text(n)}个月")
    outside = [m for m in _PAID.finditer(text) if not any(a <= m.start() < b for a, b in spans)
               and not (m.group(0).startswith("到手") and _MONTHLY_BEFORE.search(text, max(0, m.start() - 12), m.start()))]
    paid = [p for m in outside if (p := _money(m))] or \
        ([p for m in _PAID_ALLOWANCE.finditer(text) if (p := _money(m))] if monthly_paid is None else [])
    if paid:
        given = sum(p[0] for p in paid)
        working.insert(0, f"已给{nz.number_text(given)}元")
    paid += [monthly_paid] if monthly_paid else []
    if not paid:
        return None, ""
    return (sum(p[0] for p in paid), any(p[1] for p in paid)), "，".join(working)


def _amount_before(text: str) -> nz.Amount | None:
    """The amount said just before what was paid or added: in its clause, else anywhere before it."""
    first = min((m.start() for m in (_PAID.search(text), _ADDED.search(text)) if m), default=len(text))
    clause_start = max(text.rfind(sep, 0, first) for sep in " ，,。") + 1
    return nz.parse_amount(text[clause_start:first]) or nz.parse_amount(text[:first])


def _extras(text: str) -> list[tuple[tuple[float, bool], str]]:
    """Money owed besides the wages: added outright, or a deposit not returned."""
    found = [(amount, "") for m in _ADDED.finditer(text) if (amount := _money(m))]
    for m in _DEPOSIT.finditer(text):
        if (value := nz.cn_number(next(g for g in m.groups() if g))) and value >= 10:
            found.append(((value, False), "押金"))
    return found


def _money(m: re.Match[str]) -> tuple[float, bool] | None:
    """The amount of a match of ``_AMOUNT`` (its last two groups), with whether it was approximate."""
    raw, approx = m.group(m.re.groups - 1), m.group(m.re.groups)
    amount = nz.parse_amount(raw + (approx or "") + "元")
    return (float(amount.value), amount.approx) if amount else None
