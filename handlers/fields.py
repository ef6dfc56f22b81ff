"""Reading one answer of a dialog: each parser turns a worker's reply into field values or a Problem.

A Problem names the copy key of a specific correction ("a mobile number has 11
digits") so the worker learns what to fix, not just that something was wrong.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from handlers import normalise as nz
from handlers.messages import Inbound

_PER_MONTH = re.compile(r"(?:一个月|每个?月|月收入|一月)(?:大概|差不多|就|只|能|有|挣|赚|拿|收入|我|俺)*"
                        r"([\d一二两三四五六七八九十百千万]+)")
_HEADS = re.compile(r"^\s*[\d一二两三四五六七八九十]+\s*(口|个人|人)")
_CONFUSED = re.compile(r"啥意思|什么意思|啥子意思|不懂|不明白|看不懂|没看懂|听不懂|搞不懂|不知道.{0,2}咋填|不会填")
_LEADING_COUNT = re.compile(r"^\s*([\d一二两三四五六七八九十几]+[多来]?)个(?![月天年])")
_PER_YEAR = re.compile(r"一年|每年|年收入|一年到头|全年|年挣|年赚")
_NO_INCOME = re.compile(r"没(有)?(啥|什么)?(收入|进项|钱|工作|活干)|(收入|钱)(也|都)?没(有)?|一分(钱)?(都|也)?没|(啥|什么)(收入|钱)?(也|都)没")
_JUST_ME = re.compile(r"(就|只有|只|光)?(我|俺)(一个人?|自己|自个儿?|一人)?(啊|呀|吧|了)?|就(我|俺)|只有(我|俺)")
_MOUTHS = re.compile(r"(?<![\d一二两三四五六七八九十])(\d{1,2}|[一二两三四五六七八九十]{1,3})口(?!子)")  # 两口子 is a couple
# "刚考上", "九月开学": the school year starting now.
_THIS_TERM = re.compile(r"刚|马上|就要|快要|快开学|这学期|本学期|这个学期|今秋|秋季|[九9]月|下个?月|开学|录取")
# An answer about time that the period parser could not count.
_TIME_WORDS = re.compile(r"[年月号日天周]|星期|季度|春节|过年|秋收|麦收|开春|入冬|现在|至今|以来|以后|开始|那会")
SKIP_WORDS = re.compile(r"^(跳过|没有|没|无|不知道|不清楚|不记得|记不住|忘了|不想填|不填|不想给|不给|不方便|不想说|算了吧|略|不用|不用填"
                        r"|不需要|不必|免了|不要|没带|没带身份证|不在身上|不在身边|不想发|不发|下次吧|以后再给|不|不了"
                        r"|冇|冇啊|没得|莫得|木有|么得|唔使|唔要|唔知|晓不得|唔想俾|唔俾|不想给了|不给了|那不给了|那就不给了"
                        r"|skip|pass|no|none)"
                        r"[了啊呀吧的喔噻嘛喇啦咯。.!！]*$", re.I)  # 冇, 没得, 唔想俾: dialect no; "skip" typed in English
_NEGATIVE = re.compile(r"(^|[^\d])-\s*\d|负")
_DIGIT_CHOICE = re.compile(r"^\s*([1-9])\s*$")
LEADING_CHOICE = re.compile(r"^\s*([1-9])[\s，,、.。]+(\S.*)$")  # "3 被开了": a menu number, then words
_YEAR = re.compile(r"(20\d\d|19\d\d)")

# Words people use for each option (the option's own text always counts too).
CHOICE_SYNONYMS = {
    "大病": ["生病", "住院", "癌", "重病", "病", "瘫", "中风", "卧床", "透析", "手术"],
    "残疾": ["残疾", "残疾证", "残废", "瘸", "截肢", "伤残", "聋", "哑", "瞎"],
    "单亲": ["单亲", "离婚", "离了婚", "一个人带", "一个人养", "丧偶", "前夫", "前妻", "没爹", "没妈"],
    "子女上学": ["孩子上学", "上学", "学费", "读书"],  # not 孩子 alone: most families have children
    "灾害": ["受灾", "火灾", "水灾", "洪水", "大水", "冲了", "冲垮", "地震", "房子塌", "塌了", "着火", "烧了", "冰雹", "灾"],
    "失业": ["没工作", "没活干", "下岗", "找不到工作", "失业"],
    "家人去世或出事": ["去世", "过世", "死了", "人没了", "出事没了", "出事", "遇难", "工亡", "意外", "车祸", "走得早"],
    "欠薪": ["欠薪", "欠工资", "欠钱", "拖欠", "不给钱", "不发工资", "跑路", "跑了", "讨薪"],
    "大学": ["本科", "大学"],
    "高职": ["大专", "专科", "高职", "职业技术学院"],
    "中专": ["技校", "职高", "中专", "技工学校"],
    "高中": ["高中", "一中", "二中"],
    "劳动合同": ["签合同", "签的合同", "没签合同", "劳动合同", "合同到期", "合同上", "补签"],  # not 解除合同
    "工伤": ["工伤", "受伤", "工商", "砸伤", "摔伤", "摔断", "骨折", "压伤", "烫伤", "割伤", "轧断", "绞断", "职业病",
             "工亡", "出事没了", "摔死", "砸死"],
    "解除": ["辞退", "开除", "炒鱿鱼", "炒了", "被裁", "裁员", "解除", "解雇", "不让干了", "把我开了", "开了我", "被开了",
             "辞了我", "把我辞了", "让我走人", "叫我走人", "不要我了", "赶我走", "把我赶走", "撵走", "把俺开了",
             "开了俺", "把俺辞了", "叫俺走", "叫我走", "让俺走"],
}
YES = re.compile(r"^(1(?!\d)|是|是的|对|对的|有|参加了|参加|交了|入了|嗯|是会员|系|係|啱|有嘅)")
NO = re.compile(r"^(2(?!\d)|不是|否|没有|没参加|没|不|没交|没入|唔系|唔係|冇|没得|莫得)")
UNKNOWN = re.compile(r"^(3(?!\d)|不知道|不清楚|不晓得|晓不得|不确定|搞不清|记不清|不记得|忘了|跳过|唔知|唔清楚|唔记得)")


@dataclass(frozen=True)
class Answer:
    values: dict[str, Any]


@dataclass(frozen=True)
class Problem:
    copy_key: str


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    parser: str
    ask: str
    optional: bool = False
    choices: tuple[str, ...] = field(default_factory=tuple)
    aliases: tuple[str, ...] = field(default_factory=tuple)  # how workers name it: 钱, 名字, 电话


_DECLINE_IN = re.compile(r"记不住|记不得|不记得|不在身上|在宿舍|没带|回头再(说|给|发)|以后再(说|给|发)|下次再(说|给)"
                         r"|也?不(想)?给|唔(想)?[畀俾]|没必要|冇必要|跳过|不想填|不填")  # "身份证也不给", "370 没必要吧 跳过"


def _all_skips(text: str) -> bool:
    """"没带身份证 记不住 跳过", "身份证在宿舍 回头再说": the answer declines."""
    parts = [p for p in re.split(r"[\s,，。.!！、]+", text) if p]
    return (len(parts) > 1 and all(SKIP_WORDS.match(p) for p in parts)) or (
        len(text) <= 16 and bool(_DECLINE_IN.search(text)))


# Words around an answer that are not the answer: "刚说了啊 东莞厚街", "就是蜀香园火锅店噻", "好月嫂家政 刚才说了"
# "我前面都说过了", "头先講咗好多次", "我第一句就说了": already said, in any of the ways people say it
_SAID_ALREADY = (r"(?:我|俺)?(?:刚才|刚刚|刚|前面|上面|头先|頭先|之前|第一句)?(?:就|都|已经|也)?"
                 r"(?:说|讲|講|话|写|告诉你|跟你说)(?:过|了|咗)+(?:的|好多次|好几次|几遍|两遍|好几遍|几次)?了?")
_FILLER_HEAD = re.compile(rf"^(就是|都说了是?|说了(两|几|好几|三)?遍了?|(?:我|俺)?(?:刚|刚才|早就?|都)?不(?:是|刚|早就?)?(?:说|讲|告诉你)(?:过|了)+(?:吗|嘛|么|啊)?"
                          rf"|{_SAID_ALREADY}(?:系|是)?"
                          r"|上面都说了撒?|(?:也|再)?改一下|就系|系(?![咪唔未])|哦|嗯|啊|是)[啊嘛噻呀的啦咯，,。\s]*")
_FILLER_TAIL = re.compile(rf"[，,。\s]*({_SAID_ALREADY}|上面说了|前面说了|上面都说了撒?"
                          r"|啊|噻|嘛|呀|呢|啦|咯|哦|嘞|喔|吧)$")


def without_fillers(text: str) -> str:
    """The answer without "刚说了啊", "头先讲咗", "噻" around it."""
    for _ in range(3):
        text = _FILLER_TAIL.sub("", _FILLER_HEAD.sub("", text)).strip()
    return text


# What holds no answer in a free-text reply: stickers ("[强]", "/::)"), emoji, punctuation, "在吗", laughter,
# swearing at the bot, links
_NO_CONTENT = re.compile(r"(?:\[[\u4e00-\u9fffA-Za-z]{1,4}\]|/:\S{1,6}|[^0-9A-Za-z\u4e00-\u9fff]|在吗|在不在|有人吗|有人没|"
                         r"喂|哈|呵|嗯|啊|哦|噢|额|呃)+")
_INSULT = re.compile(r"草泥马|tmd|他妈|他媽|妈的|你妈|傻逼|傻b|煞笔|sb|滚蛋|垃圾|机器人吧|说人话|什么玩意|有病|操你", re.I)
_BACK_AGAIN = re.compile(r"还在(不|吗|没|嘛)|在吗|在不在|有人吗|回来了|说到哪")  # coming back to the form after a while
_LINK = re.compile(r"https?://|www\.|t\.cn/", re.I)


def read(f: Field, message: Inbound) -> Answer | Problem:
    """Read the worker's reply to the question for field ``f``."""
    text = message.text.strip()
    if f.parser in ("text", "employer", "location", "period") and (bare := without_fillers(text)):
        text = bare
    if message.location and f.parser == "location":
        return Answer({f.name: message.location})
    if not text:
        return Problem("need_text")
    if len(text) <= 20 and _BACK_AGAIN.search(text) and not re.search(r"\d", text):
        return Problem("still_here")  # "在吗", "喂 还在不 刚才跑车去了", "我回来了 刚才说到哪了": the question again
    if f.parser in ("text", "employer", "location") and (
            _NO_CONTENT.fullmatch(text) or _LINK.search(text) or (_INSULT.search(text) and not nz.find_org(text))):
        return Problem("still_here")  # "[强]", "🙏🙏🙏", "在吗", "草 你他妈是机器人吧", a link: never a value
    if _CONFUSED.search(text):  # "啥意思 厂子地址吗": the question was not understood
        return Problem("confused")
    if f.parser == "phone" and _WECHAT_ONLY.search(text) and not nz.parse_phone(text):
        return Answer({f.name: "", "wechat_only": True})  # "不给 就在微信上联系不行吗"
    if SKIP_WORDS.match(text) or _all_skips(text):
        if f.parser == "yes_no":  # "不知道" is one of its answers
            return _yes_no(f, text, message)
        if f.name == "monthly_income" and re.match(r"^(没有|没|无|冇|没得|莫得)", text):
            return Answer({f.name: 0})  # asked "没有收入请回复 0", answered 没有
        if f.parser == "employer" and UNKNOWN.match(text):  # not knowing the boss's name is common: staff ask
            return Answer({f.name: "（不知道名字）"})
        if f.name == "amount_owed" and UNKNOWN.match(text):  # often why they write: staff work it out
            return Answer({f.name: "", "amount_unknown": True})
        return Answer({f.name: ""}) if f.optional else Problem("required")
    if f.parser in SHAPED and (corrected := nz.after_correction(text)):  # "一万二 不对 现在是一万"
        answer = PARSERS[f.parser](f, corrected, message)
        if not isinstance(answer, Problem):
            return answer
    return PARSERS[f.parser](f, text, message)


