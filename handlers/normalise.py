"""Slot normalisers and extractors for colloquial Chinese messages.

Pure functions (no I/O, no global state): Chinese numerals, amounts owed,
head counts, mobile numbers, resident ID numbers, periods in months, names,
employers, plus masking helpers for logs. Every parser is conservative: it
returns ``None`` rather than guess, because a wrong slot value is worse than a
missing one (the dialog can still ask).

Text is first mapped to half-width with :func:`halfwidth`, a one-to-one
character mapping, so match positions in the mapped text are positions in the
original text.
"""
from __future__ import annotations

import itertools
import re
from datetime import date
from typing import Callable, Iterator, NamedTuple

import zhconv

__all__ = [
    "Amount", "Count", "cn_number", "halfwidth", "parse_amount", "parse_workers", "parse_phone", "phone_problem",
    "parse_period_months", "spoken_digits", "parse_address", "parse_id_number", "id_problem", "mask_phone", "mask_id",
    "mask_text",
    "parse_name", "parse_employer", "normalise_company", "extract_wage_fields",
]


class Amount(NamedTuple):
    """An amount in yuan; ``approx`` when the sender said 多/来/左右/出头..., ``under`` when the amount is a
    ceiling (不到两万, 小两万, 将近五万)."""

    value: float | int
    approx: bool
    under: bool = False


class Count(NamedTuple):
    """A whole number (people, months); ``approx`` for 几/多/来 or a range."""

    value: int
    approx: bool


# ---------------------------------------------------------------- characters

_HALFWIDTH = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20}
_CN_DIGITS = {"零": 0, "〇": 0, "幺": 1, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "仨": 3,
              "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Financial capitals as written on IOUs (欠条): 贰万伍仟元.
_CAPITAL_NUMERALS = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟萬", "一二三四五六七八九十百千万")
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000, "k": 1000, "K": 1000}
_BIG_UNITS = {"万": 10_000, "w": 10_000, "W": 10_000, "亿": 100_000_000}
# Digits as spoken in phone/ID numbers (no 两: nobody reads a number that way).
_SPOKEN_DIGITS = str.maketrans("零〇幺一二两三四五六七八九壹贰叁肆伍陆柒捌玖", "0011223456789123456789")  # 两, capitals
_HAN = r"\u4e00-\u9fff"
# Characters that never belong to an organisation or place name: pronouns,
# prepositions, particles, common verbs. They delimit names in running text.
_STOP = "我你他她它们俺咱在给帮替跟被去进到是的了个这那欠拖没不还都也就把让叫说干做里呢吗啊呀吧嘛从对向找要讨于位年月号着得很又再已跑走带等今刚"
_NAME_CHAR = rf"(?:[{_HAN}A-Za-z](?<![{_STOP}]))"


# zhconv's simplified forms of some Cantonese characters are rarer than the characters themselves: keep those
_KEEP_CANTONESE = {"𠮶": "嗰", "㖞": "喎", "啖": "噉"}


def simplified(text: str) -> str:
    """Traditional characters as simplified (問下加班費點計 -> 问下加班费点计); Cantonese ones kept as typed."""
    out = zhconv.convert(text, "zh-cn")
    for rare, kept in _KEEP_CANTONESE.items():
        if rare in out and kept in text:
            out = out.replace(rare, kept)
    return out


def halfwidth(text: str) -> str:
    """Full-width ASCII (１２３、ｋ、＋、：) and the ideographic space to ASCII, char for char."""
    return text.translate(_HALFWIDTH)


# 拾 is also "pick up" (拾棉花): a numeral only next to another numeral or a unit
_PICK_UP = re.compile(r"(?<![\d零〇一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖佰仟萬])拾(?![\d零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖元圆块万萬])")


def _numeric_text(text: str) -> str:
    """Half-width text with financial capitals as plain numerals, char for char.

    Only for number parsing: 伍 and 陆 are also surnames, 拾 is also picking.
    """
    return _PICK_UP.sub("捡", halfwidth(text)).translate(_CAPITAL_NUMERALS)


# 一块八 (1.8 yuan), 五块五毛: yuan and jiao; not 两万块三个月, not 一块八十
_JIAO = re.compile(r"(?<![\d.零〇一二两三四五六七八九十百千万])(\d+|[零〇一二两三四五六七八九十]+)块([一二三四五六七八九]|[1-9])(?:毛|角)?"
                   r"(?![\d十百千万个月天年人号块元钱]|[零〇二两三四五六七八九])")
_JIAO_ONLY = re.compile(r"(?<![\d.零〇一二两三四五六七八九十百千万块元])([一二三四五六七八九]|[1-9])毛(?:钱)?(?![一二三四五六七八九\d])")  # 一件八毛
_ROUGHLY_ONE = re.compile(r"(?<![\d零〇一二两三四五六七八九十百千])([万千])把")  # 万把块: about ten thousand
_HEARD_SIX = re.compile(r"(?<=[千百万])溜")  # speech recognition: 两千溜 is 两千六
_DIGIT_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
_LEADING_WAN = re.compile(r"(?<![\d.零〇一二两三四五六七八九十百千万])万(?=[一二两三四五六七八九](?![十百千万\d]))")  # 万二: 一万二
# A range said the short way, read as its lower end and approximate: 五六千 is 五千多, 两三万 is 两万多
_RANGE = re.compile(r"(?<![\d零〇一二两三四五六七八九十百千万点.])([一二两三四五六七八])([二三四五六七八九])([十百千万])(?![零〇一二两三四五六七八九])")
_DAY_OF_WORK = re.compile(r"(?<=[\d一二两三四五六七八九十几半])个工(?!资|钱|地|厂|头|友|程|人)")  # 点工: 十八个工 is 十八天
_HEARD_WAN = re.compile(r"(?<=[一两二三四五六七八九十])碗(?=[一二两三四五六七八九千块元])")  # voice: 一碗八千 is 一万八千
_SPOKEN_DECIMAL = re.compile(r"([一二两三四五六七八九十]|\d+)点([零〇一二三四五六七八九]+)(万|千)")


def money_text(text: str) -> str:
    """Text for reading money: half-width, capitals as plain numerals, 一块八 as 1.8元, 万把 as 一万来,
    两千溜 as 两千六, 五六千 as 五千多, 万二 as 一万二, a day-labourer's 个工 (十八个工, 一个工三百) as 天."""
    text = _HEARD_WAN.sub("万", _HEARD_SIX.sub("六", _numeric_text(text)))
    text = _SPOKEN_DECIMAL.sub(lambda m: f"{int(cn_number(m[1]) or 0)}.{''.join(str(int(cn_number(d) or 0)) for d in m[2])}"
                                         f"{m[3]}", text)  # 一点二万 is 1.2万
    text = _ROUGHLY_ONE.sub(r"一\1来", _DAY_OF_WORK.sub("天", _LEADING_WAN.sub("一万", text)))
    text = _RANGE.sub(lambda m: f"{m[1]}{m[3]}多" if _DIGIT_VALUE[m[2]] == _DIGIT_VALUE[m[1]] + 1 else m[0], text)
    text = _JIAO_ONLY.sub(lambda m: f"0.{int(cn_number(m[1]) or 0)}元", text)
    return _JIAO.sub(lambda m: f"{number_text((cn_number(m[1]) or 0) + int(cn_number(m[2]) or 0) / 10)}元", text)


# ---------------------------------------------------------------- numerals

_NUM_TOKEN_RE = re.compile(r"\d+(?:\.\d+)?|.")
_THOUSANDS_SEP_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")  # 1,200 -> 1200


def cn_number(s: str) -> float | None:
    """Value of a numeral written with Chinese and/or Arabic digits, or None.

    ``三万五`` 35000, ``2万3`` 23000, ``3.5万`` 35000, ``1,200`` 1200, ``一百零五`` 105,
    ``5k`` 5000, ``一八六`` 186 (digits read one by one). A bare digit after a unit is
    the next lower unit (一万五 = 15000, 两千八 = 2800).
    """
    s = _THOUSANDS_SEP_RE.sub("", _numeric_text(s).strip())
    tokens = _NUM_TOKEN_RE.findall(s)
    if not tokens:
        return None
    if len(tokens) > 1 and all(t in _CN_DIGITS for t in tokens):
        return float("".join(str(_CN_DIGITS[t]) for t in tokens))
    return _positional_value(tokens)


def _positional_value(tokens: list[str]) -> float | None:
    """Evaluate digit/unit tokens such as 三 万 五 千 (see cn_number)."""
    total, section, pending, last_unit = 0.0, 0.0, None, 0
    for tok in tokens:
        if tok in ("零", "〇") and (total or section):
            last_unit = 0  # 一百零五: the 五 is units, not tens
        elif tok[0].isdigit() or tok in _CN_DIGITS:
            if pending is not None:
                return None
            pending = float(tok) if tok[0].isdigit() else float(_CN_DIGITS[tok])
        elif tok in _SMALL_UNITS:
            section += (1.0 if pending is None else pending) * _SMALL_UNITS[tok]
            pending, last_unit = None, _SMALL_UNITS[tok]
        elif tok in _BIG_UNITS:
            section += pending or 0.0
            if not section:
                return None
            unit = _BIG_UNITS[tok]
            total = (total + section) * unit if unit > 10_000 else total + section * unit
            section, pending, last_unit = 0.0, None, unit
        else:
            return None
    if pending is not None:
        section += pending * last_unit / 10 if last_unit >= 10 else pending
    return total + section


