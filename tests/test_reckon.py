"""Policy answers worked out on the worker's own figures, and the one-year limits noticed."""
from datetime import date

import pytest

from handlers import reckon
from tests.test_conversation import Chat

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize("words, wage", [
    ("我月薪四千", (4000, None)),
    ("一个月拿四千五", (4500, None)),
    ("3500一个月", (3500, None)),
    ("每个月工资3800", (3800, None)),
    ("工资5000 年假有几天", (5000, None)),
    ("一天两百", (200 * 21.75, 200)),
    ("我一个月四千 天天干12个钟头", (4000, None)),  # a wage followed by 天天 is still the wage
    ("欠了三个月工资一万二", None),  # a sum owed, not a monthly wage
    ("欠我工资一万二", None),
    ("工资一万二没给", None),
    ("干了三个月", None),
])
def test_monthly_wage(words, wage):
    assert reckon.monthly_wage(words) == wage


@pytest.mark.parametrize("words, months", [
    ("干了4年半", (54, False)),
    ("在这个厂三年八个月", (44, False)),
    ("干了八个多月", (8, True)),
    ("五年工龄", (60, False)),
    ("欠了三个月工资", None),  # months owed are not months worked
])
def test_tenure(words, months):
    assert reckon.tenure_months(words) == months


def test_overtime_on_own_wage_and_hours():
    figures = reckon.reckon("overtime_pay", "我月薪四千 每天干十二个小时 周末也干 加班费怎么算", TODAY)
    assert "小时工资约23元" in figures  # 4000 / 21.75 / 8 = 22.99
    assert "平时34.5元" in figures and "周末不补休的46元" in figures and "法定节假日69元" in figures
    assert "多出的4小时是加班，一天至少138元" in figures and "约3000元" in figures
    assert "休息日干一天（12小时）又不补休的，这一天另外至少给552元；您一个月约8.7天，约4800元" in figures
    assert "加起来，一个月的加班费至少约7800元" in figures
    assert "以仲裁或人社部门认定为准" in figures


def test_overtime_on_a_daily_wage_and_total_hours():
    figures = reckon.reckon("overtime_pay", "一天两百 加了30个小时班", TODAY)
    assert "一天200元" in figures and "小时工资约25元" in figures and "30小时加班，按平时算至少1125元" in figures


@pytest.mark.parametrize("words, n, pay, double", [
    ("干了4年半 月工资3000 被辞退了赔多少", "5", "15000", "30000"),  # six months or more count as a year
    ("在这个厂三年八个月 工资6000", "4", "24000", "48000"),
    ("干了三年两个月 一个月5000", "3.5", "17500", "35000"),  # under six months: half a month
    ("干了4个月 月薪4000 就被开了", "0.5", "2000", "4000"),
])
def test_severance_n_and_2n(words, n, pay, double):
    figures = reckon.reckon("dismissal_compensation", words, TODAY)
    assert f"经济补偿是{n}个月工资，约{pay}元" in figures and f"赔偿金是2倍，约{double}元" in figures
    assert "封顶" not in figures


def test_high_wages_are_told_about_the_cap():
    assert "封顶" in reckon.reckon("dismissal_compensation", "干了十五年 月薪两万 被裁员", TODAY)


@pytest.mark.parametrize("words, owed, pay", [
    ("干了8个月没签合同 工资4500", 7, "31500"),
    ("一直没签合同 干了两年 月薪五千", 11, "55000"),  # at most eleven months
])
def test_double_wages_without_a_contract(words, owed, pay):
    figures = reckon.reckon("no_written_contract", words, TODAY)
    assert f"可以要{owed}个月的差额，约{pay}元" in figures


def test_a_year_without_a_contract_is_an_open_ended_one():
    assert "无固定期限" in reckon.reckon("no_written_contract", "一直没签合同 干了两年 月薪五千", TODAY)
    assert "第2个月起" in reckon.reckon("no_written_contract", "入职半个月 干了1个月 没签合同 月薪四千", TODAY)


