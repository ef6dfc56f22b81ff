"""Intent router: accuracy on the dev and holdout sets, short messages, typos, crisis."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

from handlers import router
from handlers.data import train_router

DEV_FILE = Path("/work/shared/devset/intents.jsonl")
HOLDOUT_FILE = Path(__file__).with_name("data") / "router_holdout.jsonl"
# Blind sets written before tuning: blind_* (200 intents) was scored first (0.965) and then
# its errors were analysed by class, so it is no longer blind; blind2_* (90 intents) was
# written after the fixes and scored once (0.944), then its error classes were fixed (1.00 after);
# blind3_* (100 intents, 25 faq topics) was written before the blind2 fixes and scored once: 0.96
# (96/100; 93/97 = 0.959 on the items not already in the training data: 3 such items were then
# replaced by fresh ones, scored after tuning), then its 4 misses were fixed by class (1.00 after).
# None may appear in the training data.
BLIND_FILE = Path(__file__).with_name("data") / "blind_intents.jsonl"
BLIND2_FILE = Path(__file__).with_name("data") / "blind2_intents.jsonl"
BLIND3_FILE = Path(__file__).with_name("data") / "blind3_intents.jsonl"
BLIND4_FILE = Path(__file__).with_name("data") / "blind4_intents.jsonl"
# Crisis blind sets, 10 positives + 10 negatives each, each written before the patterns were changed for it:
# blind5 scored 3/10 recall, 0/10 false alarms (1.00 after fixing its classes with pattern families);
# blind6, written after those fixes: 6/10, 0/10 (5/10 with the older patterns; one item relabelled after
# scoring: a worker collapsed from heatstroke needs 120 now); blind7, written after the blind6 fixes: 6/10,
# 0/10 (5/10 with the patterns before this round); blind8 (15 + 15, written by a helper who never saw the
# code or the patterns, after the blind7 fixes): 11/15, 0/15 false alarms. All 1.00 after fixing, so none is
# blind any more.
CRISIS_FILES = [Path(__file__).with_name("data") / f"{name}_crisis.jsonl"
                for name in ("blind", "blind2", "blind5", "blind6", "blind7", "blind8")]
BLIND5_FILE = Path(__file__).with_name("data") / "blind5_intents.jsonl"
BLIND6_FILE = Path(__file__).with_name("data") / "blind6_intents.jsonl"
BLIND7_FILE = Path(__file__).with_name("data") / "blind7_intents.jsonl"
DEV_FLOOR = 0.97  # measured 0.995 on the 200 dev items
HOLDOUT_FLOOR = 0.95  # measured 0.99 on the 128 holdout items
BLIND_FLOOR = 0.96  # 0.965 before the fixes, 1.00 after (tuned on its error classes)
BLIND2_FLOOR = 0.96  # 0.944 (85/90) scored once; 1.00 after fixing its error classes (no longer blind)
BLIND3_FLOOR = 0.95  # 0.96 (96/100) scored once before tuning; 1.00 after fixing its error classes
CRISIS_RECALL_FLOOR = 0.95  # blind 25/25 after fixes (14/25 before); blind2 9/10 when scored once
CRISIS_FALSE_POSITIVE_CEILING = 0.05  # blind 0/26 (1/26 before); blind2 1/10 ("想死你们了", an idiom)


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _accuracy(rows: list[dict]) -> float:
    return sum(router.route(r["text"]).intent in [r["intent"], *r.get("also", [])] for r in rows) / len(rows)


def _training_texts() -> list[str]:
    raw = yaml.safe_load(train_router.TRAINING_FILE.read_text(encoding="utf-8"))
    return [t for section in ("intents", "faq") for texts in raw[section].values() for t in texts]


def _key(text: str) -> str:
    return re.sub(r"\W", "", text)


@pytest.mark.skipif(not DEV_FILE.exists(), reason="public dev set not on this machine")
def test_dev_set_accuracy() -> None:
    accuracy = _accuracy(_rows(DEV_FILE))
    print(f"dev intent accuracy {accuracy:.3f}")
    assert accuracy >= DEV_FLOOR


def test_holdout_accuracy() -> None:
    rows = _rows(HOLDOUT_FILE)
    assert len(rows) >= 60
    accuracy = _accuracy(rows)
    print(f"holdout intent accuracy {accuracy:.3f}")
    assert accuracy >= HOLDOUT_FLOOR


@pytest.mark.parametrize(("path", "floor"), [(BLIND_FILE, BLIND_FLOOR), (BLIND2_FILE, BLIND2_FLOOR),
                                            (BLIND3_FILE, BLIND3_FLOOR)],
                         ids=["blind", "blind2", "blind3"])
def test_blind_set_accuracy(path: Path, floor: float) -> None:
    rows = _rows(path)
    assert len(rows) >= 80
    accuracy = _accuracy(rows)
    print(f"{path.name} intent accuracy {accuracy:.3f}")
    assert accuracy >= floor


def test_blind4_accuracy() -> None:
    """26 messages written on 2026-11-30 before running the router on them: 24/26 (the misses are arguable:
    金秋助学今年啥时候报名 -> faq, 老板逼我签辞职信 不签就不给最后一个月工资 -> wage_arrears). Not tuned on."""
    rows = _rows(BLIND4_FILE)
    assert len(rows) == 26 and _accuracy(rows) >= 0.88


def test_blind5_accuracy() -> None:
    """25 messages written on 2026-11-30 (session 3) before running the router on them: 23/25. The misses:
    老婆得了尿毒症…家里撑不住了 -> hardship_aid (因病致困 is a hardship case too), 公司让我签自愿放弃社保的协议
    -> legal_aid (the FAQ would answer at once). Not tuned on."""
    rows = _rows(BLIND5_FILE)
    assert len(rows) == 25 and _accuracy(rows) >= 0.88


def test_blind6_accuracy() -> None:
    """25 short, typo-laden messages written after the blind5 fixes, scored once: 22/25. Fixed since by class
    (so no longer blind): a plain statement routed to a FAQ topic about the case itself is that case
    (包工头卷钱跑路了); 24/25 after that and four new wage sentences. Still missed: 大学生助学金怎么领 -> faq (its
    answer offers 助学). 我得了白血病 没钱治 now ranks medical first but at 0.33, so the worker is asked to pick."""
    rows = _rows(BLIND6_FILE)
    assert len(rows) == 25 and _accuracy(rows) >= 0.92


def test_blind7_accuracy() -> None:
    """80 messages (the README's mix) written by a helper who never saw the code or the data, scored once and
    not tuned on: 78/80. Both misses ask what an aid needs (建档困难职工要啥条件, 助学金要准备啥材料) and get the
    FAQ answer, which ends with how to apply."""
    rows = _rows(BLIND7_FILE)
    assert len(rows) == 80 and _accuracy(rows) >= 0.95


def test_blind_sets_cover_every_faq_topic() -> None:
    for path in (BLIND_FILE, BLIND2_FILE):
        assert len({r["faq"] for r in _rows(path) if r["intent"] == "faq"}) == 32


@pytest.mark.skipif(not DEV_FILE.exists(), reason="public dev set not on this machine")
def test_training_data_does_not_contain_evaluation_sentences() -> None:
    evaluation = {_key(r["text"]) for path in (DEV_FILE, DEV_FILE.with_name("faq.jsonl"), HOLDOUT_FILE,
                                               BLIND_FILE, BLIND2_FILE, BLIND3_FILE, BLIND4_FILE, BLIND5_FILE,
                                               BLIND6_FILE, BLIND7_FILE)
                  for r in _rows(path)}
    assert [t for t in _training_texts() if _key(t) in evaluation] == []


def test_model_is_built_from_the_current_data_files() -> None:
    shipped = json.loads(router.MODEL_FILE.read_text(encoding="utf-8"))["source_sha256"]
    assert shipped == train_router.source_digest(), "run handlers/data/train_router.py"


@pytest.mark.parametrize(("text", "intent"), [
    ("欠薪", "wage_arrears"),
    ("工资没发", "wage_arrears"),
    ("人工", "human"),
    ("转人工", "human"),
    ("找客服", "human"),
    ("查询", "status_query"),
    ("查询进度", "status_query"),
    ("你好", "greeting"),
    ("谢谢", "greeting"),
    ("在吗？", "greeting"),
    ("金秋助学", "education_aid"),
    ("法律援助", "legal_aid"),
])
def test_short_messages(text: str, intent: str) -> None:
    assert router.route(text).intent == intent


@pytest.mark.parametrize(("text", "intent"), [
    ("工姿被托欠三个月了", "wage_arrears"),
    ("老版不发公资", "wage_arrears"),
    ("加般费怎么算", "faq"),
    ("劳动仲栽要交钱吗", "faq"),
    ("现在的最底工资是多少", "faq"),
    ("在厂里受了工商 老板不管 我想告他", "legal_aid"),
    ("老细两个月冇出粮 点算好", "wage_arrears"),
    ("我系广西来嘅 喺工地做嘢 判头走佬咗", "wage_arrears"),  # 判头 = contractor, 做嘢 = work, 我系 = 我是
    ("佢欠我哋人工唔畀", "wage_arrears"),
])
def test_typos_and_dialect(text: str, intent: str) -> None:
    assert router.route(text).intent == intent


@pytest.mark.parametrize(("general", "personal", "case_intent"), [
    ("加班费按几倍算", "老板欠我三个月加班费不给", "wage_arrears"),
    ("包工头跑了 法律上谁来付工资", "包工头跑了 我们十个人的工钱没拿到", "wage_arrears"),
    ("被辞退的经济补偿怎么算", "公司无故把我开除了 一分补偿不给 我要仲裁", "legal_aid"),
    ("金秋助学的条件是什么", "俺娃考上大学了 学费交不起", "education_aid"),
    ("医疗互助报销比例是多少", "我住院花了三万 想申请医疗互助", "medical_aid"),
    ("困难职工帮扶需要满足啥条件", "失业半年了 家里揭不开锅 求帮扶", "hardship_aid"),
])
def test_general_question_vs_personal_problem(general: str, personal: str, case_intent: str) -> None:
    assert router.route(general).intent == "faq"
    assert router.route(personal).intent == case_intent


def test_routing_fields() -> None:
    faq = router.route("法定节假日加班工资是几倍")
    assert (faq.intent, faq.faq) == ("faq", "holiday_work")
    case = router.route("包工头欠我两万块跑了")
    assert case.faq is None and case.confidence >= 0.5
    assert 0 < len(case.alternatives) <= router.MAX_ALTERNATIVES
    scores = [score for _, score in case.alternatives]
    assert scores == sorted(scores, reverse=True) and case.intent not in dict(case.alternatives)
    assert router.route("  ").confidence < 0.5


def test_faq_topic_falls_back_to_own_model_without_handlers_faq(monkeypatch: pytest.MonkeyPatch) -> None:
    import handlers

    monkeypatch.delattr(handlers, "faq", raising=False)
    monkeypatch.setitem(sys.modules, "handlers.faq", None)  # import raises ImportError
    assert router.route("加班费是怎么算的").faq == "overtime_pay"


@pytest.mark.parametrize("text", [
    "不想活了", "实在活不下去了", "我现在在塔吊上 不给钱我不下来", "爬上楼顶要跳下去",
    "老板再不给钱我就从楼上跳下去", "想喝农药死了算了", "工友喝了敌敌畏", "有个老乡想轻生",
    "他说要自杀", "我要和他同归于尽", "我们被包工头叫来的人打了", "被保安打伤了 在医院",
    "工友被关起来了 不让出去", "人被锁在厂里出不来", "真想一死了之",
    "我老公打我", "工地上有人打我", "老板动手打我们", "包工头天天打我", "他们又打了我", "老公喝醉了就打我",
    # session 3: pattern families
    "他们把我按在地上打", "厂长抽了我一耳光", "工头叫了一帮人来打我们", "老板扬言要找人收拾我",
    "我站在塔吊上 不给钱就不下来", "不给工资我就跳下去", "被主管踢了几脚", "他拿刀追着砍",
    "我被关在厂里三天了 不让出门", "老板的人把我兄弟打晕了", "工友从架子上摔下来 昏迷了",
    # a safety probe's misses: plans and goodbyes, poison opened, the edge, locked in, heatstroke
    "我不打算活了", "我把一瓶百草枯带到他办公室门口了 就喝给他看", "我喝了一口 肚子好痛", "我以后用不着了",
    "想睡个长觉", "信我都写好了 放在枕头底下", "我可能中暑了 快不行了", "老板把我锁在包间里 在踹门",
    "我坐在楼顶边上 腿伸出去了", "工友从架子上摔下来 叫也不答应", "他们现在带人来打我们了",
    # the twelfth round's misses: bleeding or kept from a doctor, 喝药, threats and being kept in, Cantonese
    "俺手叫机器轧了 流好多血 老板不让去医院 说去了就不给报 咋弄啊", "手被机器压了 一直流血 老板不让我去医院",
    "腿断了 老板不给看病", "受伤了老板不给送医院", "我还在流血呢 问这些弄啥 到底能不能去医院",
    "欠了我八万 我准备今晚去他家门口喝药", "实在不行我就去喝药",
    "老板喊了几个社会上的人来工地 说哪个再来要钱就打断哪个的腿 我们好怕哦",
    "他们现在还在工地门口 拿起棍棍 我们出不去", "包工头带人把我们宿舍门堵了 不让出去", "他们把我身份证扣了 不给走",
    "昨天讨薪被保安推倒了 现在腰疼得起不来", "老细揾咗几个古惑仔嚟 话再嚟问就打我", "份人工攞唔返 真系唔想生存落去",
    "工会的法律原助管不管离婚的事 我老公天天喝酒打我 我想离 没钱请律师", "昨晚又打了 我现在躲在厂宿舍 不敢回去",
    # the thirteenth round's misses, written to be new: a death hushed up, hurt and unable to move, kept in,
    # weapons and threats in dialect, wanting to sleep and not wake, a bare cry for help, drunk at home
    "工地死人了 老板瞒着不报", "有个工友干活摔死了 老板叫我们别往外说", "厂里出了人命 老板要私了 让我们封口",
    "不是要工资的事 是死人了 老板捂着不让说", "手叫切割机豁了个大口子 一直往外渗 老板不让上医院 说贴个创可贴就行",
    "血还在流 我现在咋办 要不要自己去医院 钱谁出", "我在公低上 率下来了 腿懂不了 老板不关 躺这半天了",
    "我起不来了 帮我叫救护车", "从架子上掉下来了 腿动不了", "工地上摔下来了 腰动不了 工头说别打120",
    "俺们十来个人叫工头锁板房里了 门外头拿铁丝拧死了 说不签那个结清单子就不放人 手机快没电了",
    "你先别问这个了 俺们出不去啊 门打不开", "老板不让我们走 门口有人守着 手机也收了", "几个纹身的堵着工棚门 不让我们出去买饭",
    "包工头他小舅子拎着砍刀在宿舍楼下转悠 说见我一次砍一次", "佢哋揸住刀喺门口等我 我唔敢出去",
    "老板喊了几个人把我锤了一顿 脑壳现在还嗡嗡的", "说我再去劳动局告他就卸我一条腿 我老婆孩子吓得不敢出门",
    "老板放话了 再去劳动局闹就找人弄我家里人", "俺家那口子拿菜刀比划 说要跟俺同归于尽",
    "两年的血汗钱要不回来 家里老娘等着钱做手术 我真不想活了 今晚就去大桥上站着 看他给不给",
    "干了一年 一分没给 这日子熬不下去了 想睡过去就不醒了", "救救我", "快来人啊", "SOS",
    "他又喝多了 我领着孩子不敢回屋 在超市门口坐着呢", "老公天天动手 工资卡也被他抢了 我在厂里上班 工会能管这个不",
    # the fourteenth round's misses (70 danger messages in new words, 37 caught before these)
    "帮我跟我媳妇说声对不起 这辈子没让她过上好日子 以后娃就靠她了", "我现在在黄河大桥上边 风好大 钱要不回来我也不回去了",
    "安眠药攒了三十几颗了 够不够", "工友们 这是我最后一条消息了 欠我的八千块帮我要回来给我妈",
    "我站在24楼脚手架边上 往下看就想松手", "干脆死在他办公室门口 看他给不给钱", "老板说知道我娃在哪个学校上学 让我小心点",
    "手机被他们收了 我是借工友的手机发的 他们不让我们回家", "我腿被钢筋砸了 站不起来 骨头好像露出来了",
    "有人触电了 还趴在那电线上", "被开水烫了一大片 皮都掉了 疼死了", "锅炉炸了 好几个人烧伤了", "搅拌机把他胳膊卷进去了",
    "有人掉进化粪池了 下去救的也没上来", "头被砸了一下 一直吐 晕乎乎的", "工友摔伤了 领班不让打120 说自己开车送",
    "脚肿得跟馒头一样 走不了路 老板说不干活就扣钱 不准请假看病", "化学药水溅到眼睛里了 看不清东西 主管说用水冲冲接着干",
    "他又动手了 我脸都肿了 不敢报警 怕他更狠", "他们半夜把人拉走了 说给家属二十万私了 让我们别乱讲",
    "我老表在工地上出事没了 老板非说他是喝酒摔死的 不认工伤 监控也不让看 人还在太平间",
    "刚才他带人来了 把我摁墙上打 鼻子一直淌血", "算了 不想填了 反正我也活不长了 今晚就去河边",
    "等下 刚才架子塌了 我压底下了腿出不来", "他们要关我们进小黑屋 快来", "工友刚从吊篮上摔下去了 不会动了 咋办",
    # the fifteenth round's misses (54 danger messages in new words on the final version: 32 caught before these)
    "帮我跟我闺女说爸爸对不住她 以后不用找我了", "这是最后一次找你们了 我把东西都分给工友了 再见", "刚喝了半瓶敌敌畏 肚子好难受",
    "想一觉睡过去再也不醒 吃多少片安定能行", "我不想或了 真的 没人管我们这些人", "老板的人跑到我老家去了 说要找我媳妇孩子麻烦 让我撤诉",
    "那瘪犊子带人给我一顿削 牙都掉俩 还说明天接着来", "厂里把身份证收走了 说干满一年才还 想走都走不了",
    "中介把身份证银行卡都扣了 在黑厂干活 出不去", "老板说不干满三个月不准离开 门口有狗有人守着",
    "说我们欠他路费 要干活抵债 不让出这个院子", "被钢筋砸到背了 下半身没感觉了", "快来人啊 楼板塌了 压住两个人",
    "切割机把大腿割开一个大口子 血喷出来了", "煤气漏了 宿舍里好几个人头晕恶心", "在罐子里清洗 有人晕在里面了 拉不出来",
    "我兄弟遭车撞了 躺起不动 老板喊莫打120", "手指头砸断了 老板说自己去诊所包一下就行 不给报不让去医院",
    "我烫伤化脓好几天了 老板不给钱看病 现在还发烧", "工友掉进搅拌机里没了 老板给我们每人发五百封口费",
    "矿上出事埋了三个人 上面说不能报 还要接着干", "我哥在厂里死了 厂里说是他自己病死的 尸体不让我们看 急着火化",
    "吃了一整瓶安眠药",
    # the sixteenth round's misses (42 danger messages in new words: 26 caught before these)
    "宿舍一股臭鸡蛋味 好几个人头晕想吐 是不是漏气了", "工友被电打了 趴地上不动弹 闸还没拉", "人都不动了 你们倒是说话啊 咋弄",
    "活着没啥意思了 钱要不回来娃学费也没着落 棚里还有半瓶百草枯", "要债的今天把我拖上面包车了 我在车上偷偷发的 不知道拉哪去",
    "压在钢筋底下了 腿拔不出来 工友在搬", "送外卖让车撞了 腿好像断了 躺马路上起不来",
    "车间味道冲得很 好几个人吐了 眼睛睁不开 主任叫接着干", "不想拖累屋里了 保险单放枕头底下了 就这样吧",
    "我老婆怀了八个月 在车间肚子疼下面出血 组长不让走", "困电梯里一个多钟头了 喊了没人应", "工地着火了 我们在三楼 楼梯下不去",
    "我娃十五岁在厂里干活 手被冲床压了 老板把他藏起来不让我见", "刀都磨好了 明天去老板屋里 大不了一起死", "我是说真的 我要去砍他",
    "钉子扎穿脚了 还在上面 不敢拔", "三天没吃饭了 身上一分钱没有 饿得发昏 在桥洞下面", "脚手架塌了 砸了好几个人 有一个没气了",
    "快点 人不行了",
    # the seventeenth round's misses (47 danger messages in new words on the version above: 35 caught before these)
    "脚手架整片倒了 底下压了两三个人 有一个没声了", "硫酸溅手上和脸上了 火辣辣的 眼睛也进了点",
    "高速上追尾了 驾驶室挤扁了 我腿卡住出不来", "俺怀着娃呢 老板还叫搬箱子 刚才见红了 肚子一阵一阵发紧",
    "催债的天天堵厂门口 今天说要去老家找我娃 还发了我娃学校的照片", "电动车和工具我都送给工友了 反正以后也用不上了",
    "活着太累了 天天都想一觉睡过去别醒了", "我站在江边上了 想了好久 这辈子太没意思了",
    "汽油我都买好了 明天去工地把老板的车点了", "被撵出宿舍了 带俩娃在桥洞底下 晚上冻得不行",
    "俺哥从房顶上出溜下来了 摔得不轻 叫他也不应", "我头好晕 想吐 心跳得厉害 大太阳底下干了一天 现在站都站不住",
    # quiet goodbyes in more words
    "爸妈 下辈子再孝顺你们吧", "这一走就是永别了 保重", "我死了以后 欠我的钱打给我老婆", "再也不用受罪了 明天就解脱",
    "没脸回家过年了 活着也是受罪", "实在撑不住了 真的",
    # the nineteenth round's misses (56 danger messages in new words on the version above: 35 caught before these)
    "钱要不回来 我现在就在楼顶上",
    "我说我在楼顶 不想下去了",
    "喂我们老乡下到那个污水井里头去干活了下去半天没上来喊也不答应另外一个说要下去拉他",
    "我是被中介骗到这个厂的 不让走 不听话就打 工钱一分没有",
    "这个月的工钱要回来了就直接打给我爸妈吧 我就不在了",
    "我姐夫说我要是不把工钱都给他 就把我孩子带走卖了 他现在就在我家",
    "俺的手被冲床压住了拔不出来 咋整啊",
    "俺媳妇要生了 羊水破了 工棚这边离镇上远没车",
    "我就是家里的累赘 没有我他们会过得好一点",
    "帮我跟我闺女说一声 爸爸对不起她",
    "活着太累了 想睡一觉就别醒了",
    "喂喂那个我跟你说我们这边塔吊倒了压了人了好几个呢现在乱成一锅粥了咋办啊",
    "我哋厂有个师傅俾机器卷咗只手入去 好多血 点算啊",
    "我家娃把厂里带回来的清洗剂喝了一口 现在吐",
    "眼睛里溅进去硫酸了 火辣辣的疼睁不开",
    "出租屋煤气罐漏气了 屋里全是味 我要不要开灯看看",
    "在果园干活被蛇咬了 腿肿的老粗了",
    "我跟孩子在车里睡了半个月了 天冷 孩子烧到四十度 没钱看病",
    "喂我在高速服务区呢车上那个司机老乡好像心脏病犯了捂着胸口一直出汗说不出话来",
    "从梯子上摔下来了 腿肯定断了 疼得动不了 工地就我一个人",
    "俺们矿上冒顶了 里头还有三个人没出来",
    "这是最后一次找你们了 以后不会再麻烦任何人了",
    "冷库门从里面打不开 我被关里头了 好冷 手机就剩一格电", "我朋友说要去跳河 刚给我发了个再见 现在电话打不通",
])
def test_crisis_positives(text: str) -> None:
    assert router.is_crisis(text)


@pytest.mark.parametrize("text", [
    "被打工的老板骗了", "打了电话没人接", "打官司要多少钱", "我打工十年了", "不想干了 想辞职",
    "家里困难 日子过不下去了", "在楼里干活 要工资", "在工地干活被砸伤了", "今天吃了药好多了",
    "塔吊司机工资多少", "上班打卡迟到被扣钱",
    "老板打我卡上了", "工资老板打我微信上了", "他打我电话没接到", "老板打我工资卡里三千", "老板说明天打钱给我们",
    "老板说下周就打我们工资卡里",
    # 打 is also a building trade's verb, and an IOU is "打" too
    "老板叫了几个人来打扫卫生", "被老板叫去打桩", "被工头打了欠条 说年底给", "让我去打混凝土 一天两百",
    "不让我们出去打工", "头破了 在工地摔的", "拖欠工资可以打什么电话投诉", "拼命干活还拿不到钱",
    "老板逃走了 工资没发", "在楼顶上干活 工资不给", "我叫了几个人一起来问工资", "搬砖的时候晕了一下 现在好了",
    "我爸的降压药买好了", "跳楼价甩卖", "我喝了一口水", "坐在江边钓鱼", "我不打算干了",
    "我在喝药调理 胃不好", "感冒了在喝药 能请病假吗", "去年摔伤流了血 现在好了 能报工伤吗", "老板不给报销医药费",
    "不让去医院看病 扣工资合法吗", "被保安推了一下 没事", "老板说再来要钱就打官司", "再不给钱就打12345",
    "身份证被扣了 不给我", "老板不让走 说干满一年才结工资", "我这几个月一直喘不上气 是不是矽肺",
    "老公打我卡上三千", "我老公在工地打工",
    "工钱被包工头砍了一半 说是扣的管理费", "工友说跳楼讨薪的都拿到钱了 是真的吗", "老板说不给钱就跳楼的都是吓唬人的",
    "血汗钱三万", "去年工地上死了个人 听说赔了八十万 工亡一般赔多少", "去年摔了 现在腿动不了 能评残吗",
    "我老公上个月在工地上出事没了 家里没收入 想申请困难帮扶", "大门口有保安守着 进不去厂里要工资", "老板说打死也不给",
    "前年我工友被打了 后来报警处理完了 赔了医药费 现在还想要误工费 能要吗", "打死我也不签这个自愿放弃社保的东西",
    "刷抖音看到有人讨薪爬塔吊 那样有用吗 我可不干那事 就问问正常咋要", "打死我也记不住他全名 就知道叫他李总",
    "上个月被电了一下 现在好了", "烫了个小泡 早好了", "锅炉工一个月多少钱", "炸鸡店老板欠我工资", "对不起 刚才发错了",
    "老板说下辈子再给", "坐车坐晕了", "我是干电工的 工资拖了三个月", "去年工棚着火了 现在没事",
    "眼睛看不清 是不是老花了 能申请帮扶吗", "最后一次问你们 到底管不管", "我在楼上干活 工资不给",
    "新闻上说有个外卖小哥跳楼了 我们送外卖的有没有工伤保险", "抖音上说被打了可以索赔 那被老板骂了能告不",
    "辞职了 老板说要扣一个月工资当违约金 这不是要我的命吗", "以前被工头打过 已经过去一年了 那时候没报警 现在还能告吗",
    "再见", "东西都分好了 明天搬宿舍", "我吃了两片感冒药 能请假吗", "身份证丢了 能申请帮扶吗", "塌了一块墙皮 没伤人",
    "老板让我们干活抵扣借支的钱",
    # alarming words in the sixteenth round's harmless messages, and past events told for a question
    "厂里搞消防演习 喊着火了让跑 演习算加班不", "老板要我的命哦 一个月只休一天 合法吗", "上吊也得喘口气啊 天天加班到十二点",
    "我爸十年前喝农药走的 现在我妈一个人 能申请帮扶吗", "去年被车撞了腿断了 现在好了 能算工伤吗", "电梯坏了天天爬十八楼 物业不修",
    "去年工地着火 烧伤了两个工友 后来赔了吗", "怀孕三个月 老是肚子疼 能请假吗", "我们厂味道很冲 长期干会不会得职业病",
    "被电打过一次 去年的事 能不能算工伤", "饿了一天了 还没发工资 吃饭都没钱", "我跟工友一起死磕老板 要工资",
    "车间烟很大 老板不给口罩 合法吗", "干活手被钉子扎了 现在好了 能报销吗", "饿死了 食堂饭难吃还贵 能投诉不",
    "安全培训说有人触电要先断电 这个对吗 考试要考", "以后用不上这个工牌了 交回去有押金退吗",
    "我叫王芳 我男人叫李德胜 电话打我的就行 13677120458",  # the phone to call, nobody hit
    "我在那个酒店做客房保洁 怀孕五个月了 经理知道以后就说我干不动了让我走人 我想找人帮我打这个官司",  # a lawsuit
    "气得我想打人 哈哈开玩笑的 就是工资算少了八百", "朋友圈有人转讨薪爬塔吊的视频 我们不学那个 正规讨薪咋弄",
    "前几年我想过不活了 现在好多了 就想问问工会有没有心理咨询", "老板说下辈子再给", "我走了以后工资谁帮我领",
    # the twentieth round's ordinary days: past events, words only, wages
    "前几天干活中暑晕了一次 现在好了 厂里说中暑不算工伤 对吗",
    "干活时候流鼻血晕倒过一回 后来查出来是高血压 这个能申请医疗互助不",
    "我弟在外地打工 被老板打了 后来报警了 现在工资也没拿到 我能帮他投诉吗",
    "老板打人 去年打过我一巴掌 我没敢吭声 现在还欠我钱",
    "工头 天天骂人 说要弄死我们 就是嘴上说说 工资压了两个月",
    "救命啊 这个月又白干了 老板一分不给",
    "我想死的心都有了 干了半年一分钱没拿到",
])
def test_crisis_negatives(text: str) -> None:
    assert not router.is_crisis(text)


def test_crisis_blind_sets() -> None:
    rows = [r for path in CRISIS_FILES for r in _rows(path)]
    positives = [r["text"] for r in rows if r["crisis"]]
    negatives = [r["text"] for r in rows if not r["crisis"]]
    missed = [t for t in positives if not router.is_crisis(t)]
    false_alarms = [t for t in negatives if router.is_crisis(t)]
    print(f"crisis recall {1 - len(missed) / len(positives):.3f} missed {missed}; false alarms {false_alarms}")
    assert 1 - len(missed) / len(positives) >= CRISIS_RECALL_FLOOR
    assert len(false_alarms) / len(negatives) <= CRISIS_FALSE_POSITIVE_CEILING


@pytest.mark.parametrize("text", [
    "钱的事", "那个事咋办嘛", "帮帮我", "我想问问", "工资的事", "有个问题",
])
def test_vague_messages_are_not_confident(text: str) -> None:
    assert router.route(text).confidence < 0.5


@pytest.mark.parametrize(("text", "intent"), [
    ("法援", "legal_aid"),  # the FAQ answers tell workers to reply 法援
    ("唔该晒", "greeting"),
    ("厂里动不动罚款 工资被扣掉好几百", "wage_arrears"),
    ("离职了公司压着我的证件不还 不让走", "legal_aid"),
    ("钱都拿到了 谢谢你们", "greeting"),
    ("昨天去厂里讨工资 被门卫撵走了", "wage_arrears"),  # asking for pay and thrown out
    ("想报名今年的金秋助学", "education_aid"),  # signing up is a personal application
    ("每天站十个钟头 礼拜天也不放假 这合法吗", "faq"),  # 钟头 / 放假: working hours rules
    ("投诉之后多久有回复", "faq"),  # general process question, nothing submitted yet
    ("不干了以后工钱多久必须给", "faq"),  # resignation settlement rule
])
def test_error_classes_fixed(text: str, intent: str) -> None:
    assert router.route(text).intent == intent


@pytest.mark.parametrize("text", [
    "老板叫人把我打了一顿", "买了瓶敌敌畏", "想寻短见", "爬到烟囱上要工资", "他们说要弄死我",
    # ninth round: locked in, told without 关起来; threats for tonight
    "老板把宿舍门从外面锁了 我们出不去 身份证也被收了", "救命 佢哋锁住我哋喺宿舍唔俾出去 身份证都收埋咗",
    "晚上他们把宿舍门从外面锁了出不去身份证也被中介收走了我是偷偷拿手机发的",
    "包工头说今晚带人来宿舍收拾我们 我们好怕", "他们说今晚来收拾我们 我们三个都很怕",
])
def test_crisis_classes_fixed(text: str) -> None:
    assert router.is_crisis(text)


@pytest.mark.parametrize("text", ["老板打我电话了", "被关在门外进不去", "每天上到楼顶干活", "累死了", "气死我了",
                                  "去年在工地脚被钢筋砸伤过 流了好多血 现在早好了 就是想问当时没报工伤现在还能补吗",
                                  "钱被锁在账户里出不来", "老板说明天来工地找我们谈", "我怕老板知道了来找我麻烦"])
def test_crisis_idioms_are_not_crisis(text: str) -> None:
    assert not router.is_crisis(text)


@pytest.mark.parametrize("text, kind", [
    ("救命 佢哋锁住我哋喺宿舍唔俾出去 身份证都收埋咗", "violence"),  # 收埋 is "hidden away", nobody is buried
    ("工地塌了 工友被埋在下面了", "medical"),
    ("老板叫人把我打了 头上流血 他们还在外面", "violence"),  # beaten and bleeding: the police first (tenth round)
    ("工友从脚手架上摔下来了 流了好多血", "medical"),
    ("腿断了 老板不给看病", "medical"), ("我准备今晚去他家门口喝药", "self_harm"),
    ("他们把我身份证扣了 不给走", "violence"), ("昨天讨薪被保安推倒了 现在腰疼得起不来", "violence"),
    ("工地死人了 老板瞒着不报", "death_hidden"), ("从架子上掉下来了 腿动不了", "medical"),
    ("两年的血汗钱要不回来 我真不想活了 今晚就去大桥上站着", "self_harm"),  # 血汗钱 is no bleeding
    ("俺家那口子拿菜刀比划 说要跟俺同归于尽", "violence"), ("老板喊了几个人把我锤了一顿 脑壳现在还嗡嗡的", "violence"),
    ("他又喝多了 我领着孩子不敢回屋", "violence"), ("俺们十来个人叫工头锁板房里了 门外头拿铁丝拧死了", "violence"),
    # sixteenth round: fire and lifts (119), no food (the rescue station), a shock is no beating, a weapon made ready,
    # a workmate's overdose (120 for him, not 12356 for the worker)
    ("工地着火了 我们在三楼 楼梯下不去", "hazard"), ("救命 烟越来越大了", "hazard"), ("困电梯里一个多钟头了 喊了没人应", "hazard"),
    ("三天没吃饭了 身上一分钱没有 饿得发昏 在桥洞下面", "stranded"), ("工友被电打了 趴地上不动弹 闸还没拉", "medical"),
    ("刀都磨好了 明天去老板屋里 大不了一起死", "anger"), ("同屋老乡吃了一整瓶安眠药 叫不醒", "medical"),
    ("要债的今天把我拖上面包车了 不知道拉哪去", "violence"),
    # seventeenth round: kept in with a passport taken, poison made ready, a car to be set alight, a crash, an acid splash
    ("雇主不让我出门 护照也扣着 一天干十六个钟头 不给工钱", "violence"),
    ("农药买好了 搁床底下了 等这个月工资打回家我就喝", "self_harm"), ("汽油我都买好了 明天去工地把老板的车点了", "anger"),
    ("高速上追尾了 驾驶室挤扁了 我腿卡住出不来", "medical"), ("硫酸溅手上和脸上了 火辣辣的 眼睛也进了点", "medical"),
    # nineteenth round
    ("冷库门从里面打不开 我被关里头了 好冷", "hazard"), ("我姐夫说要把我孩子带走卖了 他现在就在我家", "violence"),
    ("这个月的工钱要回来了就直接打给我爸妈吧 我就不在了", "self_harm"), ("在果园干活被蛇咬了 腿肿的老粗了", "medical"),
])
def test_crisis_kind(text: str, kind: str) -> None:
    assert router.crisis_kind(text) == kind


def test_router_and_faq_keep_their_jieba_words_private() -> None:
    """faq.py's keyword terms must not change the router's features (and vice versa)."""
    import jieba

    from handlers import faq

    text = "包工头跑了 工伤认定咋办 加班费怎么算"
    before = router.features(text)
    faq.match(text)
    assert router.features(text) == before
    assert "转人工" in router._jieba().FREQ and "转人工" not in jieba.dt.FREQ


@pytest.mark.parametrize("text", [
    "我在工地上摔断了腿 老板不给看病", "干活时手被机器绞了 老板不给赔", "在厂里受伤了 老板让我自己出钱看病",
    "摔伤了 老板不给报医药费",
])
def test_an_injury_the_employer_will_not_pay_for_is_a_legal_case_not_a_wage_claim(text: str) -> None:
    """Written 2026-11-30 after 我在工地上摔断了腿 老板不给看病 was routed to 讨薪; "工伤" is not said."""
    assert router.route(text).intent == "legal_aid"


def test_an_injured_worker_asking_about_reimbursement_is_medical_aid() -> None:
    assert router.route("摔伤住院了 能报销吗").intent == "medical_aid"