def whole(x: float) -> float | int:
    """Integer when whole, else rounded to cents."""
    x = round(x, 2)
    return int(x) if x == int(x) else x


def number_text(x: float) -> str:
    """A number as said back to a worker: 1500000, 12.5 (never 1.5e+06)."""
    return str(whole(float(x)))


# 十五六 -> 十五 (15-16), 七八十 -> 七十 (70-80), 四五 -> 四: two consecutive digits in a range.
_RANGE_END_RE = re.compile(r"^(.*[十百千万])([一二两三四五六七八九])([二三四五六七八九])$")
_RANGE_HEAD_RE = re.compile(r"^([一二两三四五六七八九])([二三四五六七八九])([十百千万].*)?$")
_RANGE_MID_RE = re.compile(r"^(.*[十百千])([一二两三四五六七八九])([二三四五六七八九])([万千百].*)$")  # 十七八万


def _lower_bound(numeral: str) -> tuple[str, bool]:
    """Reduce a spoken range to its lower bound; second item is True for a range."""
    if (m := _RANGE_END_RE.match(numeral)) and _consecutive(m[2], m[3]):
        return m[1] + m[2], True
    if (m := _RANGE_HEAD_RE.match(numeral)) and _consecutive(m[1], m[2]):
        return m[1] + (m[3] or ""), True
    if (m := _RANGE_MID_RE.match(numeral)) and _consecutive(m[2], m[3]):
        return m[1] + m[2] + m[4], True
    return numeral, False


def _consecutive(a: str, b: str) -> bool:
    return _CN_DIGITS[b] == _CN_DIGITS[a] + 1


# ---------------------------------------------------------------- amounts

_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
# A numeral: an Arabic number or a Chinese digit/十 first, then digits and units;
# w/k count as units only when not part of a word (5k, 1.2w but not "ok").
_NUMERAL_RE = re.compile(
    rf"(?<![几数\d.,])(?:{_ARABIC}|[零〇一二两三四五六七八九十])(?:{_ARABIC}|[零〇一二两三四五六七八九十百千万亿]|[wWkK](?![A-Za-z]))*")
# What may follow the numeral: approximation, a unit after it (十多万), currency, 左右.
_AMOUNT_TAIL_RE = re.compile(
    r"(?P<approx>多|来|几|余|出头)?(?P<unit>[万千wWkK](?![A-Za-z]))?\s*(?P<cur>块钱|块|元|圆)?(?P<post>左右|上下|出头)?")
# The number counts something else: people, dates, durations, measures.
_NOT_MONEY_NEXT_RE = re.compile(
    r"\s*(?:个|号|人|名|位|年|月|日|天|岁|点|时|小时|分|秒|周|星期|次|遍|层|楼|栋|斤|公斤|吨|米|平|方|条|辆|家|口|倍|%|成|折|级|届|期|批|间|台|件|套|张"
    r"|单|局|回|趟|下|份|顿|箱|车|本|根|节|集|标段)")  # 一千二百来单, 中铁十局
# A wage rate, not a sum owed: 月薪五千, 每天三百, 八千一个月, 300/天.
_RATE_BEFORE_RE = re.compile(
    r"(?:(?:每|一)个?月|月薪|(?<!个)月工资|(?:每|一)天|日薪|日结|(?:每|一)个?(?:小时|钟头|钟)|时薪|底薪|工价|单价"
    r"|[一每](?:件|单|斤|公斤|箱|车|趟|条|双|包|筐|平|方|米|吨|亩))"
    r"(?:工资|工钱)?(?:是|有|才|就|能拿|拿)?\s*$")
_RATE_AFTER_RE = re.compile(r"^\s*(?:/|[一每]个?月|[一每]天|[一每]个?小时|[一每](?:公斤|斤|件|个|吨|方|平|米|亩|箱|车|趟|条|双|包|筐|只|块砖))")
_NOT_MONEY_BEFORE_RE = re.compile(r"(?:第|号码|电话|手机|尾号|编号|单号|身份证|微信|QQ|qq|打|拨)\s*[是:]?\s*$|双$")  # 双十一
_UNDER_BEFORE_RE = re.compile(r"(?:不到|不足|将近|接近|近|快|小)\s*$")  # 不到两万, 小两万: at most
_UNDER_AFTER_RE = re.compile(r"\s*(?:不到|不足)")
_APPROX_BEFORE_RE = re.compile(r"(?:大概|大约|差不多|将近|接近|约|近|快)\s*$")
_ALMOST_RE = re.compile(r"(?:快|将近|接近)\s*$")  # "四万多快五万": the amount is the first, the second is "almost"
_CURRENCY_BEFORE_RE = re.compile(r"[￥¥]\s*$")
_OWED_BEFORE_RE = re.compile(r"欠|拖|差|没给|没发|没结|没付|没拿|工资|工钱|薪|血汗钱|一共|总共|合计|共计|还有|剩|扣")
_TOTAL_BEFORE_RE = re.compile(r"(?:一共|总共|合计|共计|加起来|加一起|合起来|算下来|总的)(?:是|有|就是)?\s*$")  # the sum of the parts
_OWED_AFTER_RE = re.compile(r"没给|没发|没结|没付|没拿|不给|不发|不结|工资|工钱|血汗钱|欠")
# Money already paid (老板就给了五千, 每月给俺一千块生活费), not owed.
_PAID_BEFORE_RE = re.compile(r"(?<![没不未该应要])(?:给了|给过|发了|发过|付了|结了|借了|借支|只给|就给|才给|给俺|给我|预支|到手)\S{0,2}$")
_PAID_AFTER_RE = re.compile(r"^\s*(?:的)?(?:生活费|服装费|罚款|伙食费|房租|水电费|押金)")  # 扣我300服装费: not wages
# Other money: 房租就一千, 医药费三万.
_OTHER_MONEY_RE = re.compile(r"房租|租金|生活费|医药费|药费|路费|车费|学费|押金|伙食费|水电费|罚的?|罚了|罚款")  # 罚的一千二: a fine


class _Candidate(NamedTuple):
    score: int
    value: float
    approx: bool
    almost: bool = False  # "快五万" beside "四万多": the other one is the amount
    under: bool = False  # 不到两万: at most this


def parse_amount(text: str) -> Amount | None:
    """The amount owed in yuan: the most money-like number in the text, or None.

    Dates, head counts, durations, rates, phone and ID numbers are skipped.
    """
    text = money_text(text)
    candidates = [c for m in _NUMERAL_RE.finditer(text) if (c := _amount_candidate(text, m))]
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c.score, not c.almost, c.value))
    return Amount(whole(best.value), best.approx or best.under, best.under)


def _amount_candidate(text: str, m: re.Match[str]) -> _Candidate | None:
    """Score one numeral as the amount owed; None when it is not money."""
    numeral, before = m[0], text[max(0, m.start() - 8):m.start()]
    tail = _AMOUNT_TAIL_RE.match(text, m.end())
    after = text[tail.end():tail.end() + 6]
    if not tail["cur"] and _NOT_MONEY_NEXT_RE.match(after):
        return None
    rate_after = _RATE_AFTER_RE.match(after) and not text[m.end():m.end() + 1].isspace()  # "四万八 一天两百": a total
    if _RATE_BEFORE_RE.search(before) or rate_after or _NOT_MONEY_BEFORE_RE.search(before):
        return None
    if _PAID_BEFORE_RE.search(before) or _PAID_AFTER_RE.match(after) or _OTHER_MONEY_RE.search(before[-4:]):
        return None
    if _looks_like_code(numeral):
        return None
    if numeral == "一" and tail["cur"] == "块" and re.search(r"[加凑在到放合拼]$", before):
        return None  # 加一块 / 凑一块: "together", not one yuan
    numeral, is_range = _lower_bound(numeral)
    value = cn_number(numeral)
    if not value:
        return None
    if tail["unit"]:  # 十多万: the unit follows the approximation
        value *= (_SMALL_UNITS | _BIG_UNITS)[tail["unit"]]
    if tail["cur"] == "元" and re.match(r"[里路街桥村镇区巷坊湾]", text[tail.end():tail.end() + 1]):
        return None  # 三元里, 五元路: a place
    if tail["cur"] == "元" and len(numeral) == 1 and re.match(rf"[{_HAN}](?<![钱的了吧啊呀没不还整])",
                                                            text[tail.end():tail.end() + 1]):
        return None  # 三元朱村: a name, not three yuan
    has_currency = bool(tail["cur"] or _CURRENCY_BEFORE_RE.search(before))
    has_magnitude = value >= 100 or bool(re.search(r"[十百千万亿wWkK]", numeral + (tail["unit"] or "")))
    if value < 100 and not has_currency:
        return None  # 双十一, 十来个: nobody reports tens of yuan owed without saying 块 or 元
    total = bool(_TOTAL_BEFORE_RE.search(before))  # "没发的三千二 加起来一万三": the sum wins
    score = 3 * has_currency + 2 * has_magnitude + 2 * bool(
        total or _OWED_BEFORE_RE.search(before) or _OWED_AFTER_RE.search(after)) + total
    approx = is_range or bool(tail["approx"] or tail["post"] or _APPROX_BEFORE_RE.search(before))
    under = bool(_UNDER_BEFORE_RE.search(before) or _UNDER_AFTER_RE.match(text, tail.end()))
    return _Candidate(score, value, approx, bool(_ALMOST_RE.search(before)), under) if score >= 2 else None