def test_holiday_and_leave():
    assert "另外给至少1800元" in reckon.reckon("holiday_work", "国庆上了三天班 工资4350", TODAY)
    leave = reckon.reckon("paid_leave", "我干了12年 工资5000 年假", TODAY)
    assert "每年可以休10天" in leave and "10天全没休约4598元" in leave
    assert "满12个月才有年假" in reckon.reckon("paid_leave", "我干了八个月 有年假吗", TODAY)


@pytest.mark.parametrize("words, expect", [
    ("10个月前在工地摔伤了 老板不给报工伤", "还剩大约2个月"),
    ("去年3月受的伤 老板不管", "已经过了1年的申请期限"),
])
def test_work_injury_one_year_limit(words, expect):
    assert expect in reckon.reckon("work_injury", words, TODAY)


def test_arbitration_limit_after_leaving():
    late = reckon.reckon("labor_arbitration", "辞职14个月了 工资还没结 还能要吗", TODAY)
    assert "您离开单位1年2个月了" in late and "欠条" in late and "重新算" in late
    assert "还剩大约4个月" in reckon.reckon("labor_arbitration", "离职8个月了 还能仲裁吗", TODAY)
    assert reckon.reckon("labor_arbitration", "仲裁要多久", TODAY) is None


def test_no_figures_no_sum():
    assert reckon.reckon("overtime_pay", "加班费怎么算", TODAY) is None
    assert reckon.reckon("dismissal_compensation", "月工资4000 被辞退了", TODAY) is None  # how long is missing
    assert reckon.reckon("minimum_wage", "月薪1500 低于最低工资吗", TODAY) is None  # no table of local rates


def test_the_answer_asks_for_the_figures_and_works_them_out_next():
    chat = Chat()
    first = chat.say("被老板辞退了 能赔多少")[0]
    assert "经济补偿" in first and "告诉我月工资和干了多久" in first
    figures = chat.say("干了4年半 一个月三千五")[0]
    assert "经济补偿是5个月工资，约17500元" in figures and "回复 1 投诉讨薪，2 申请法律援助" in figures
    chat.say("2")
    assert chat.dialog["flow"] == "legal_aid"
    assert chat.dialog["fields"]["description"] == "被老板辞退了 能赔多少 干了4年半 一个月三千五"


def test_figures_in_the_question_come_first():
    reply = Chat().say("加班费怎么算 我一个月四千 天天干12个钟头")[0]
    assert reply.startswith("按您说的月工资4000元算") and "加班费按《劳动法》第四十四条算" in reply
    assert "我帮您算" not in reply


def test_a_complaint_after_an_answer_is_a_complaint_not_figures():
    chat = Chat()
    chat.say("加班费怎么算")
    chat.say("老板欠我三个月工资没给 一个月四千")
    assert chat.dialog and chat.dialog["flow"] == "wage_arrears"


@pytest.mark.parametrize("words, expect", [
    ("我去年10月就不干了 老板还欠我八千", "您离开单位1年1个月了，过了离职后1年的仲裁期限"),
    ("老板欠我两个月工资 我走了一年多了", "您离开单位1年多了"),
    ("10个月前在工地摔伤了 老板不给报工伤 我想申请", "您受伤到现在10个月。"),
    ("老板欠我三个月工资", None),
    ("包工头走了一年了 电话打不通 欠我们八万", None),  # the boss left, not the worker
])
def test_a_case_started_near_or_past_a_one_year_limit_says_so_first(words, expect):
    first = Chat().say(words)[0]
    if expect:
        assert first.startswith(expect)
    else:
        assert "仲裁期限" not in first and "申请期限" not in first and "还剩大约" not in first