# Parsers whose answers have a shape (a period, an amount, a count, a name, a number): a correction can be told
# apart from a free-text answer by reading it with them.
SHAPED = ("period", "amount", "money", "count", "name", "phone", "id_number", "year")


# "送外卖冇得工地咯", "扫马路哪有厂", "好": no site to name
_NO_SITE = re.compile(r"^(好|嗯|行|对|是|ok|OK)$|(没|冇|无|哪有|不是|没有)(得|啥|什么)?(工地|厂|项目)")


def _text(f: Field, text: str, _m: Inbound) -> Answer | Problem:
    if text.isdigit() and len(text) == 1:  # "1": a choice from an earlier menu, not an answer
        return Answer({f.name: ""}) if f.optional else Problem("too_short")  # optional: nothing to add
    if f.name == "project" and _NO_SITE.search(text):
        return Answer({f.name: ""})
    return Answer({f.name: text[:500]}) if len(text) >= 2 or f.optional else Problem("too_short")


# "我是在工地上摔的 老板不承认" tells what happened; "就是我们村的包工头" still says who
_STORY = re.compile(r"[我俺].{0,12}(摔|伤|砸|干活|做工|打工|上班|被|辞|开除|不承认|不给|不管|不赔|不认)")


_BUSINESS = re.compile(r"店|装饰|装修|建设|建筑|工程|公司|厂|劳务|物业|超市|集团|酒店|餐馆|饭馆|市场|配送|快递|保安|保洁|家政")