def _looks_like_code(numeral: str) -> bool:
    """Phone, ID or other long digit strings, and digit-by-digit Chinese (一八六)."""
    if re.fullmatch(r"\d{8,}", numeral):
        return True
    return len(numeral) > 1 and all(ch in _CN_DIGITS for ch in numeral)


# ---------------------------------------------------------------- head counts

_COUNT_NUM = r"(?:\d+|[一二两三四五六七八九十百千]+)"
_WORKER_WORDS = ("农民工|民工|工友|工人|老乡|兄弟姐妹|兄弟|弟兄|师傅|伙计|同事|员工|职工|姐妹|阿姨|大姐|大妈|大叔|保安|保洁|"
                 "老婆子|老太太|老头|大娘|婶子|妇女|女工|男工|老人|阿婆|老表|"
                 "骑手|小工|大工|木工|瓦工|焊工|电工|司机|服务员|厨师|帮厨|快递员|外卖员|洗碗工|杂工|临时工|小时工|保姆|店员")
_PEOPLE = rf"(?:{_WORKER_WORDS}|口子|人)"  # 三十来口子
# N (到M)? (多/来/几)? (个/名/位/号)? (多)? people: 二十几个人, 一百多号人, 50多个农民工, 12人,
# 3到5个人 / 7、8个人 (lower bound).
_PEOPLE_COUNT_RE = re.compile(
    rf"(?<![几数\d])(?P<num>{_COUNT_NUM})(?P<upper>(?:到|至|-|~|、|或){_COUNT_NUM})?"
    rf"(?P<approx>多|来|几|余)?(?:个|名|位|号)?(?P<approx2>多)?(?:[{_HAN}]{{1,3}}?(?=老乡|农民工|民工|工友))?{_PEOPLE}")
# A group, then N个 at a clause end: 俺们村8个, 我们一共十个都没拿到.
_GROUP_COUNT_RE = re.compile(
    rf"(?:我们|俺们|咱们|大家|班组|全班|一共|总共|村|队|{_WORKER_WORDS})[^\d，。！？,.!?\s]{{0,6}}?"
    rf"(?<![几数])(?P<num>{_COUNT_NUM})(?P<approx>多|来|几|余)?(?:个|名|位)(?P<approx2>左右|上下)?"
    rf"(?=$|[，。！？,.!?\s]|都|全|一起|没|被|还|等)")
# The sender plus N others: 我和三个老乡, 俺跟另外两个工友, 除了我还有四个人.
_ME_AND_N_RE = re.compile(
    rf"(?:(?:我|俺)(?:和|跟|同|与|带着?|带了)(?:另外|其他|其它|别的)?|除了?(?:我|俺)(?:以外|之外)?[，,]?还有)"
    rf"(?:(?P<num>{_COUNT_NUM})(?P<approx>多|来|几)?(?:个|名|位)(?:多)?|(?P<pair>[俩仨]))(?:个)?{_PEOPLE}")
_REFINED_COUNT_RE = re.compile(rf"(?:大概|应该是|其实是|准确(?:说|点|的)?是?|具体是?)\s*(?P<num>{_COUNT_NUM})\s*个(?!月|天|年)")
_PAIR_RE = re.compile(r"(?:我们|俺们|咱们|我|俺|咱|夫妻|两口子)(?P<n>俩|仨)(?!个?(?:月|天|年|星期|礼拜))|两口子")  # not 欠俺仨月
# The sender and one family member: 我和我老婆, 俺跟俺哥.
_ME_AND_ONE_RE = re.compile(
    r"(?:我|俺)(?:和|跟|同|与|带着?)(?:我|俺)?的?(?:老婆|媳妇|爱人|老公|男人|对象|儿子|女儿|闺女|"
    r"哥哥|弟弟|姐姐|妹妹|哥|弟|姐|妹|爸|妈|老爸|老妈|表哥|表弟|堂哥|堂弟|一个老乡|一个工友)(?!们)")
_ONLY_ME_RE = re.compile(r"(?:我|俺)(?:自己)?一个(?:人)?(?!月|星期|礼拜)")


def parse_workers(text: str) -> Count | None:
    """Number of workers affected, the sender included when they count themself in."""
    text = halfwidth(text)
    if m := _ME_AND_N_RE.search(text):
        count = Count(2 if m["pair"] == "俩" else 3, False) if m["pair"] else _count(m["num"], m["approx"])
        return count and Count(count.value + 1, count.approx)
    for regex in (_PEOPLE_COUNT_RE, _GROUP_COUNT_RE):
        counts = [c for m in regex.finditer(text)
                  if (c := _count(m["num"], m["approx"] or m["approx2"] or m.groupdict().get("upper"))) and c.value >= 2]
        if counts:  # "十几个人 … 应该是十五个人", "十几个人 大概十五个": a rough count, then the exact one
            exact = [c for c in counts[1:] if not c.approx] + [
                c for m in _REFINED_COUNT_RE.finditer(text) if (c := _count(m["num"], None)) and c.value >= 2]
            return exact[0] if counts[0].approx and exact else counts[0]
    if m := _PAIR_RE.search(text):
        return Count(3 if m["n"] == "仨" else 2, False)
    if _ME_AND_ONE_RE.search(text):
        return Count(2, False)
    if _ONLY_ME_RE.search(text):
        return Count(1, False)
    return None


def _count(numeral: str, approx: str | None) -> Count | None:
    """A whole count from a numeral (ranges give the lower bound)."""
    numeral, is_range = _lower_bound(numeral)
    value = cn_number(numeral)
    if value is None or value != int(value) or not 0 < value < 100_000:
        return None
    return Count(int(value), bool(approx) or is_range)


# ---------------------------------------------------------------- phone and ID

# A run of digits, optionally split by up to two spaces or dashes ("138 0013 8000",
# "158-0000-1234", "139—1234"), ending optionally with X (ID check character).
_DIGIT_RUN_RE = re.compile(r"\d(?:[ \-—–]{0,2}\d)*(?:[Xx](?![A-Za-z]))?")
_GROUP_RE = re.compile(r"\d+[Xx]?")
_TEN_DIGITS_RE = re.compile(r"\d(?:[ \-—–]{0,2}\d){9}")  # the least any sensitive run has (see below)
_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_PHONE_WORDS_RE = re.compile(r"电话|手机|号码|联系|打我|call|微信|tel", re.I)
_ID_WORDS_RE = re.compile(r"身份证|证件|身份号")


class _Span(NamedTuple):
    start: int
    end: int
    digits: str


def _digit_text(text: str) -> str:
    """Half-width text with spoken Chinese digits as ASCII digits, same length."""
    return halfwidth(text).translate(_SPOKEN_DIGITS)


spoken_digits = _digit_text  # public: 二〇二六 -> 2026 for the field parsers


def _runs(text: str) -> Iterator[list[_Span]]:
    """Each digit run as its list of groups (digits between separators)."""
    for run in _DIGIT_RUN_RE.finditer(_digit_text(text)):
        yield [_Span(run.start() + g.start(), run.start() + g.end(), g[0].upper())
               for g in _GROUP_RE.finditer(run[0])]


def _find_all(text: str, valid: Callable[[str], object]) -> Iterator[_Span]:
    """Non-overlapping spans of consecutive groups whose digits ``valid`` accepts.

    Longest match first at each group, so "3000 13812345678" still yields the
    phone number. Spans carry the raw digits (with any 86 prefix).
    """
    for groups in _runs(text):
        i = 0
        while i < len(groups):
            for j in range(len(groups), i, -1):
                digits = "".join(g.digits for g in groups[i:j])
                if valid(digits):
                    if j < len(groups) and len(groups[j].digits) <= 2 and \
                            not re.match(r"\s*[\u4e00-\u9fff]", text[groups[j].end:]):  # not "… 2个人"
                        return  # "幺三八 七六五四 三二幺零 幺": a digit too many, never silently dropped
                    yield _Span(groups[i].start, groups[j - 1].end, digits)
                    i = j
                    break
            else:
                i += 1


def _mobile(digits: str) -> str | None:
    """The mobile number in digits, dropping an 86/0086 country prefix."""
    for prefix in ("0086", "86", ""):
        if digits.startswith(prefix) and _MOBILE_RE.fullmatch(digits[len(prefix):]):
            return digits[len(prefix):]
    return None


_LETTER_O_RE = re.compile(r"(?<=\d)[Oo〇](?=[\d\s])|(?<=[\d\s])[Oo〇](?=\d)")  # 13O 3311 8520: a letter O for 0


def parse_phone(text: str) -> str | None:
    """The first 11-digit mainland mobile number in the text, as ASCII digits."""
    text = _LETTER_O_RE.sub("0", text)
    return next((_mobile(span.digits) for span in _find_all(text, _mobile)), None)


# Whose number it is: "只晓得喊他周哥 电话185…", "老板电话…", "我老婆的也留一个 136…" are someone else's
_OTHERS_PHONE_RE = re.compile(r"(他|她|老板|老板娘|工头|包工头|经理|站长|厂长|主管|哥|姐|老婆|老公|媳妇|爱人|家里人|儿子|女儿)"
                              r"[的]?[^\d我俺]{0,6}$")