@pytest.mark.parametrize("first, follow, asks", [
    ("被公司辞退了 有补偿吗", "那我能拿多少", "告诉我月工资和干了多久"),
    ("加班费怎么算", "那一个月算下来我应该多拿多少钱啊", "告诉我月工资和每天干几个小时"),
])
def test_how_much_after_an_answer_asks_for_the_figures_not_another_topic(first, follow, asks):
    chat = Chat()
    chat.say(first)
    reply = chat.say(follow)[0]
    assert asks in reply and "您问的是不是" not in reply and "没有现成的答案" not in reply


def test_figures_in_an_unsure_question_are_answered_not_listed():
    reply = Chat().say("国庆上了七天班 工资三千八 能拿多少")[0]
    assert "另外给至少1572元" in reply and "您问的是不是" not in reply


def test_not_signing_a_contract_is_a_question_not_a_wage_complaint():
    chat = Chat()
    reply = chat.say("我在工地干了8个月了 老板一直没跟我签合同 工资一个月六千 这个能要钱吗")[0]
    assert "可以要7个月的差额，约42000元" in reply and chat.dialog is None
    assert "不收您一分钱" not in reply  # "能要钱吗" asks what can be claimed, not whether we charge


def test_a_dismissal_question_offers_legal_aid_not_a_wage_complaint():
    chat = Chat()
    reply = chat.say("老板没理由把我辞退了 工资也没结 能赔多少")[0]
    assert "帮您申请法律援助（免费），回复 1" in reply
    chat.say("1")
    assert chat.dialog["flow"] == "legal_aid"


@pytest.mark.parametrize("words, not_said", [
    ("年假没休 能补多少钱", "能补多少要看当地标准"),  # leave pay is set by law, not an aid amount
    ("不予认定工伤 要多久内去告", "1个工作日内"),  # a deadline, not how long we take
])
def test_quick_answers_do_not_hijack_legal_questions(words, not_said):
    assert not_said not in Chat().say(words)[0]


def test_unpaid_social_insurance_is_not_a_work_injury():
    reply = Chat().say("老板一直没给我交社保说是工资里面多给了两百块钱就算了我现在想要他补交可以吗")[0]
    assert "社保必须交" in reply and "照样算工伤" not in reply


def test_a_year_and_some_months_since_leaving():
    first = Chat().say("我去年辞职的 到现在一年零两个月了 老板还欠我两个月工资九千块 现在还能要吗 是不是过期了")[0]
    assert first.startswith("您离开单位1年2个月了")


def test_a_long_break_is_three_statutory_days_and_rest_days():
    figures = reckon.reckon("holiday_work", "国庆上了七天班 工资三千八", TODAY)
    assert "法定节假日上了3天班" in figures and "另外给至少1572元" in figures  # 3800 / 21.75 * 3 * 3
    assert "另外4天是调休的休息日，不补休的再给至少1398元" in figures  # 3800 / 21.75 * 2 * 4


def test_overtime_said_per_day():
    figures = reckon.reckon("overtime_pay", "月薪4000 平时每天加班4小时 一个月加班费是多少钱", TODAY)
    assert "多出的4小时是加班，一天至少138元，一个月（按21.75天）约3000元" in figures


def test_how_long_the_work_lasted_is_not_time_since_leaving_or_injury():
    assert reckon.deadline("我在这干了两年零七个月 工资一个月四千八 要是因为这个辞职 能拿多少补偿", TODAY) is None
    injured = "我跟我表哥在那个装修队干活 干了快一年了 没签合同 上个月我表哥从梯子上掉下来摔断了腿"
    assert reckon.deadline(injured, TODAY) is None  # last month, not a year ago
    assert "还剩大约11个月" in reckon.reckon("work_injury", injured, TODAY)


def test_the_time_said_alone_before_the_event():
    assert "1年8个月" in reckon.deadline("去年三月 在工地摔伤了", TODAY)