# Words that are no name at all: "咋办" where the employer was asked
_NO_NAME = re.compile(r"^(咋办|怎么办|咋整|怎么整|咋弄|怎么弄|啥|什么|干嘛|为什么|在吗|在不在|你好|喂|哦|嗯|好的?|是的?|对|然后呢|"
                      r"具体公司|什么公司|哪个公司|公司|老板|工厂|厂里|厂子)[啊呀吧呢嘛？?！!。.~]*$")
_BOSS_TOO = re.compile(r"老板|包工头|工头|经理|店长|站长|老细")


def _employer(f: Field, text: str, _m: Inbound) -> Answer | Problem:
    if _ON_THE_PAPER.search(text) and not nz.parse_employer(text):  # "你看欠条上有": staff read it off the photo
        return Answer({f.name: nz.bare_person(text) or "（见欠条或照片）"})  # unless the name is said too
    if nz.parse_phone(text):  # "只晓得喊他周哥 电话185…": the boss and how to reach him, for staff
        return Answer({f.name: text[:100]})
    if _NO_NAME.match(text.strip()):
        return Problem("bad_employer")
    if len(text) <= 12 and not re.search(r"\d|[万千百]", text) and not _STORY.search(text):
        return Answer({f.name: text})  # a short answer is the name as the worker knows it: 湘里人家饭店
    found = nz.parse_employer(text)
    if found and len(text) <= 30 and (nz.find_org(text) is None and _BUSINESS.search(text.replace(found, "")) or
                                      _BOSS_TOO.search(text.replace(found, "")) and nz.find_org(text)):
        return Answer({f.name: text})  # "老板叫刘建军 他开的建军装饰", "渝味火锅 光谷店 老板叫邓超": keep both
    if found or (found := nz.with_boss_named(None, text)):
        return Answer({f.name: nz.with_boss_named(found, text)})  # "富民养殖场 场主叫牛富贵": both, for staff
    if len(text) > 8 and _STORY.search(text):  # a story, no name in it: ask for the name (不知道 is an answer)
        return Problem("bad_employer")
    return Answer({f.name: text[:100]}) if 2 <= len(text) <= 100 else Problem("too_short")