_SELF_CORRECTION_RE = re.compile(r"不对|说错了|写错了|打错了|应该是|现在是|其实是|改成|更正|(?:哦|噢|啊|呃)[，,\s]*不是")


def after_correction(text: str) -> str | None:
    """What follows the last self-correction in a message ("一万二 不对 … 现在是一万" -> "一万"), if any."""
    found = list(_SELF_CORRECTION_RE.finditer(text))
    rest = text[found[-1].end():].strip(" ，,。：:是") if found else ""
    return rest or None


def parse_own_phone(text: str) -> str | None:
    """The first mobile number in the text that is not said to be someone else's (the boss's, a wife's)."""
    text = halfwidth(text)
    for span in _find_all(text, _mobile):
        if not _OTHERS_PHONE_RE.search(text[max(0, span.start - 10):span.start]):
            return _mobile(span.digits)
    return None


def phone_problem(text: str) -> str | None:
    """Why an attempted phone number is invalid: too_short, too_long or not_mobile.

    None when the text holds a valid mobile or no phone-like digit run (7+ digits,
    or 5+ next to a word like 电话). ID-card-shaped runs are not phone attempts.
    """
    if parse_phone(text):
        return None
    min_len = 5 if _PHONE_WORDS_RE.search(text) else 7
    for groups in _runs(text):
        digits = "".join(g.digits for g in groups)
        if len(digits) < min_len or _id_shaped(digits):
            continue
        if digits.startswith("86") and len(digits) > 11:
            digits = digits[2:]
        if digits.startswith("0"):
            return "not_mobile"  # landline with area code
        if len(digits) != 11:
            return "too_short" if len(digits) < 11 else "too_long"
        return "not_mobile"
    return None


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"


def _id_shaped(digits: str) -> bool:
    """18 characters (17 digits + digit/X) or an old 15-digit ID."""
    return bool(re.fullmatch(r"\d{17}[\dX]|\d{15}", digits.upper()))


def _id_error(s: str) -> str | None:
    """None for a valid 18-character ID, else bad_length, bad_date or bad_checksum."""
    if not re.fullmatch(r"[1-9]\d{16}[\dX]", s):
        return "bad_length"
    try:
        born = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return "bad_date"
    if not 1900 <= born.year <= 2099:
        return "bad_date"
    check = _ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(s, _ID_WEIGHTS)) % 11]
    return None if check == s[17] else "bad_checksum"


def parse_id_number(text: str) -> str | None:
    """The first valid 18-character resident ID number (check digit verified), upper case."""
    return next((span.digits for span in _find_all(text, lambda d: not _id_error(d))), None)


def id_problem(text: str) -> str | None:
    """Why an attempted ID number is invalid: bad_length, bad_date or bad_checksum.

    An attempt is a run of 14+ digits, or 6+ digits next to 身份证; valid mobile
    numbers are ignored. None when a valid ID is present or nothing looks like one.
    """
    if parse_id_number(text):
        return None
    min_len = 6 if _ID_WORDS_RE.search(text) else 14
    for groups in _runs(text):
        digits = "".join(g.digits for g in groups)
        if len(digits) >= min_len and not _mobile(digits):
            return _id_error(digits)
    return None


# ---------------------------------------------------------------- masking

def mask_phone(s: str) -> str:
    """138****8000: first 3 and last 4 digits kept (any formatting accepted)."""
    digits = re.sub(r"\D", "", _digit_text(s))
    digits = _mobile(digits) or digits
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:] if len(digits) > 7 else "*" * len(digits)


def mask_id(s: str) -> str:
    """110105********123X: first 6 and last 4 characters kept."""
    chars = re.sub(r"[^\dX]", "", _digit_text(s).upper())
    return chars[:6] + "*" * (len(chars) - 10) + chars[-4:] if len(chars) > 10 else "*" * len(chars)


def _sensitive_spans(text: str) -> list[tuple[_Span, Callable[[str], str]]]:
    """Mobiles, then ID-shaped runs, then other 10+ digit runs, each with its masker."""
    taken: list[tuple[_Span, Callable[[str], str]]] = []
    if not _TEN_DIGITS_RE.search(_digit_text(text)):  # most messages: no run long enough, skip the passes
        return taken
    passes = ((_mobile, mask_phone), (_id_shaped, mask_id), (lambda d: len(d) >= 10, mask_phone))
    for valid, masker in passes:
        for span in _find_all(text, valid):
            if not any(span.start < t.end and t.start < span.end for t, _ in taken):
                taken.append((_without_prefix(text, span), masker))
    return sorted(taken)


def _without_prefix(text: str, span: _Span) -> _Span:
    """For a mobile typed with +86/0086, the span of the 11 digits only."""
    mobile = _mobile(span.digits)
    if not mobile or len(span.digits) == 11:
        return span
    digit_text = _digit_text(text)
    positions = [i for i in range(span.start, span.end) if digit_text[i].isdigit()]
    return _Span(positions[-11], span.end, mobile)


def mask_text(text: str) -> str:
    """The text with every mobile number, ID number and long digit run masked.

    Mobile numbers (also with spaces, +86 or in Chinese digits) become 138****8000,
    ID numbers 110105********123X, other 10+ digit runs (bank cards, mistyped
    numbers) keep their first 3 and last 4 digits.
    """
    out, last = [], 0
    for span, masker in _sensitive_spans(text):
        out += [text[last:span.start], masker(span.digits)]
        last = span.end
    return "".join(out + [text[last:]])


def _blank_sensitive(text: str) -> str:
    """Replace phone/ID/long digit runs by spaces (same length) before other parsing."""
    for span, _ in _sensitive_spans(text):
        text = text[:span.start] + " " * (span.end - span.start) + text[span.end:]
    return text


# ---------------------------------------------------------------- periods

_MONTH = r"(?:十[一二]|1[0-2]|0?[1-9]|[一二三四五六七八九十正腊])"
_DAY = r"(?:[12]\d|3[01]|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"  # 10号, 十号, 二十五号
_YEAR = r"(?:去年|今年|前年|明年|来年|上年|次年|第二年|转年|(?:19|20)?\d{2}年|(?:[一二][〇零九])?[〇零一二三四五六七八九]{2}年)"
_MONTH_VALUES = {"正": 1, "腊": 12}
_RELATIVE_YEARS = {"前年": -2, "去年": -1, "上年": -1, "今年": 0, "明年": 1, "来年": 1}
# The year after the start of the range: 十月到次年三月.
_NEXT_YEARS = ("次年", "第二年", "转年")
# 从去年三月(份)(开始)(一直)(干)到今年一月(份): an inclusive month range.
_MONTH_RANGE_RE = re.compile(
    rf"(?<!\d)(?:从)?(?P<y1>{_YEAR})?(?P<m1>{_MONTH})(?:月份?)?(?:(?P<d1>{_DAY})[号日])?"
    rf"(?P<late>底|初|上旬|中旬|下旬|中|开始|起)?(?:进场|进厂|开始干|入职|来的|干起|过来)?[,，\s]*"
    rf"(?:一直)?(?:干|做|上班|打工|干活)?(?:到|至|~|-|—)(?P<y2>{_YEAR})?(?P<m2>{_MONTH})月份?(?:(?P<d2>{_DAY})[号日])?"
    rf"(?P<late2>初|上旬|中旬|中|底)?")
# 二月份进场十月底干完的: a start and an end without 到
_MONTH_SPAN_RE = re.compile(
    rf"(?<!\d)(?P<m1>{_MONTH})月份?(?P<late>初|上旬|中旬|中|下旬|底)?(?:进场|进厂|进的厂|开始|来的|开工|上的班)"
    rf"[^，。,.]{{0,4}}?(?P<m2>{_MONTH})月份?(?P<late2>初|上旬|中旬|中|下旬|底)?(?:干完|做完|结束|完工|停工|走的|走了|不干)")
# How much of its first and last month a range leaves out: 九月中旬到十一月初 is about 2 months, not 3
_START_LATE = {"中旬": 0.5, "中": 0.5, "下旬": 0.75}
_END_EARLY = {"初": 0.75, "上旬": 0.75, "中旬": 0.5, "中": 0.5}
# 从去年腊月(开始)一直到现在 / 三月份至今 / 三月以来: from a month up to the day of the message.
_NOW = r"(?:(?:到|至)(?:现在|如今|目前|今天|眼下|这会儿?)|至今|以来)"
_SINCE_NOW_RE = re.compile(
    rf"(?<!\d)(?:从)?(?P<y1>{_YEAR})?(?P<m1>{_MONTH})月份?(?:底|初|中旬)?(?:开始|起)?[,，\s]*"
    rf"(?:一直|就)?(?:干|做|上班|打工|干活)?{_NOW}")
# 过完年到现在 / 年后一直没发: since the Spring Festival, about February.
_SINCE_NEW_YEAR_RE = re.compile(
    rf"(?:过完年|过了年|过年后|年后|春节后|开年|开春)(?:开始|起)?[,，\s]*(?:一直|就)?(?:干|做|上班|打工|干活)?{_NOW}")
_NEW_YEAR_TO_MONTH_RE = re.compile(
    rf"(?:过完年|过了年|过年后|年后|春节后|开年|开春)(?:开始|起)?[,，\s]*(?:一直)?(?:干|做|上班|打工|干活)?(?:到|至)(?P<m2>{_MONTH})月")