def test_rest_days_from_saturdays_or_days_a_month_and_figures_in_stages():
    figures = reckon.reckon("overtime_pay", "月工资4500，每天干10个小时，周六也要上班", TODAY)
    assert "这一天另外至少给517元；您一个月约4.35天，约2250元" in figures and "至少约3938元" in figures
    figures = reckon.reckon("overtime_pay", "月薪5200 一个月干二十六天 每天10小时", TODAY)
    assert "您一个月约4.25天" in figures  # 26 days a month: 4.25 rest days worked
    chat = Chat()
    chat.say("加班费怎么算")
    chat.say("月工资4500")
    reply = chat.say("每天干10个小时 周六也干 你直接告诉我一个数")[0]  # the wage was said one message before
    assert "至少约3938元" in reply


def test_probation_length_and_pay():
    figures = reckon.reckon("probation", "我签了一年合同 试用期三个月 说好转正6000 试用期只给4000", TODAY)
    assert "试用期最多2个月" in figures and "多出来的1个月试用期不合法" in figures and "另外赔您约6000元" in figures
    assert "至少4800元；您拿4000元，每月少给了800元" in figures
    assert "没有低于这个线" in reckon.reckon("probation", "签了3年合同 试用期6个月 转正5000 试用期4500", TODAY)
    reply = Chat().say("试用期4000 转正6000 这个低于80%了吗")[0]
    assert "每月少给了800元" in reply


def test_a_how_much_question_inside_the_legal_aid_form_is_worked_out():
    chat = Chat()
    chat.say("俺怀娃四个月了 厂里晓得了就把俺开了 干了两年 我要申请法律援助")
    assert chat.dialog["fields"]["dispute_type"] == "解除" and chat.dialog["asking"] == "employer"
    replies = chat.say("那我能拿多少钱 我月薪5000")
    assert "经济补偿是2个月工资，约10000元" in replies[0] and "赔偿金是2倍，约20000元" in replies[0]
    assert "employer" not in chat.dialog["fields"] and chat.dialog["asking"] == "employer"  # never stored as a name


def test_a_question_with_a_case_open_is_answered_and_passed_on():
    chat = Chat({"cases": [{"ref": "QX-20261130-0001", "category": "wage_arrears", "status": "new"}]})
    reply = chat.say("要多久能拿到钱啊")[0]
    assert "半个月左右" in reply
    chat.say("加班费怎么算")
    reply = chat.say("我一个月四千 每天干12个小时 能拿多少")[0]
    assert "一个月（按21.75天）约3000元" in reply and "QX-20261130-0001" in reply
    assert chat.action("append_to_case")["ref"] == "QX-20261130-0001"


def test_forced_resignation_is_economic_compensation():
    reply = Chat().say("单位不交社保 我被迫辞职 干了2年7个月 月工资4800 经济补偿多少")[0]
    assert "经济补偿是3个月工资，约14400元" in reply


@pytest.mark.parametrize("topic, words, expect", [
    ("holiday_work", "今年春节从除夕到初六我都在上班 月薪6000", "法定节假日上了4天班"),  # 除夕 to 初三 statutory
    ("holiday_work", "今年春节从除夕到初六我都在上班 月薪6000", "另外3天是调休的休息日，不补休的再给至少1655元"),
    ("no_written_contract", "我工友没签合同干了一年三个月了 月工资5000 能要多少", "可以要11个月的差额，约55000元"),
    ("paid_leave", "我出来打工十二年了 在现在这个厂三年 月工资5500 年假没休", "每年可以休10天"),  # all years count
])
def test_sixth_round_sums(topic, words, expect):
    assert expect in reckon.reckon(topic, words, TODAY)


def test_seventh_round_questions_are_answered_not_turned_into_forms():
    chat = Chat()
    reply = chat.say("我五个月前在车间把手压了老板不给报公伤现在还来得及吗")[0]
    assert reply.startswith("您受伤到现在5个月") and "还剩大约7个月" in reply and chat.dialog is None
    chat = Chat()
    reply = chat.say("我在厂里干了三年零七个月 老板昨天突然说明天不用来了 也没说为什么 这合法吗")[0]
    assert "经济补偿" in reply and chat.dialog is None
    chat = Chat()
    reply = chat.say("我问下年假 我打工总共十二年了 这个厂干了三年 一天年假都没休过")[0]
    assert "每年可以休10天" in reply and chat.dialog is None


