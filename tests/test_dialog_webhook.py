"""Whole dialogs through /wechat with the real Redis: reply texts, references and the enqueued jobs."""
import re
import time

from rq.job import Job

from bot.wechat_sim import push_xml, text_xml


class Worker:
    """A worker on WeChat: each message gets a fresh MsgId and a later CreateTime."""

    def __init__(self, send, openid="o_dialog"):
        self.send, self.openid = send, openid
        self.msg_id = int(time.time() * 1000)
        self.clock = int(time.time())

    def say(self, words: str, after: int = 5, mode: str = "safe") -> str:
        self.msg_id += 1
        self.clock += after
        xml = push_xml(self.openid, "text", Content=words, MsgId=self.msg_id, CreateTime=self.clock)
        response, reply = self.send(xml, mode)
        assert response.status_code == 200
        return reply.get("Content", "")


def queued(ctx, kind: str) -> list[Job]:
    jobs = [Job.fetch(job_id, connection=ctx.redis) for q in ctx.queues.values() for job_id in q.job_ids]
    return [job for job in jobs if job.func_name.endswith(kind)]


def test_full_wage_dialog_gives_a_reference_and_enqueues_the_ticket_job(send, ctx):
    worker = Worker(send)
    first = worker.say("我叫王强电话13912345678，在恒通电子厂干了半年，老板欠我三个月工资一万二")
    assert "王强" in first and "12000元" in first
    reply = first
    while "请看上面对不对" not in reply:
        reply = worker.say(_answer_for(reply))
    done = worker.say("1")
    ref = re.search(r"QX-\d{8}-\d{4}", done).group(0)
    assert ref.endswith("-0001")
    jobs = queued(ctx, "create_ticket")
    assert len(jobs) == 1
    payload = jobs[0].kwargs
    assert payload["ref"] == ref and payload["fields"]["phone"] == "13912345678"
    assert payload["fields"]["employer"] == "恒通电子厂"
    assert ctx.redis.get("ud:session:o_dialog") is not None


def _answer_for(question: str) -> str:
    """Answers to whatever the bot asks next."""
    for hint, answer in [("工地", "恒通电子厂"), ("地方", "长安镇"), ("几个人", "1"), ("身份证", "跳过"),
                         ("补充", "没有"), ("时间", "三个月"), ("多少钱", "一万二")]:
        if hint in question.split("\n")[-1] or hint in question[-60:]:
            return answer
    raise AssertionError(f"unexpected question: {question}")


def test_confirmation_retry_gets_the_same_reference_and_one_job(send, ctx, wechat, client):
    worker = Worker(send, "o_retry")
    worker.say("我要找人工")
    jobs = queued(ctx, "create_ticket")
    assert len(jobs) == 1
    # WeChat retries the very same push: same reply, still one job, one counter step
    xml = text_xml("o_retry2", "人工", msg_id=555000)
    _, first = send(xml)
    _, again = send(xml)
    assert first["Content"] == again["Content"]
    refs = re.findall(r"RG-\d{8}-\d{4}", first["Content"] + again["Content"])
    assert len(set(refs)) == 1
    assert len(queued(ctx, "create_ticket")) == 2


def test_dialog_interrupted_cancelled_corrected_expired_and_resumed(send, ctx):
    worker = Worker(send, "o_life")
    assert "欠您工资的是哪个单位" in worker.say("欠薪")
    assert "工地" in worker.say("鑫达劳务")
    assert "第四十四条" in worker.say("加班费咋算")  # answered; the rest comes as a second message
    assert "地方" in worker.say("幸福家园工地")
    assert "工地" in worker.say("返回")  # back to the previous question
    assert "取消" in worker.say("取消")
    worker.say("欠薪")
    worker.say("鑫达劳务")
    reply = worker.say("你好", after=2 * 3600)  # came back two hours later
    assert "还没填完" in reply
    assert "接着填" in worker.say("继续")
    state = ctx.redis.get("ud:session:o_life").decode()
    assert "鑫达劳务" in state


def test_invalid_phone_through_the_webhook(send):
    worker = Worker(send, "o_phone")
    worker.say("我要申请法律援助")
    for answer in ["1", "没签合同就让干活", "宏达厂", "陈红"]:
        worker.say(answer)
    assert "少了几位" in worker.say("1381234567")


def test_crisis_reply_is_immediate_and_opens_an_urgent_case(send, ctx):
    worker = Worker(send, "o_crisis")
    reply = worker.say("工资再不给我就从楼顶跳下去")
    assert "12356" in reply and "110" in reply
    job = queued(ctx, "create_ticket")[0]
    assert job.kwargs["urgent"] is True and job.kwargs["ref"].startswith("RG-")
    follow = worker.say("我现在就在楼顶上")  # the next hour stays with that urgent case, under its real reference
    assert "12356" in follow and len(queued(ctx, "create_ticket")) == 1
    assert [j.kwargs["ref"] for j in queued(ctx, "append_to_case")] == [job.kwargs["ref"]]


def test_status_query_and_voice_recognition(send, ctx):
    _, reply = send(push_xml("o_voice", "voice", MediaId="mv1", Format="amr", Recognition="查询", MsgId=424242))
    assert "查" in reply["Content"]
    assert len(queued(ctx, "send_status")) == 1
    assert len(queued(ctx, "download_media")) == 1