# 七、八、九月 / 七八月份: listed months.
_MONTH_LIST_RE = re.compile(rf"(?<![\d一二三四五六七八九十])(?:{_MONTH}(?:月份?)?[、和跟及与]?)+{_MONTH}月")
# 上个月, 上上个月跟上个月, 这个月和上个月, 8月份的: months named one by one, relative to now or alone.
_RELATIVE_MONTHS_RE = re.compile(
    r"(?P<two>上上个?月[和跟、及与加]?(?:还有)?上个?月|(?:这个?月|本月)[和跟、及与加]上个?月|上个?月[和跟、及与加](?:这个?月|本月))"
    r"|(?P<one>(?<!上)上个?月(?![和跟、及与加]?(?:这|本|上))"
    rf"|(?<![\d一二三四五六七八九十]){_MONTH}月份(?![^，,。\s]{{0,6}}(?:[到至\-~—]|开始|以来|起)))")
_MONTH_TOKEN_RE = re.compile(r"十[一二]|1[0-2]|0?[1-9]|[一二三四五六七八九十正腊]")
# A small number that does not start inside a longer one (not the 23 of 2023年).
_DUR_NUM = r"(?:(?<!\d)\d{1,2}|(?<![〇零一二两三四五六七八九十])[一二两三四五六七八九十]{1,3})"
# Durations: 一年半, 两年多, 一整年, 一年零三个月, 三个多月, 十来个月, 两个半月, 仨月,
# 半年, 一个季度. Not 三年前 / 三年级.
_DURATION_RE = re.compile(
    rf"(?:(?P<y>{_DUR_NUM})(?P<ya>多)?整?年(?P<yh>半)?(?P<ya2>多)?(?![前后级底初])"
    rf"(?:零|又)?(?:(?P<ym>\d{{1,2}}|[一二两三四五六七八九十]{{1,3}})个(?P<yma>多)?月)?"
    rf"|(?P<m>{_DUR_NUM})(?P<ma>多|来)?个(?P<ma2>多|来|半)?月"
    rf"|(?P<mc>[俩仨两])月"
    rf"|(?P<q>{_DUR_NUM})个季度"
    rf"|(?P<h>[大小]?)半年(?P<ha>多)?)")
_ARREARS_WORDS_RE = re.compile(r"欠|拖|没发|没给|没结|没拿|没付|不给|不发|工资|工钱|薪|压|扣|一分")
_OWED_NOW_RE = re.compile(r"欠|拖|没发|没给|没结|不给|不发|没拿到|一分")
_OWED_RIGHT_BEFORE_RE = re.compile(r"欠(?:了|我|俺|我们|俺们)?(?:了)?\s*$")
_WORK_BEFORE_RE = re.compile(r"(?:干|做|上班|打工|干活)了?$")
_LEFT_BEFORE_RE = re.compile(r"(?:走了|离开|离职|辞职|辞工|不干了|回家|回老家)[^，,。]{0,3}$")  # "我走了有一年半了": since
_PAID_PERIOD_RE = re.compile(r"(?<![没不未])(?:发了|给了|结了|付了|只发|就发)\S{0,2}$")
# A rate, not a period: 一个月一千八, 一个月干三百多个钟头.
_RATE_PERIOD_RE = re.compile(r"^\s*(?:\d|[一二两三四五六七八九十]+[百千万块元]|干|挣|赚|能拿|拿)")


class _Period(NamedTuple):
    score: int
    start: int
    end: int
    count: Count


_MONTHS_PAID_RE = re.compile(r"(?:给|发|结)(?:了|过)\s*(\d+|[一二两三四五六七八九十]+)\s*个?月(?:的(?:钱|工资|工钱)?|钱|工资|工钱)")


def months_paid(text: str) -> float | None:
    """Months of pay received out of those worked ("看了八个月 老板就给了两个月的钱", "开春到现在就发了一个月的")."""
    return cn_number(m[1]) if (m := _MONTHS_PAID_RE.search(text)) else None


def parse_period_months(text: str, today: date | None = None) -> Count | None:
    """Length in months of the period the wages are owed for (ranges inclusive; with ``today``,
    also ranges up to now: 去年腊月到现在)."""
    best = _best_period(_STARTED.sub(r"\1", halfwidth(text)), today)
    return best.count if best else None


# "三月进场到六月中旬": the start told with a verb is still a range
_STARTED = re.compile(r"(月(?:份)?(?:(?:\d{1,2}|[一二三四五六七八九十廿]{1,3})[号日])?(?:初|中|底|中旬|上旬|下旬|头)?)"
                      r"(?:进场|进厂|开始干|开始上班|开始|上班|入职|来的|干起|过来)(?=[^，,。]{0,2}到)")


# Festivals as the month they fall in, beside 到/至 ("清明到中秋", "从端午干到国庆"); two characters for two, so
# that positions still index the text as said
_FESTIVAL_MONTH = {"元旦": "1月", "元宵": "2月", "清明": "4月", "五一": "5月", "端午": "6月", "七夕": "8月", "中秋": "9月",
                   "国庆": "十月", "重阳": "十月"}
_FESTIVAL_RE = re.compile(rf"(?:{'|'.join(_FESTIVAL_MONTH)})(?=节?(?:前|后|以后)?(?:一直)?(?:干)?(?:到|至))|"
                          rf"(?<=到|至)(?:{'|'.join(_FESTIVAL_MONTH)})")


def _best_period(text: str, today: date | None = None) -> _Period | None:
    """Most arrears-like period: ranges and lists beat durations; 欠/工资 before it
    (欠了三个月) counts more than after it; 干了 before it (干了半年) counts against;
    paid months (只发了一个月) and rates (一个月一千八) are dropped."""
    text = _FESTIVAL_RE.sub(lambda m: _FESTIVAL_MONTH[m[0]], text)
    def scored(periods: Iterator[_Period]) -> list[_Period]:
        return [q for p in periods if (q := p._replace(score=p.score + _period_context(text, p))).score >= -1]
    said = scored(itertools.chain(_month_ranges(text), _ranges_to_now(text, today), _month_lists(text)))
    counted = scored(itertools.chain(_durations(text), _relative_months(text)))
    # the months named beat a duration ("三月中到四月底 拖了快半年了"), unless it is what is owed ("欠了三个月")
    found = said + [p for p in counted if _OWED_RIGHT_BEFORE_RE.search(text[:p.start])] if said else counted
    return max(found, key=lambda p: (p.score, -p.start), default=None)


def _period_context(text: str, p: _Period) -> int:
    before, after = text[max(0, p.start - 6):p.start], text[p.end:p.end + 6]
    return (2 * bool(_ARREARS_WORDS_RE.search(before)) + bool(_ARREARS_WORDS_RE.search(after))
            - bool(_WORK_BEFORE_RE.search(before)) - 2 * bool(_PAID_PERIOD_RE.search(before))
            - 4 * bool(_LEFT_BEFORE_RE.search(before))
            - 3 * bool(_RATE_PERIOD_RE.search(after)))


def _month_value(token: str) -> int:
    return _MONTH_VALUES.get(token) or int(cn_number(token) or 0)


def _year_value(token: str | None) -> tuple[str, int] | None:
    """('rel', offset) for 去年/今年, ('abs', year) for 2023年/23年, None when absent."""
    if not token or token in _NEXT_YEARS:
        return None
    if token in _RELATIVE_YEARS:
        return "rel", _RELATIVE_YEARS[token]
    year = int(token[:-1].translate(_SPOKEN_DIGITS))  # 二〇二三年 -> 2023
    return "abs", year + 2000 if year < 100 else year


def _month_ranges(text: str) -> Iterator[_Period]:
    for m in _MONTH_RANGE_RE.finditer(text):
        y1, y2 = _year_value(m["y1"]), _year_value(m["y2"])
        if m["y2"] in _NEXT_YEARS:
            y1 = y1 or ("rel", 0)
            y2 = (y1[0], y1[1] + 1)
        elif m["y1"] in _NEXT_YEARS:
            continue
        months = _range_length(y1, _month_value(m["m1"]), y2, _month_value(m["m2"]))
        if months and (m["d1"] or m["d2"]):  # "九月十号到十一月底": the days of the first and last month
            first, last = (int(cn_number(m["d1"]) or 1) if m["d1"] else 1), (int(cn_number(m["d2"]) or 30) if m["d2"] else 30)
            cut = (first - 1) / 30 + (30 - min(30, last)) / 30
            yield _Period(1, m.start(), m.end(), Count(max(1, round(months - cut)), cut > 0.1))
        elif months:
            yield _Period(1, m.start(), m.end(), _partial_months(months, m["late"], m["late2"]))
    for m in _MONTH_SPAN_RE.finditer(text):  # 二月份进场十月底干完的
        if months := _range_length(None, _month_value(m["m1"]), None, _month_value(m["m2"])):
            yield _Period(1, m.start(), m.end(), _partial_months(months, m["late"], m["late2"]))
    for m in _NEW_YEAR_TO_MONTH_RE.finditer(text):  # 过完年到七月: from February
        if 2 <= (end := _month_value(m["m2"])) <= 12:
            yield _Period(1, m.start(), m.end(), Count(end - 1, True))