def test_this_messages_figures_come_before_earlier_ones():
    chat = Chat()
    chat.say("年假怎么算")
    chat.say("我干了12年 月薪6000")
    reply = chat.say("我弟弟总共干了八年 在现在这个厂干了十个月 他有年假吗 他一个月四千")[0]
    assert "工作了8年，每年可以休5天" in reply and "5天全没休约1839元" in reply


def test_disability_grade_deposit_and_quitting():
    grade = reckon.reckon("work_injury_no_insurance", "去年五月受伤 鉴定九级 工资六千 老板给一万", TODAY)
    assert "一次性伤残补助金是9个月工资，约54000元" in grade and "期限" not in grade
    assert reckon.deadline("去年五月受伤 鉴定九级 老板给一万", TODAY) is None  # assessed: 认定 is done
    assert "押金800元应该全部退给您" in reckon.reckon("id_card_withheld", "押金八百块能要回来吗", TODAY)
    quit_ = reckon.reckon("dismissal_compensation", "单位不交社保 我被迫辞职 干了2年7个月 月工资4800", TODAY)
    assert "约14400元" in quit_ and "2倍" not in quit_  # 2N is for unlawful dismissal, not for quitting


def test_ninth_round_days_counted_as_the_worker_counts_them():
    said = "在饭店做服务员 一个月3500 国庆1号2号3号都上班了 还有我们一个月只休2天 这样合法吗"
    assert "上了3天班" in reckon.reckon("holiday_work", said) and "1448元" in reckon.reckon("holiday_work", said)  # not 休2天
    assert "1448元" in reckon.reckon("holiday_work", "不是2天 是3天啊 那我能拿多少 一个月3500 国庆")
    answer = reckon.reckon("overtime_pay", "我们厂底薪4000 这个月平时加了60个钟 周六还上了4天每天8个钟")
    assert "60小时" in answer and "2069元" in answer and "约4天，约1471元" in answer  # his 4 Saturdays, not 4.35
    assert "一个月的加班费至少约3540元" in answer  # the total he asked for
    answer = reckon.reckon("overtime_pay", "月工资3500 每天干10个钟 一个月休2天")
    assert "约6.25天" in answer  # 30 days less 2 off, less the 21.75 working days


def test_take_home_pay_is_warned_about():
    answer = reckon.reckon("overtime_pay", "一个月拿到手五千二左右，一天干十二个钟头，一个月就休两天")
    assert "您说的是到手的钱" in answer
    assert "到手的钱" not in reckon.reckon("overtime_pay", "月工资5200 一天干十二个钟头")


def test_probation_pay_counts_only_the_months_served():
    answer = reckon.reckon("probation", "我签的合同是一年的 试用期6个月 试用期工资2400 转正3500 我现在已经干了5个月了")
    assert "已经过了3个月" in answer and "10500元" in answer and "14000" not in answer
    assert "14000元" in reckon.reckon("probation", "合同一年 试用期6个月 转正3500")  # the whole excess, once served


def test_deadlines_counted_to_the_day_when_the_date_is_given():
    today = date(2026, 12, 1)
    answer = reckon.reckon("labor_arbitration", "去年12月8号厂关的，今天都12月1号了，还能不能去仲裁", today)
    assert "只剩大约7天" in answer and "别等节后" in answer  # never "还剩大约1个月"
    assert "不到1个月" in reckon.reckon("labor_arbitration", "我离职11个多月了还来得及仲裁吗", today)
    assert "过了离职后1年" in reckon.reckon("labor_arbitration", "去年11月20号辞职的 还能仲裁吗", today)
    assert "还剩大约4个月" in reckon.reckon("work_injury", "今年3月5号在工地摔伤了 还能认定工伤吗", today)