# An answer to "where" that tells something else ("老板说下个月给 都说了好几次了") and names no place
_PLACE_WORDS = re.compile(r"[省市区县镇乡村街路巷号楼栋厂园场站港湾桥坝]|工地|小区|广场|大厦|附近|旁边|对面|这边|那边|开发区|新城")
_NOT_A_PLACE = re.compile(r"说|给|欠|钱|工资|没|不|吗|啥|什么|怎么|咋")
_FINDING_OUT = re.compile(r"(我|俺)?(先|去)?问(问|一下|下)[^，。]{0,8}(在)?(哪|什么|啥)|等(会|下|一下)[^，。]{0,6}(问|查|看)")


def _location(f: Field, text: str, _m: Inbound) -> Answer | Problem:
    if _FINDING_OUT.search(text):  # "等会 俺问问工友在哪个乡": the answer is still to come
        return Problem("finding_out")
    if len(text) < 2 or (_NOT_A_PLACE.search(text) and not _PLACE_WORDS.search(text) and not nz.names_place(text)):
        return Problem("bad_location")
    return Answer({f.name: text[:100]})


def _period(f: Field, text: str, message: Inbound) -> Answer | Problem:
    months = nz.parse_period_months(text, message.day)
    if not months or months.value <= 0:
        if _TIME_WORDS.search(text):  # "秋收以后就没给过": a time we cannot count; staff read it as said
            return Answer({"period": text[:60]})
        return Problem("bad_period")
    if (paid := nz.months_paid(text)) and paid < months.value:  # "开春到现在就发了一个月的": the months unpaid
        return Answer({"period": text[:60], "period_months": nz.whole(months.value - paid)})
    return Answer({"period": text[:60], "period_months": months.value})


# "你看照片嘛 欠条上写的有": the amount is on the evidence
_ON_THE_PAPER = re.compile(r"(看|见)(照片|图|欠条|单子)|(欠条|照片|单子|条子)上(写|有)|我算不(清|来|出)|唔识计|不会算|算不清")