def _partial_months(months: int, late: str | None, early: str | None) -> Count:
    """The months of a range when it starts late in its first month or ends early in its last."""
    if late == "底" and months > 1:
        return Count(months - 1, False)  # 二月底到七月: the pay owed starts with March
    cut = _START_LATE.get(late or "", 0) + _END_EARLY.get(early or "", 0)
    return Count(max(1, round(months - cut)), True) if cut and months > 1 else Count(months, False)


def _range_length(y1: tuple[str, int] | None, m1: int, y2: tuple[str, int] | None, m2: int) -> int | None:
    """Inclusive months from (y1, m1) to (y2, m2); a missing year is inferred from month order."""
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
        return None
    if y1 and y2 and y1[0] != y2[0]:
        return None
    start = y1[1] if y1 else (y2[1] if m1 <= m2 else y2[1] - 1) if y2 else 0
    end = y2[1] if y2 else start if m2 >= m1 else start + 1
    months = (end - start) * 12 + m2 - m1 + 1
    return months if 1 <= months <= 120 else None


def _ranges_to_now(text: str, today: date | None) -> Iterator[_Period]:
    if today is None:
        return
    for m in _SINCE_NOW_RE.finditer(text):
        y1 = _year_value(m["y1"]) if m["y1"] not in _NEXT_YEARS else None
        now = ("abs", today.year) if y1 and y1[0] == "abs" else ("rel", 0)
        first, lunar = _month_value(m["m1"]), m["m1"] in _MONTH_VALUES
        if lunar:  # 腊月, 正月: lunar months fall about a month later (去年腊月 is about this January)
            y1, first = ((y1[0], y1[1] + 1) if y1 else None, 1) if first == 12 else (y1, first + 1)
        months = _range_length(y1, first, now, today.month)
        if months and months > 1 and today.day <= 10:  # "到现在" on the 1st: this month has hardly begun
            months, lunar = months - 1, True
        if months:
            yield _Period(1, m.start(), m.end(), Count(months, lunar))
    for m in _SINCE_NEW_YEAR_RE.finditer(text):
        yield _Period(1, m.start(), m.end(), Count(max(1, today.month - 1), True))


def _month_lists(text: str) -> Iterator[_Period]:
    for m in _MONTH_LIST_RE.finditer(text):
        months = {_month_value(t) for t in _MONTH_TOKEN_RE.findall(m[0])}
        if len(months) >= 2 and all(1 <= x <= 12 for x in months):
            yield _Period(1, m.start(), m.end(), Count(len(months), False))


def _relative_months(text: str) -> Iterator[_Period]:
    for m in _RELATIVE_MONTHS_RE.finditer(text):
        if "从" not in text[max(0, m.start() - 4):m.start()] and text[m.start() - 1:m.start()] not in ("到", "至"):
            yield _Period(0, m.start(), m.end(), Count(2 if m["two"] else 1, False))


def _durations(text: str) -> Iterator[_Period]:
    for m in _DURATION_RE.finditer(text):
        months, approx = _duration_months(m)
        if months:
            yield _Period(0, m.start(), m.end(), Count(months, approx))


def _duration_months(m: re.Match[str]) -> tuple[int | None, bool]:
    """Months in one _DURATION_RE match, and whether it was approximate (多, 来, 四五个月)."""
    if m["y"] and len(m["y"]) == 2 and "十" not in m["y"] and not m["y"].isdigit() and not _consecutive(*m["y"]):
        return None, False  # 一九年, 二五年: a year said short (2019), not nineteen years
    if m["y"] and m["y"].isdigit() and int(m["y"]) >= 10 and not (m["ya"] or m["ya2"]):
        return None, False  # 23年一整年: the year 2023, not 23 years unpaid
    if m["y"]:
        years = _count(m["y"], m["ya"] or m["ya2"])
        extra = _count(m["ym"], m["yma"]) if m["ym"] else Count(0, False)
        if not (years and extra):
            return None, False
        return 12 * years.value + 6 * bool(m["yh"]) + extra.value, years.approx or extra.approx
    if m["m"]:
        months = _count(m["m"], m["ma"] or m["ma2"])
        return (months.value, months.approx) if months else (None, False)
    if m["mc"]:
        return {"俩": 2, "两": 2, "仨": 3}[m["mc"]], False
    if m["q"]:
        quarters = _count(m["q"], None)
        return (3 * quarters.value, quarters.approx) if quarters else (None, False)
    return 6, bool(m["h"] or m["ha"])


# ---------------------------------------------------------------- names

_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛"
    "曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫"
    "米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝")
_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "慕容", "东方", "皇甫", "令狐", "夏侯", "尉迟", "公孙", "长孙")
_PROVINCES = ("北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 "
              "海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门").split()
_CITIES = ("深圳 广州 东莞 佛山 中山 珠海 惠州 江门 杭州 宁波 温州 义乌 苏州 无锡 常州 南京 昆山 合肥 武汉 长沙 "
           "郑州 成都 西安 济南 青岛 厦门 福州 泉州 南昌 石家庄 太原 沈阳 大连 长春 哈尔滨 昆明 贵阳 南宁 兰州 "
           "乌鲁木齐 呼和浩特 银川 西宁 海口 三亚 拉萨 徐州 南通 嘉兴 绍兴 金华 台州 洛阳 周口 商丘 信阳 南阳 "
           "阜阳 六安 赣州 唐山 保定 廊坊 烟台 潍坊 临沂 淄博 宜昌 襄阳 株洲 衡阳 绵阳 遵义 柳州 桂林").split()
_PLACES = "|".join(sorted(_PROVINCES + _CITIES, key=len, reverse=True))
_PLACES_RE = re.compile(_PLACES)
# Words that look like a 2-4 character name (some start with a surname) but are not.
_NOT_NAMES = set(
    "老板 老板娘 工地 你好 您好 谢谢 谢谢你 多谢 不知道 知道 好的 是的 可以 没有 收到 明白 明天 今天 昨天 后天 马上 "
    "高兴 方便 时间 车间 全部 安全 师傅 老乡 工友 工人 农民工 包工头 工头 人工 客服 在吗 再见 拜拜 算了 好吧 行吧 "
    "对的 不是 没事 欠薪 工伤 投诉 麻烦 帮忙 中午 晚上 早上 上午 下午 工资 工钱 电话 手机 地址 身份证 微信 "
    "金额 钱呢 成功 和平 文件 万一 关于 关系 常年 黄了 白天 石头 路上 江湖 程序 任何 应该 许多 许可 于是 向前 "
    "余额 姜汤 钟头 周末 周日 周一 周二 周三 周四 周五 周六 毛钱 孔明 华为 宁愿 包括 包吃 包住 单位 公司 管理 "
    "管理员 项目 司机 卫生 曾经 龙头 温度 施工 华侨 连续 齐全 乔迁 柴油 蒙古 古代 党员 边上 查询 单亲 查一下 "
    "简单 解决 解释 尤其 申请 申诉 左右 甘心 章程 严重 严格 雷雨 高温 车费 路费 房租 方法 关门 关机".split()
    + _PROVINCES + _CITIES)
_NAME_BAD_CHARS = set("没不了的吗呢吧啊呀嘛哦哈嗯我你他她们这那啥咋么什怎哪谁个欠薪资块元号给在是说问想请找做干钱")
_TITLE_SUFFIXES = ("师傅", "老板", "经理", "工头", "总", "哥", "姐", "叔", "姨", "嫂", "老师", "工", "妈", "爸", "员", "长")
# Where a name ends when it is glued to the next words: 王强电话…, 李二狗今年…
_NAME_FOLLOWERS_RE = re.compile(r"电话|手机|号码|身份证|微信|联系|今年|老家|家住|住在|来自|刚才|刚刚|刚说|刚来|刚到|刚去"
                                r"|[是在的了啊呀吧哦呢嘛我俺想要问请找被给欠从跟和今去也就都还已干做打这那因不没]")  # 志刚 is a name
_NAME_TRIGGER_RE = re.compile(
    r"(?P<label>姓名|名字|联系人|称呼)\s*(?:是|叫|[:：])\s*"
    r"|(?:我|俺|本人)(?:就|其实|本来)?(?:的)?(?:名字|姓名)?(?P<verb>叫做|名叫|叫|是)\s*"
    r"|本人\s*|(?:^|(?<=[，,。\s])|(?<=姓[\u4e00-\u9fff]))叫\s*|(?:身份证上|证上|本名|大名|真名|全名)(?:是|叫)\s*")  # 我姓王叫王秀兰


def _starts_with_surname(s: str) -> bool:
    return s[:1] in _SURNAMES or s[:2] in _COMPOUND_SURNAMES


def _plausible_name(s: str, need_surname: bool) -> bool:
    """2-4 Han characters, not a common word, title or phrase."""
    return (re.fullmatch(rf"[{_HAN}]{{2,4}}", s) is not None
            and s not in _NOT_NAMES
            and not any(ch in _NAME_BAD_CHARS for ch in s[1:])
            and not s.endswith(_TITLE_SUFFIXES) and not s.endswith("人")
            and not s.endswith(("区", "县", "市", "镇", "村", "路", "街", "厂", "店", "省", "乡"))  # 金水区 is a place
            and (_starts_with_surname(s) or not need_surname))


_ADDRESS_RE = re.compile(r"(?:我|俺)?姓(?P<surname>[\u4e00-\u9fff]{1,2})(?:的)?"
                         r"|(?:叫我|都叫我|喊我)?(?P<said>(?:老|小)?(?P<s>[\u4e00-\u9fff]{1,2})(?:师傅|哥|姐|叔|姨|工)?)"
                         r"(?:就行|就好|吧|就可以)?")