def test_annual_leave_in_the_year_of_leaving_is_a_share():
    answer = reckon.reckon("paid_leave", "我干了12年 工资6000 今年11月底离职 年假一天没休 能要多少", date(2026, 12, 1))
    assert "是9天" in answer and "9天全没休约4966元" in answer
    assert "10天全没休约4598元" in reckon.reckon("paid_leave", "我干了12年 工资5000 年假", date(2026, 12, 1))


def test_overtime_on_the_days_and_hours_the_worker_gives():
    answer = reckon.reckon("overtime_pay", "底薪4350，每天加班2个钟，上个月22天都加了，还有4个礼拜六也上了整天8个钟，"
                                           "厂里加班费不管平时周六都是一个钟15块，这样对不对啊")
    assert "按22天）约1650元" in answer and "（8小时）" in answer and "约4天，约1600元" in answer
    assert "至少约3250元" in answer and "一个钟15元" in answer  # the tenth round's figures, and the rate paid
    answer = reckon.reckon("overtime_pay", "月工资4350，每天干10个钟，周六干8个钟不补休 4个周六 厂里一共给了我1140块加班费")
    assert "至少少给了约2091元" in answer


def test_a_year_and_month_is_a_date_never_years_of_time():
    answer = reckon.reckon("work_injury", "2026年5月受的伤 单位不给报工伤 还能认定吗", date(2026, 12, 1))
    assert "受伤到现在7个月" in answer and "还剩大约5个月" in answer  # never "2026年5个月 … 已经过了1年"


def test_years_here_and_before_are_added_for_annual_leave():
    assert "工作了12年" in reckon.reckon("paid_leave", "我在这里3年加以前9年 工资5000 年假没休")


@pytest.mark.parametrize("words", [
    "每天下班后还要加班3小时 每个礼拜六也上班 工资4800 一个月加班费该给多少",
    "平时晚上加班3个小时 周六也要干一天 月工资4800 加班费咋算啊",  # 干一天: a whole Saturday, every week
    "月工资4800 每天晚上都加3个钟 礼拜六也上班",
])
def test_overtime_every_evening_is_daily_not_three_hours_a_month(words):
    answer = reckon.reckon("overtime_pay", words, TODAY)
    assert "多出的3小时是加班，一天至少124元，一个月（按21.75天）约2700元" in answer
    assert "休息日干一天（8小时）" in answer and "约4.35天，约1920元" in answer and "至少约4620元" in answer
    assert "不能超过36小时" in answer  # 65 + 35 hours a month


def test_a_few_hours_of_overtime_are_within_the_legal_limit():
    answer = reckon.reckon("overtime_pay", "这个月加了30个小时班 月薪4000", TODAY)
    assert "30小时加班，按平时算至少1034元" in answer and "36小时" not in answer


def test_every_weekday_and_every_saturday_is_one_rest_day_a_week():
    answer = reckon.reckon("overtime_pay", "月工资4800 每天晚上都加3个钟 礼拜一到礼拜五天天这样 每个礼拜六都上班", TODAY)
    assert "约4.35天，约1920元" in answer and "至少约4620元" in answer


@pytest.mark.parametrize("said, expected", [
    ("去年3月", "已经过了1年的申请期限"),
    ("去年12月5号", "只剩大约4天"),  # to the day, on 2026-12-01
    ("2025年12月", "可能只剩几天，也可能刚过"),  # the month alone: the day decides
    ("今年5月", "还剩大约5个月"),
])
def test_a_date_alone_answers_when_the_injury_was(said, expected):
    assert expected in reckon.reckon("work_injury", said, date(2026, 12, 1))


def test_after_the_injury_answer_the_date_asked_for_is_worked_out():
    chat = Chat()
    assert "哪年哪月受的伤" in " ".join(chat.say("工伤咋认定"))
    assert "已经过了1年的申请期限" in chat.say("去年3月")[0]