def _amount(f: Field, text: str, _m: Inbound) -> Answer | Problem:
    if f.name == "amount_owed" and _ON_THE_PAPER.search(text) and not nz.parse_amount(text):
        return Answer({f.name: "", "amount_unknown": True})
    if _NEGATIVE.search(text):
        return Problem("bad_amount_negative")
    if _HEADS.search(text) or (f.name == "amount_owed" and _DIGIT_CHOICE.match(text)):
        return Problem("bad_amount")  # "4口" counts people; "1" alone is a menu choice, not wages owed
    corrected = nz.after_correction(text)  # "算下来一万七八 不对 一万九左右": the later figure
    amount = (nz.parse_amount(corrected) if corrected else None) or nz.parse_amount(text) or _bare_number(text)
    if amount is None:
        return Problem("bad_amount")
    value = amount.value if isinstance(amount, nz.Amount) else amount
    if value <= 0:
        return Problem("bad_amount_zero")
    if value > 100_000_000:
        return Problem("bad_amount_huge")
    approx = amount.approx if isinstance(amount, nz.Amount) else False
    if f.name != "amount_owed":
        return Answer({f.name: value})
    under = {"amount_under": True} if isinstance(amount, nz.Amount) and amount.under else {}
    return Answer({"amount_owed": value, "amount_approx": approx, **under})


def _money(f: Field, text: str, _m: Inbound) -> Answer | Problem:
    if re.fullmatch(r"(0|零|没有收入|没收入|没有钱|一分没有)[元块]?", text):
        return Answer({f.name: 0})
    if f.name == "monthly_income" and (now := _NOW_AFTER_BEFORE.search(text)) and \
            (current := nz.parse_amount(text[now.end():])):  # "三千是以前 现在就前夫每月给八百抚养费": 800
        return Answer({f.name: current.value})
    if f.name == "monthly_income" and (both := _two_earners(text)):  # "俺一个月两千八 她爹开叉车四千出头"
        return Answer({f.name: both})
    if f.name == "monthly_income" and (income := monthly_income_in(text)):  # "一个月五六千 康复一个月就得三千多"
        return Answer({f.name: income})
    if f.name == "monthly_income" and _VARIES.search(text) and \
            (first := nz.parse_amount(re.split(r"[\s，,。；;]+", text.strip())[0])):
        return Answer({f.name: first.value})  # "四五千吧 好的时候五千 差的时候三千多": what they said first
    found = _amount(f, text, _m)
    if not isinstance(found, Problem) and f.name == "monthly_income" and found.values[f.name] < 100 and \
            not re.search(r"[块元]", text):
        return Problem("income_tiny")  # "仨" at the income: the head count again, or a slip
    if not isinstance(found, Problem):
        if f.name == "monthly_income" and not _PER_MONTH.search(text) and (
                _PER_YEAR.search(text) or found.values[f.name] >= YEARLY_FROM):
            return Answer({f.name: round(found.values[f.name] / 12)})  # "一年挣不到四万", "六七万": a twelfth
        return found
    income = monthly_income_in(text)  # "打零工一个月八百", "没收入 就靠低保"
    return found if income is None else Answer({f.name: income})


YEARLY_FROM = 30_000  # a worker's household asked "一个月收入多少" and answering this much means a year's
_VARIES = re.compile(r"好的时候|差的时候|有时候|有的时候|旺季|淡季|多的时候|少的时候|不一定|不固定")
_EARNER = re.compile(r"^(我|俺|我们|俺们)|^(他爹|她爹|孩子他爹|娃他爹|他爸|她爸|孩子他爸|娃他爸|他妈|她妈|孩子他妈|娃他妈|老公|老婆|媳妇|男人|"
                     r"爱人|对象|儿子|女儿|闺女|他(?!们)|她(?!们))")
_NOW_AFTER_BEFORE = re.compile(r"(?<=以前|之前|原来|过去)[^。]{0,12}?现在|^[^。]{0,12}(以前|之前|原来)[^。]{0,6}现在")


def _two_earners(text: str) -> int | None:
    """A household income told earner by earner: the sum. Each figure counts for the earner named last, in its own
    part of the message or the part before ("我两千二 他偶尔帮人看看门 一个月五六百": 2700)."""
    earned: dict[str, float] = {}
    who = None
    for part in (p for p in re.split(r"[\s，,。；;]+", text) if p):
        if m := _EARNER.match(part):
            who = m.group(0)
        amount = nz.parse_amount(re.sub(r"^.*?(一个月|每个?月|月)", "", part) or part)
        if who and amount and who not in earned:
            earned[who] = amount.value
    return int(sum(earned.values())) if len(earned) >= 2 else None