def parse_address(text: str) -> str | None:
    """How to address someone who gives only a surname: 我姓王 -> 王师傅; 老王, 小李, 王师傅 as said."""
    m = _ADDRESS_RE.fullmatch(halfwidth(text).strip())
    if not m:
        return None
    if m["surname"]:
        return f"{m['surname']}师傅" if _starts_with_surname(m["surname"]) else None
    said = m["said"]
    plain = len(said) == len(m["s"])  # no 老/小 and no title: a bare word, not a way of addressing
    return said if _starts_with_surname(m["s"]) and len(m["s"]) <= 2 and not plain else None


def parse_name(text: str) -> str | None:
    """A person's name: 我叫王强, 俺叫李二狗, 姓名：张三, 我是刘德华, or a message that is just a
    2-3 character name (4 with a compound surname: 欧阳娜娜)."""
    text = halfwidth(text)
    if name := introduced_name(text):
        return name
    bare = "".join(re.findall(rf"[{_HAN}]+", text))
    if (len(bare) == len(re.sub(r"[\s\d\W_]", "", text)) and (len(bare) <= 3 or bare[:2] in _COMPOUND_SURNAMES)
            and _plausible_name(bare, need_surname=True)):
        return bare
    return None


# Just before a bare "叫…" or "名字叫…": whose name it is. "包工头姓刘 叫刘德旺", "中海的项目 名字叫中海云著" are not
# the worker's.
_SOMEONE_ELSE = re.compile(r"(包工头|工头|老板|经理|负责人|主管|厂长|班长|队长|师傅|他|她|项目|工地|楼盘|小区|公司|厂|店|单位"
                           r"|老乡|工友|朋友|孩子|娃|儿子|女儿|老婆|老公|媳妇)[^。！？!?我俺]{0,8}$")


def introduced_name(text: str) -> str | None:
    """A name the worker gives as theirs anywhere in a message: 我叫王强, 我是刘德华, 姓名：张三."""
    text = halfwidth(text)
    for m in _NAME_TRIGGER_RE.finditer(text):
        run = re.match(rf"[{_HAN}]+", text[m.end():])
        if not run:
            continue
        if not m["verb"] and _SOMEONE_ELSE.search(text[:m.start()]):
            continue
        name, rest = _cut_name(run[0])
        if m["verb"] == "是" and rest[:1] in tuple("的人那这来做干"):
            continue  # 我是安徽的, 我是周口人: origin, not a name
        if _plausible_name(name, need_surname=not m["label"]):
            return name
    return None


_MINORITY_NAME_RE = re.compile(rf"[{_HAN}]{{1,8}}[·•・．.][{_HAN}]{{1,8}}")


def name_as_answered(text: str) -> str | None:
    """A reply to "what is your name" that parse_name is too careful for: 阿依古丽·买买提, 买买提,
    孙二娃 / 李四娃子 (娃 names), or the full name among other words ("阿芳 陈慧芳", "黄阿姨 黄秀珍")."""
    text = halfwidth(text).strip()
    if m := _MINORITY_NAME_RE.fullmatch(text):
        return m[0]
    if len(text) == 1 and text in _SURNAMES:
        return f"{text}师傅"  # just the surname: how staff will address them on the phone
    parts = re.findall(rf"[{_HAN}]+", text)
    full = [p for p in parts if _plausible_name(p, need_surname=True)]
    if len(parts) > 1 and full:
        return full[-1]
    if len(parts) == 1 and _starts_with_surname(text) and re.fullmatch(rf"[{_HAN}]{{1,3}}娃子?", text[1:]):
        return text  # 孙二娃, 陈娃, 李四娃子
    if (len(parts) == 1 and re.fullmatch(rf"[{_HAN}]{{2,4}}", text) and text not in _NOT_NAMES
            and not any(ch in _NAME_BAD_CHARS or ch in _STOP for ch in text)):
        return text  # a name without a Han surname (买买提)
    return None


def _cut_name(run: str) -> tuple[str, str]:
    """Split a Han run into (name, rest) at the first follower word after 2 characters."""
    follower = _NAME_FOLLOWERS_RE.search(run, 2)
    cut = follower.start() if follower else len(run)
    return run[:cut], run[cut:]


# ---------------------------------------------------------------- employers

_ORG_SUFFIX = (r"(?:股份有限公司|有限责任公司|有限公司|分公司|集团|公司|工厂|厂|项目部|劳务派遣|劳务队|劳务|工程队|施工队|"
               r"建筑队|装修队|车队|餐厅|饭店|酒店|餐馆|超市|物业|商行|鞋业|物流|快递|五金|建工|实业|科技|木业|家具|"
               r"纺织|制衣|面馆|饭馆|菜馆|酒楼|茶楼|烧烤店|火锅店|小吃店|店|煤矿|农场|果园|养殖场|工作室|作坊|家政)")
# A run of name characters ending with an organisation suffix: 恒通电子厂, XX建筑工程有限公司.
_ORG_RE = re.compile(rf"{_NAME_CHAR}{{1,24}}{_ORG_SUFFIX}(?![名里内])")  # not 厂名 ("不知道厂名"), 厂里 (in the factory)
# Words that say what kind of business it is, not which one: 电子厂 alone names nobody.
_GENERIC_ORG_RE = re.compile(
    r"(?:电子|服装|制衣|鞋业|鞋|玩具|塑料|塑胶|五金|机械|纺织|印刷|家具|食品|建筑|建设|工程|劳务|装修|装饰|物流|快递|"
    r"餐饮|火锅|制造|科技|电器|汽配|包装|砖|水泥|钢铁|化工|木材|板材|制品|实业|贸易|房地产|地产|人力资源|保安|保洁|"
    r"家政|建材|模具|加工|黑心|派遣|劳务派遣|外包|承包|投诉|知道|什么|啥|一家|这家|那家|某)$")
# 投诉昆山富达鞋业, 什么嘉园物业 (not sure of the name), 那嘎达物流园 (Northeastern "over there"), 系白云 (Cantonese "is")
_DEMONSTRATIVE_RE = re.compile(r"^(?:(?:投诉|举报|起诉|反映|告)(?:一下)?)?(?:一家|这家|那家|某|什么|啥|具体|哪个|那个|这个|"
                               r"那嘎达|这嘎达|嘎达|那疙瘩|这疙瘩|疙瘩|那旮旯|系|喺|嗰边|嗰度|呢度)*")
# 深圳宝安区 in front of a company name is where it is, not part of its name.
_DISTRICT_PREFIX_RE = re.compile(rf"^(?:{_PLACES})(?:省|市)?{_NAME_CHAR}{{2,3}}?[区县镇](?={_NAME_CHAR}{{2}})")
_SURNAME_CLASS = "[" + "".join(sorted(_SURNAMES)) + "]"
_PERSON_CHAR = rf"(?:[{_HAN}](?<![{_STOP}一]))"
_BOSS_TITLE = r"(?:包工头|工头|老板娘|老板|承包商|承包人|班组长|带班的?|领班|老总|厂长|经理)"
_CREW_TITLE = r"(?:包工头|工头|承包人|班组长|带班的?|领班)"
# A boss named after the title. Surname + given name directly after the title only
# for crew leaders: after 老板 it is too often a verb (老板安排…).
_TITLE_NAME_RE = re.compile(
    rf"{_BOSS_TITLE}(?:姓|(?:叫|是)?[老小]){_SURNAME_CLASS}"  # 包工头老张, 老板姓王, 老板是小李
    rf"|姓{_SURNAME_CLASS}的{_BOSS_TITLE}"  # 姓王的老板
    rf"|{_CREW_TITLE}(?:叫|是)?{_SURNAME_CLASS}{_PERSON_CHAR}{{1,2}}"  # 工头张大头
    rf"|{_BOSS_TITLE}(?:叫|是){_SURNAME_CLASS}{_PERSON_CHAR}{{1,2}}")  # 老板叫王强
# 张老板, 李总 at a word start (not 钱老板 in 欠钱老板跑了, 包老板 in 分包老板, 包工头, 王总共)
_NAME_TITLE_RE = re.compile(
    rf"(?:(?<![{_HAN}])|(?<=[的个找是那这跟和给被叫]))(?!包工头){_SURNAME_CLASS}"
    rf"(?:老板娘|老板|包工头|工头|经理|厂长|总(?![共包计数]))")


def parse_employer(text: str) -> str | None:
    """The employer as said: 恒通电子厂, 鑫达劳务公司, 包工头老张, 张老板; None if only generic."""
    text = halfwidth(text)
    return _find_org(text) or _find_boss(text)


# The boss as workers know him, said beside the company or alone: "大家叫他刘大头", "只知道他叫虎哥", "场主叫牛富贵",
# "雇主姓吴" (a household that employs a nanny: the real debtor, beside the agency)
_GENERIC_WORD_RE = re.compile(r"老板|工头|师傅|欠条|照片|工资|写着|没给|不给|知道|不是|就是|还是|他们|我们|说了|明天|今天|现在")
_BOSS_NAMED_RE = re.compile(rf"(?:叫他|外号叫?|只知道(?:他|她)?叫|叫(?:什么|啥)|真名(?:好像|应该|可能)?(?:叫|是)|"
                            rf"(?:场主|厂长|雇主|东家|店主|老板|园主|矿主)(?:叫|是))"
                            rf"([{_HAN}]{{2,4}}?)(?=[\s，,。]|$|的)|(?:雇主|东家|主家)姓([{_HAN}])")