def test_a_high_wage_hears_of_the_cap_before_the_uncapped_sum():
    answer = reckon.reckon("dismissal_compensation", "被辞退了 干了15年 月薪3万 经济补偿多少", TODAY)
    assert answer.startswith("先说清楚") and answer.index("封顶") < answer.index("约450000元")


def test_double_pay_for_no_contract_long_ago_warns_of_the_time_limit():
    answer = reckon.reckon("no_written_contract", "我在物流园干了两年多了一直没签过 工资4000一个月 是不是能拿24个月的双倍", TODAY)
    assert "约44000元（最多11个月）" in answer and "可能已经过了1年的仲裁时效" in answer
    assert "仲裁时效" not in reckon.reckon("no_written_contract", "干了9个月没签合同 工资5000", TODAY)


@pytest.mark.parametrize("words", [
    "月薪4800 下班了还得再干3个钟头 天天这样 礼拜六也得去 加班费一分没有 按理该给多少",
    "月薪4800 下班后再干3个小时 礼拜六也去上班 加班费该给多少",
])
def test_hours_after_work_are_daily_overtime_and_every_day_like_that_is_no_sunday(words):
    answer = reckon.reckon("overtime_pay", words, TODAY)
    assert "约2700元" in answer and "约4.35天，约1920元" in answer and "至少约4620元" in answer


def test_no_contract_counts_the_longest_time_worked():
    answer = reckon.reckon("no_written_contract", "干满一年没签的每个月都能一直要双倍 是真的不 我干了两年了月薪4500 一直没签",
                           TODAY)
    assert "24个月没签合同" in answer and "仲裁时效" in answer


def test_a_resignation_handed_in_is_no_time_since_leaving():
    assert reckon.reckon("labor_arbitration", "我上礼拜交了辞职信 主管说要干满一个月才放人 我还没走呢", TODAY) is None


def test_probation_past_its_lawful_length_counts_the_months_served_and_the_full_wage():
    answer = reckon.reckon("probation", "签了两年的合同 试用期给我定了六个月 试用期工资只给2500 转正是4200 "
                                        "我现在已经干了5个月了 还是按试用期给的2500", TODAY)
    assert "已经过了3个月，这部分现在可以要约12600元" in answer and "每月少1700元，一共约5100元" in answer


@pytest.mark.parametrize("words, total", [
    ("他原来一个月7000 现在在家躺着养伤 老板说一个月只给1500生活费 医生说要养3个月 这个钱对吗", "一共少给约16500元"),
    ("停工留薪期 老板一个月给1500够不够 原工资是7000", "每月少给5500元"),
])
def test_pay_while_recovering_from_a_work_injury_is_the_wage_as_before(words, total):
    assert total in reckon.reckon("work_injury", words, TODAY)


def test_half_hours_half_months_and_shifts_said_by_the_clock():
    assert "多出的2.5小时是加班" in reckon.reckon("overtime_pay", "月薪4000 下班再干两个半钟头 礼拜一到礼拜五都这样", TODAY)
    assert "可以要2.5个月的差额，约12000元" in reckon.reckon("no_written_contract", "干了3个半月了还没签合同 月薪4800", TODAY)
    answer = reckon.reckon("overtime_pay", "早八晚八 一个月休四天 工资4500", TODAY)
    assert "您每天干11小时，多出的3小时是加班" in answer and "约4.25天" in answer  # an hour for meals


def test_dismissed_for_business_reasons_without_notice_is_n_plus_one():
    answer = reckon.reckon("dismissal_compensation", "公司说业务不行了要裁我 让我今天签字明天走 干了5年7个月 工资平均7200", TODAY)
    assert "约43200元" in answer and "合起来约50400元（N+1）" in answer
    assert "N+1" not in reckon.reckon("dismissal_compensation", "干了5年7个月 工资平均7200 被辞退了", TODAY)