_EARNERS = re.compile(r"(一个人|自己|我|俺)[^，。,]{0,3}(挣钱|赚钱|挣|赚|上班|干活|打工|养家|养活)")
_SPOUSE = re.compile(r"老婆|媳妇|爱人|老公|男人|对象|老伴|婆娘|堂客|两口子|俩口子|两夫妻|我们夫妻")
_DIED = r"(?:走了|没了|去世|过世|不在了|死了)"  # a family member gone, as people say it
_FAMILY_DIED = re.compile(rf"(爸|妈|爹|娘|老公|男人|丈夫|老婆|媳妇|爱人|儿子|女儿|闺女|哥|弟|姐|妹)[^，。,]{{0,6}}{_DIED}")
_CHILDREN = re.compile(r"(俩|两个?|二个|三个?|仨|四个?|一个)?(娃|孩子|小孩|儿女|儿子|闺女|女儿)")
_SPOUSE_GONE = re.compile(rf"(老婆|媳妇|爱人|老公|男人|对象|老伴|丈夫|孩子他爹|娃他爹|孩子他妈|娃他妈)[^，。,]{{0,6}}"
                          rf"(?:{_DIED}|跑了|离了)|离婚|离了婚|丧偶|前夫|前妻|单亲|一个人带")
_PARENT_GONE = re.compile(rf"(?<![爹爸公])(?:我|俺)?(?:爸|妈|爹|娘)[^，。,]{{0,6}}{_DIED}")
_BOTH_PARENTS = re.compile(r"爹妈|爸妈|父母|公婆|两个老人|俩老人|爹娘")
_ONE_PARENT = re.compile(r"(?<![爹爸公])(我|俺)(妈|娘|爸|爹)|老娘|老母亲|老父亲|婆婆|公公")


def family_named_in(text: str) -> int | None:
    """The family a story names, the worker included: "老婆瘫在床上 俩娃上学" -> 4; None unless it names a
    spouse or children (the household)."""
    mentions = list(_CHILDREN.finditer(text))
    counted = sum(int(nz.cn_number(m.group(1).rstrip("个")) or 1) for m in mentions if m.group(1))
    named = {m.group(2) for m in mentions if not m.group(1) and m.group(2) in ("儿子", "闺女", "女儿")}
    # "两个娃 … 娃小的有哮喘": a child said again is the same child
    kids = counted or len(named) or (1 if mentions else 0)
    parents = 2 if _BOTH_PARENTS.search(text) else len(_ONE_PARENT.findall(text))
    parents -= len(_PARENT_GONE.findall(text)) if parents else 0  # "我爸前天走了": no longer in the household
    spouse = bool(_SPOUSE.search(text)) and not _SPOUSE_GONE.search(text)  # "我男人上个月走了", "离婚了"
    if not (spouse or kids):  # "我妈瘫痪了": a wife or children may still be unsaid
        return None
    return 1 + spouse + min(kids, 6) + min(parents, 4)


def family_size_in(text: str) -> int | None:
    """家里4口, 一家三口: the number of family members, if the text says it that way; the last one said counts
    ("四口 还有我妈 五口")."""
    said = [size for m in _MOUTHS.finditer(text) if (size := nz.cn_number(m.group(1)))]
    return int(said[-1]) if said else None


def monthly_income_in(text: str) -> float | None:
    """一个月就我挣一千五 -> 1500, 没收入 -> 0: a monthly income stated as such, if any."""
    if _NO_INCOME.search(text) and re.search(r"(之前|以前|原来|过去|本来)[^，,。]{0,3}(一个月|每个?月|一月)", text):
        return 0  # "现在没收入 … 之前一个月四五千": what comes in now
    if (rate := _PER_MONTH.search(text)) and (value := nz.cn_number(rate.group(1)) or (
            amount.value if (amount := nz.parse_amount(rate.group(1))) else None)):  # 五六千: the lower bound
        return int(value) if value == int(value) else value
    return 0 if _NO_INCOME.search(text) else None