_NOT_A_NAME_RE = re.compile(r"人$|什么|啥|不知道|不清楚|外地|本地")  # "老板是台湾人": where he is from


def bare_person(text: str) -> str | None:
    """A clause that is nothing but a person's name ("欠条上写着呢 杨树林 他是搞装修的": 杨树林)."""
    return next((c for c in re.split(r"[\s，,。.；;：:]+", halfwidth(text))
                 if re.fullmatch(rf"{_SURNAME_CLASS}[{_HAN}]{{1,2}}", c) and not _GENERIC_WORD_RE.search(c)), None)


def with_boss_named(employer: str | None, text: str) -> str | None:
    """The employer found, with the boss's name or nickname the worker gave beside it ("富民养殖场（牛富贵）"); the
    name alone when nothing else names the employer ("虎哥")."""
    found = [m[1] or f"雇主姓{m[2]}" for m in _BOSS_NAMED_RE.finditer(halfwidth(text))
             if not (m[1] and _NOT_A_NAME_RE.search(m[1]))]
    if employer and _NOT_A_NAME_RE.search(employer):
        employer = None
    named = "，".join(dict.fromkeys(n for n in found if not employer or (n not in employer and employer not in n)))
    if not named:
        return employer
    return f"{employer}（{named}）" if employer else named


def find_org(text: str) -> str | None:
    """A distinctive organisation named in the text (恒通电子厂), not a boss."""
    return _find_org(halfwidth(text))


def more_than_region(place: str) -> bool:
    """Whether a place says more than a province or city (广东佛山顺德 does, 陕西 and 深圳 do not)."""
    return bool(_PLACES_RE.sub("", re.sub(r"[省市]", "", place)).strip())


def names_place(text: str) -> bool:
    """Whether the text names a known province or city."""
    return bool(_PLACES_RE.search(text))


def _find_org(text: str) -> str | None:
    """First distinctive organisation name, without 一家/这家 or a leading 深圳宝安区."""
    for m in _ORG_RE.finditer(text):
        if _distinctive(m[0]):
            return _DISTRICT_PREFIX_RE.sub("", _DEMONSTRATIVE_RE.sub("", m[0]))
    return None


def _distinctive(org: str) -> bool:
    """True when something names this organisation beyond suffix, region and trade words."""
    core = re.sub(rf"{_ORG_SUFFIX}+$", "", _strip_region(org))
    while (trimmed := _GENERIC_ORG_RE.sub("", core)) != core:
        core = trimmed
    return len(_DEMONSTRATIVE_RE.sub("", core)) >= 2


def _find_boss(text: str) -> str | None:
    if m := _TITLE_NAME_RE.search(text):
        said = re.sub(rf"^({_BOSS_TITLE})(?:叫|是)", r"\1", m[0])  # keep as said, minus 叫/是
        surname = re.search(rf"^({_BOSS_TITLE})姓([{_HAN}])$", said)
        if surname and (full := re.match(rf"[的\s，,]*(?:叫)?({surname[2]}[{_HAN}]{{1,2}})(?![{_HAN}])", text[m.end():])):
            return surname[1] + full[1]  # "包工头姓刘的 刘德贵": the full name said next
        return said
    if m := _NAME_TITLE_RE.search(text):
        return m[0]
    return None


_REGION_RE = re.compile(rf"^(?:{_PLACES})(?:省|市|自治区)?|^[{_HAN}]{{2,3}}(?:省|自治区)")
_LEGAL_SUFFIX_RE = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|责任公司|分公司|总公司|集团|公司|工厂|厂)$")


def _strip_region(name: str) -> str:
    """Drop leading province/city names (广东省深圳市…) while a 2+ character name remains."""
    while (m := _REGION_RE.match(name)) and len(name) - m.end() >= 2:
        name = name[m.end():]
    return name


def normalise_company(name: str) -> str:
    """Grouping key for an organisation name: no spaces, brackets, region or legal suffix.

    鑫达劳务, 鑫达劳务公司, 深圳市鑫达劳务有限公司 and "鑫达劳务 有限责任公司" all give 鑫达劳务.
    """
    key = re.sub(r"[(（][^)）]*[)）]", "", halfwidth(name))
    key = re.sub(rf"[^{_HAN}A-Za-z0-9]", "", key).lower()
    key = _strip_region(key)
    while (m := _LEGAL_SUFFIX_RE.search(key)) and m.start() >= 2:
        key = key[:m.start()]
    return key


# ---------------------------------------------------------------- first messages

_PROJECT_RE = re.compile(
    rf"{_NAME_CHAR}{{2,16}}(?:项目|工地|小区|花园|广场|大厦|大楼|公寓|安置房|商业街)")
_GENERIC_PROJECT_RE = re.compile(r"^(?:一个|这个|那个|建筑|工程|施工|新|大|小)*(?:项目|工地|小区|花园|广场|大厦|大楼|公寓|安置房|商业街)+$")
# Where the sender works, after 在/到/去/来 (not 俺是河南的, the home town): a known
# province/city (+省/市, 广东佛山), optionally with a district (宝安区, or 2-3 characters standing
# alone: 顺德的, 龙泉驿 + space), or any X市/X县.
_LOCATION_RE = re.compile(
    rf"(?<=[在到去于来])(?:(?:{_PLACES})(?:省|市)?(?:(?:{_PLACES})市?)?(?:(?:{_NAME_CHAR}|于){{2,3}}?[区县镇]"
    rf"|(?![^的]?[打干做上班住待呆找混跑玩工送开当摆卖搬拉扛拾摘捡采])(?!这边|那边|附近|一带|那块|这里|那里|这块|那儿)"
    rf"{_NAME_CHAR}{{2,3}}(?=的|那边|这边|附近|一带|那块|[\s，,。.!！?？]|$|[干做]了?|打工|上班|一个|一家|那个|那家|这个|这家))?"
    rf"|{_NAME_CHAR}{{2,3}}(?<!超|菜|夜|城|门|股)[市县])")
_PLURAL_RE = re.compile(r"我们|俺们|咱们|大家|工友们|兄弟们|一起|班组|全班|老乡们|[我俺][和跟同与]")
_SINGLE_RE = re.compile(r"(?:欠|拖|扣|差|没给|没发|不给|不发)(?:了)?(?:我|俺)(?!们)|(?:我|俺)(?:的)工(?:资|钱)")


# The general contractor of a building site, who answers for a subcontractor's wages: 总包是中建五局, 总包中铁十局
_CONTRACTOR_RE = re.compile(rf"(?:总包|总承包|施工总包)(?:方|单位|公司)?(?:是|叫|为|:)?\s*((?:{_NAME_CHAR}|[一二三四五六七八九十\d]){{2,16}})")


def extract_wage_fields(text: str, today: date | None = None) -> dict[str, object]:
    """Fill the wage-arrears slots present in a free first message (absent slots are left out).

    Keys: employer, general_contractor, project, location, period, period_months, amount_owed,
    amount_approx, workers_affected, name, phone, id_number.
    """
    fields: dict[str, object] = {}
    _put(fields, "phone", parse_own_phone(text))
    _put(fields, "id_number", parse_id_number(text))
    clean = halfwidth(_blank_sensitive(text))
    _put(fields, "name", parse_name(clean))
    if contractor := _CONTRACTOR_RE.search(clean):  # "包工头黄志强 总包是中建五局": both, each in its place
        fields["general_contractor"] = contractor[1]
        clean = clean[:contractor.start()] + " " * len(contractor[0]) + clean[contractor.end():]  # not the employer
    org = _find_org(clean)
    _put(fields, "employer", with_boss_named(org or _find_boss(clean), clean))
    _put(fields, "project", _find_outside(_PROJECT_RE, clean, org, _GENERIC_PROJECT_RE))
    _put(fields, "location", _find_outside(_LOCATION_RE, clean, org, None))
    if (period := _best_period(clean, today)) and not (  # "月工资5500 干了6年8个月": how long, not what is owed
            _WORK_BEFORE_RE.search(clean[max(0, period.start - 3):period.start]) and not _OWED_NOW_RE.search(clean)):
        fields["period"] = text[period.start:period.end]
        fields["period_months"] = period.count.value
    if amount := parse_amount(clean):
        fields["amount_owed"], fields["amount_approx"] = amount.value, amount.approx
        if amount.under:
            fields["amount_under"] = True
    workers = parse_workers(clean)
    if workers:
        fields["workers_affected"] = workers.value
        if workers.approx:
            fields["workers_approx"] = True
    elif _SINGLE_RE.search(clean) and not _PLURAL_RE.search(clean):
        fields["workers_affected"] = 1
    return fields


def _put(fields: dict[str, object], key: str, value: object) -> None:
    if value:
        fields[key] = value


def _find_outside(regex: re.Pattern[str], text: str, org: str | None,
                  generic: re.Pattern[str] | None) -> str | None:
    """First match that is not part of the employer name and not merely generic."""
    for m in regex.finditer(text):
        if org and m[0] in org:
            continue
        if generic and generic.match(_DEMONSTRATIVE_RE.sub("", m[0])):
            continue
        return m[0]
    return None
