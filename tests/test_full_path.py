"""The whole way: a worker on WeChat -> /wechat -> job -> ticket in the right office -> staff reply over the API
-> the fake WeChat API records the customer-service message; the worker's next message joins the case."""
import re
import time

from sqlalchemy import func, select

from bot.models import Attachment, Ticket, TicketMessage
from bot.wechat_sim import push_xml


class Phone:
    """A worker's phone: fresh MsgIds, a clock that moves on."""

    def __init__(self, send, openid: str):
        self.send, self.openid = send, openid
        self.msg_id, self.clock = int(time.time() * 1000), int(time.time())

    def push(self, msg_type: str = "text", **fields) -> str:
        self.msg_id += 1
        self.clock += 5
        xml = push_xml(self.openid, msg_type, MsgId=self.msg_id, CreateTime=self.clock, **fields)
        response, reply = self.send(xml)
        assert response.status_code == 200
        return reply.get("Content", "")

    def say(self, words: str) -> str:
        return self.push(Content=words)


def count(ctx, model, *where) -> int:
    with ctx.db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def test_worker_to_staff_and_back(send, ctx, world, client, run_jobs, fake_wechat):
    phone = Phone(send, "o_wang")
    phone.say("我叫王强电话13912345678，在镇A的恒通电子厂干了半年，老板欠我三个月工资一万二")
    for answer in ["镇A", "1", "跳过", "没有"]:  # the factory is already known as the workplace
        reply = phone.say(answer)
    assert "请看上面对不对" in reply, reply
    confirm_xml = push_xml("o_wang", "text", Content="1", MsgId=phone.msg_id + 1, CreateTime=phone.clock + 5)
    _, first = send(confirm_xml)
    _, retry = send(confirm_xml)  # WeChat's retry of the same push
    assert first["Content"] == retry["Content"]
    ref = re.search(r"QX-\d{8}-\d{4}", first["Content"]).group(0)
    phone.msg_id += 1
    phone.clock += 5

    run_jobs()
    with ctx.db.session() as s:
        ticket = s.scalars(select(Ticket).where(Ticket.ref == ref)).one()
        assert ticket.office.code == "TA"  # where the work happened
        assert ticket.fields["amount_owed"] == 12000 and ticket.phone == "13912345678"

    # the agent of 镇A sees it, 镇B's does not
    assert client.get(f"/api/tickets/{ref}", headers=world.headers("agent_b")).status_code == 404
    listed = client.get("/api/tickets?q=王强", headers=world.headers("agent_a")).get_json()
    assert [item["ref"] for item in listed["items"]] == [ref]
    assert "13912345678" not in str(listed)

    answer = "王师傅您好，我们已联系恒通电子厂，明天上午给您回电话。"
    response = client.post(f"/api/tickets/{ref}/reply", json={"text": answer}, headers=world.headers("agent_a"))
    assert response.status_code == 202
    run_jobs()
    run_jobs()  # running the queue again sends nothing twice
    assert [m["text"] for m in fake_wechat.messages(openid="o_wang")] == [answer]
    detail = client.get(f"/api/tickets/{ref}", headers=world.headers("agent_a")).get_json()
    out = [m for m in detail["messages"] if m["direction"] == "out"]
    assert out[0]["delivery"]["status"] == "sent"

    # the worker writes back: it joins the open case, and a photo becomes an attachment
    assert ref in phone.say("好的，谢谢，我明天等电话")
    media_id = fake_wechat.seed_media(b"\xff\xd8\xff IOU", "image/jpeg")
    phone.push("image", PicUrl="http://x/iou.jpg", MediaId=media_id)
    run_jobs()
    with ctx.db.session() as s:
        ticket = s.scalars(select(Ticket).where(Ticket.ref == ref)).one()
        texts = [m.text for m in ticket.messages if m.direction == "in"]
        assert "好的，谢谢，我明天等电话" in texts
        attachment = s.scalars(select(Attachment).where(Attachment.media_id == media_id)).one()
        assert attachment.ticket_id == ticket.id and attachment.status == "downloaded"
    assert count(ctx, Ticket, Ticket.openid == "o_wang") == 1
    assert count(ctx, TicketMessage, TicketMessage.direction == "out") == 1


def test_voice_sent_before_asking_for_a_person_reaches_staff(send, ctx, run_jobs, fake_wechat, world):
    """A worker who cannot type sends a voice (no recognition), then 8: the case carries the voice, downloaded."""
    phone = Phone(send, "o_voice")
    voice = fake_wechat.seed_media(b"#!AMR voice of a worker", "audio/amr")
    phone.push("voice", MediaId=voice, Format="amr")
    assert re.search(r"RG-\d{8}-\d{4}", phone.say("8"))
    run_jobs()
    with ctx.db.session() as s:
        ticket = s.scalars(select(Ticket).where(Ticket.openid == "o_voice")).one()
        [attachment] = s.scalars(select(Attachment).where(Attachment.ticket_id == ticket.id)).all()
        assert (attachment.media_id, attachment.msg_type, attachment.status) == (voice, "voice", "downloaded")