def _count(f: Field, text: str, _m: Inbound) -> Answer | Problem:
    if f.name == "family_size" and _EARNERS.search(text) and family_size_in(text) is None:
        return Problem("count_family")  # "就俺一个人挣钱": who earns, not how many they are
    if re.search(r"[万千]", text) and not nz.parse_workers(text) and not family_size_in(text):
        return Problem("bad_count")  # "两万六千八" at the head count is money, not 26800 people
    if (size := family_size_in(text)) is not None:
        return Answer({f.name: size}) if 1 <= size <= 30 else Problem("bad_count")
    if _JUST_ME.fullmatch(text) or re.match(r"^(1|一)?\s*(个|人)?[\s，,]*(就|只有|只)(我|俺)(自己|一个人?)?(?![们和跟])",
                                            text):
        return Answer({f.name: 1})  # "就我自己 另外一个师傅他给结了", "1 就我"
    if f.name == "family_size" and (named := family_named_in(text)) and named > 2:
        return Answer({f.name: named})  # "我们两口子 俩娃 还有他老娘": 5
    if re.search(r"(兄弟|姐妹|夫妻|娘|爷|哥)俩|两口子|俺俩|我俩|我们俩|俺们俩", text) and not re.search(r"\d|[三四五六七八九十百]", text):
        return Answer({f.name: 2})
    plain = re.sub(r"^.*?(大概|大约|差不多|估计|应该有|得有|具体|起码|至少)|[吧啊呀的吧]+$", "", text.strip())
    found = nz.parse_workers(text) or nz.parse_workers(re.sub(r"(个|号|位|名)$", r"\1人", plain))  # 十几个 = 十几个人
    if not found and (lead := _LEADING_COUNT.match(text)):  # "三个 厨房两个加我": the number said first
        found = nz.parse_workers(lead.group(1) + "人")
    if not found and (told := _COUNT_TOLD.search(text)):  # "后厨前厅加起来八个 都没拿到", "那就写1吧"
        found = nz.parse_workers(told.group(1) + "人") or (nz.Count(int(v), False) if (v := nz.cn_number(told.group(1)))
                                                          and v == int(v) else None)
    value = found.value if found else _bare_number(text)
    if value is None or value != int(value) or not 1 <= value <= 100_000:
        return Problem("bad_count")
    if f.name == "workers_affected" and found and found.approx:  # 十几个: at least 10, said back as 10多人
        return Answer({f.name: int(value), "workers_approx": True})
    return Answer({f.name: int(value)})


# A head count said inside a sentence: "加起来八个", "一共十二个", "那就写1吧"
_COUNT_TOLD = re.compile(r"(?:加起来|一共|总共|合计|写|填|算)\s*(\d+|[一二两三四五六七八九十几百]+)\s*(?:个|号|位|名)?(?:人)?\s*(?:吧|啊|呀|了)?(?![\d月天年号钟块元万千])")


_CONTACT = re.compile(r"(电话|手机|号码|手机号|电话号码|身份证号?)?\s*[:：是]?\s*\+?[\d\-—\s]{7,}[\dXx]")


def _name(f: Field, text: str, _m: Inbound) -> Answer | Problem:
    text = _CONTACT.sub(" ", text).strip() or text  # "李琼芬 电话15887023419": the phone is kept by sure_values
    # a full name, else 王师傅 / 老王 (staff ask on the phone), else a name as people have them (孙二娃, 买买提)
    found = nz.parse_name(text) or nz.parse_address(text) or nz.name_as_answered(text)
    return Answer({f.name: found}) if found else Problem("bad_name")


# No phone for staff: they answer in WeChat instead ("不给 就在微信上联系不行吗", "不想留电话")
_WECHAT_ONLY = re.compile(r"微信(上)?(联系|说|聊|找|回)|不(想|愿意|方便|能)?(留|给)(你们?)?(电话|手机|号码)?$|不(想|愿意|方便)留|"
                          r"不给(电话|手机|号码)|不留(电话|手机|号码)|没(有)?手机|手机(坏|丢|没)了")


def _phone(f: Field, text: str, _m: Inbound) -> Answer | Problem:
    found = nz.parse_phone(text)
    tail = re.sub(r"\D", "", nz.spoken_digits(nz.after_correction(text) or ""))
    if found and 3 <= len(tail) <= 8 and not nz.parse_phone(nz.after_correction(text) or ""):
        found = found[:-len(tail)] + tail  # "一五九 幺零二三 八八四六 不对不对 是八八四七": the end corrected
    if found:
        return Answer({f.name: found})
    return Problem(f"bad_phone_{nz.phone_problem(text) or 'unreadable'}")


def _id_number(f: Field, text: str, _m: Inbound) -> Answer | Problem:
    found = nz.parse_id_number(text)
    if found:
        return Answer({f.name: found})
    return Problem(f"bad_id_{nz.id_problem(text) or 'unreadable'}")


def named_choice(f: Field, text: str) -> str | None:
    """The option of choice field ``f`` that ``text`` names in words (not by number), if any. A death in the
    family comes first: "我爸前天走了 心梗" is the family's loss before it is an illness."""
    if "家人去世或出事" in f.choices and _FAMILY_DIED.search(text):
        return "家人去世或出事"
    return next((option for option in f.choices
                 if option in text or any(word in text for word in CHOICE_SYNONYMS.get(option, []))), None)


def _choice(f: Field, text: str, _m: Inbound) -> Answer | Problem:
    digit = _DIGIT_CHOICE.match(text)
    if digit and int(digit.group(1)) <= len(f.choices):
        return Answer({f.name: f.choices[int(digit.group(1)) - 1]})
    if (lead := LEADING_CHOICE.match(text)) and int(lead[1]) <= len(f.choices):  # "3 被开了", "5 他说我操作不当"
        return Answer({f.name: f.choices[int(lead[1]) - 1], f"{f.name}_detail": lead[2][:200]})
    if option := named_choice(f, text):
        return Answer({f.name: option})
    if f.name == "school_level" and re.search(r"小学|初中|初一|初二|初三|幼儿园|[一二三四五六]年级", text):
        return Problem("school_not_covered")  # 金秋助学 is for those going on to high school or beyond
    if "其他" in f.choices and len(re.findall(r"[\u4e00-\u9fff]", text)) >= 4:  # a description that fits no option
        return Answer({f.name: "其他", f"{f.name}_detail": text[:200]})
    return Problem("bad_choice")


# Said anywhere in a longer answer: "啥子是会员哦 我也不晓得", "交过 刚才说了", "以前有 现在不知道还算不算"
_UNKNOWN_IN = re.compile(r"不知道|不晓得|晓不得|不清楚|不确定|搞不清|说不清|不记得|唔知|唔清楚")
_YES_IN = re.compile(r"交过|交了|参加了|参加过|入了|是会员|有会员|办过|买了|有的")


def _yes_no(f: Field, text: str, _m: Inbound) -> Answer | Problem:
    for pattern, value in ((UNKNOWN, "不知道"), (NO, "否"), (YES, "是")):
        if pattern.match(text):
            return Answer({f.name: value})
    if _UNKNOWN_IN.search(text):
        return Answer({f.name: "不知道"})
    if _YES_IN.search(text) and not re.search(r"没|不是|未", text):
        return Answer({f.name: "是"})
    return Problem("bad_yes_no")


def _year(f: Field, text: str, message: Inbound) -> Answer | Problem:
    now = (message.day or datetime.fromtimestamp(0, timezone.utc).date()).year
    relative = {"今年": now, "明年": now + 1, "去年": now - 1}
    for word, year in relative.items():
        if word in text:
            return Answer({f.name: year})
    found = _YEAR.search(nz.spoken_digits(text))
    if found:
        return Answer({f.name: int(found.group(1))})
    if short := re.fullmatch(r"\s*(\d{2})年?(的)?\s*", nz.spoken_digits(text)):  # 二五年 / 25年: 2025
        year = 2000 + int(short.group(1))
        if now - 10 <= year <= now + 1:
            return Answer({f.name: year})
    return Answer({f.name: now}) if _THIS_TERM.search(text) else Problem("bad_year")


def _bare_number(text: str) -> float | None:
    """A reply that is just a number: "4", "四", "4口人", "8000元"."""
    core = re.sub(r"[个口人块元钱号位名\s,，。.!！]+$", "", text.strip())
    core = core.replace(",", "").replace("，", "")
    return nz.cn_number(core) if core else None


PARSERS: dict[str, Callable[[Field, str, Inbound], Answer | Problem]] = {
    "text": _text, "employer": _employer, "location": _location, "period": _period, "amount": _amount,
    "money": _money, "count": _count, "name": _name, "phone": _phone, "id_number": _id_number,
    "choice": _choice, "yes_no": _yes_no, "year": _year,
}


def sure_values(text: str) -> dict[str, Any]:
    """Values that are unmistakable in any reply (a mobile or ID number), for filling ahead."""
    values: dict[str, Any] = {}
    if phone := nz.parse_own_phone(text):  # not the boss's number given with the boss
        values["phone"] = phone
    if id_number := nz.parse_id_number(text):
        values["id_number"] = id_number
    return values
