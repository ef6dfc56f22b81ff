"""WeChat protocol pieces as pure functions: signatures, AES, hostile XML, reply escaping."""
import base64
import hashlib
import socket
import struct

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from bot.wechat_protocol import ProtocolError, SafeMode, check_signature, parse_xml, render_text_reply, to_inbound
from bot.wechat_sim import WeChatSide, event_xml, push_xml, text_xml

# Tencent's official sample (the PHP/Java/Python SDK "WXBizMsgCrypt" test vector).
SAMPLE_TOKEN = "pamtest"
SAMPLE_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
SAMPLE_APPID = "wxb11529c136998cb6"
SAMPLE_PLAIN = "我是中文abcd123"
SAMPLE_PREFIX = "aaaabbbbccccdddd"
SAMPLE_CIPHER = "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=="


def independent_encrypt(plain: str, key43: str, app_id: str, prefix: str) -> str:
    """WeChat's AES scheme written from the spec with `cryptography`, not wechatpy."""
    key = base64.b64decode(key43 + "=")
    body = prefix.encode() + struct.pack("!I", len(plain.encode())) + plain.encode() + app_id.encode()
    pad = 32 - len(body) % 32
    body += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(body) + encryptor.finalize()).decode()


def test_tencent_sample_vector_with_wechatpy_and_independent_code():
    side = WeChatSide(SAMPLE_TOKEN, SAMPLE_APPID, SAMPLE_KEY, prefix=SAMPLE_PREFIX)
    assert side.encrypt(SAMPLE_PLAIN) == SAMPLE_CIPHER
    assert independent_encrypt(SAMPLE_PLAIN, SAMPLE_KEY, SAMPLE_APPID, SAMPLE_PREFIX) == SAMPLE_CIPHER


def test_safe_mode_opens_the_sample_and_seals_with_the_key_that_worked():
    mode = SafeMode(SAMPLE_TOKEN, SAMPLE_APPID, ["x" * 43, SAMPLE_KEY])  # current key wrong, previous right
    sig = hashlib.sha1("".join(sorted([SAMPLE_TOKEN, "1409304348", "xxxxxx", SAMPLE_CIPHER])).encode()).hexdigest()
    body = f"<xml><ToUserName><![CDATA[gh]]></ToUserName><Encrypt><![CDATA[{SAMPLE_CIPHER}]]></Encrypt></xml>"
    envelope = mode.open(body.encode(), sig, "1409304348", "xxxxxx")
    assert envelope.xml == SAMPLE_PLAIN and envelope.key_index == 1
    sealed = parse_xml(mode.seal("<xml><A>1</A></xml>", 1, "nonce1", "1409304348"))
    opened = SafeMode(SAMPLE_TOKEN, SAMPLE_APPID, [SAMPLE_KEY]).open(
        f"<xml><Encrypt><![CDATA[{sealed['Encrypt']}]]></Encrypt></xml>".encode(),
        sealed["MsgSignature"], sealed["TimeStamp"], sealed["Nonce"])
    assert opened.xml == "<xml><A>1</A></xml>"


def test_signature_check():
    sig = hashlib.sha1("".join(sorted(["tok", "123", "abc"])).encode()).hexdigest()
    check_signature("tok", sig, "123", "abc")
    for bad in [("tok", "0" * 40, "123", "abc"), ("tok", sig, "124", "abc"), ("tok", None, "123", "abc"),
                ("tok", sig, "", "abc")]:
        with pytest.raises(ProtocolError) as err:
            check_signature(*bad)
        assert err.value.status == 403


def test_wrong_app_id_inside_payload_is_refused():
    side = WeChatSide("tok", "wxOTHERAPP", SAMPLE_KEY)
    params, body = side.request(text_xml("o1", "hi"), "safe")
    with pytest.raises(ProtocolError) as err:
        SafeMode("tok", SAMPLE_APPID, [SAMPLE_KEY]).open(body, params["msg_signature"], params["timestamp"],
                                                         params["nonce"])
    assert err.value.status == 400 and "AppID" in err.value.reason


@pytest.mark.parametrize("xml", [
    '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>',
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><xml><a>&lol2;</a></xml>',
    '<!doctype xml SYSTEM "http://evil.invalid/x.dtd"><xml/>',
    "<xml><a>&undefined;</a></xml>",
    "not xml at all",
    "<xml><unclosed></xml>",
    "<root><a>1</a></root>",
    "",
])
def test_hostile_or_garbage_xml_is_refused(xml):
    with pytest.raises(ProtocolError) as err:
        parse_xml(xml)
    assert err.value.status == 400


def test_every_message_and_event_type_parses():
    cases = {
        "text": (text_xml("o1", "你好"), "text", "你好"),
        "voice": (push_xml("o1", "voice", MediaId="m1", Format="amr", Recognition="老板欠钱", MsgId=1), "voice", "老板欠钱"),
        "image": (push_xml("o1", "image", PicUrl="http://x/y.jpg", MediaId="m2", MsgId=2), "image", ""),
        "video": (push_xml("o1", "video", MediaId="m3", ThumbMediaId="t", MsgId=3), "video", ""),
        "shortvideo": (push_xml("o1", "shortvideo", MediaId="m4", ThumbMediaId="t", MsgId=4), "shortvideo", ""),
        "location": (push_xml("o1", "location", Location_X=23.1, Location_Y=113.3, Scale=20, Label="天河区", MsgId=5),
                     "location", "天河区"),
        "link": (push_xml("o1", "link", Title="标题", Description="d", Url="http://x", MsgId=6), "link", "标题"),
        "file": (push_xml("o1", "file", Title="合同.pdf", MediaId="m7", MsgId=7), "file", ""),
        "weird": (push_xml("o1", "hologram", MsgId=8), "unknown", ""),
    }
    for name, (xml, msg_type, text) in cases.items():
        message = to_inbound(xml)
        assert (message.msg_type, message.text, message.openid) == (msg_type, text, "o1"), name
    assert to_inbound(cases["image"][0]).media_id == "m2"
    assert to_inbound(cases["location"][0]).location == {"lat": 23.1, "lng": 113.3, "label": "天河区"}


@pytest.mark.parametrize("event,key,expected_event,expected_key", [
    ("subscribe", "", "subscribe", ""),
    ("subscribe", "qrscene_office_12", "subscribe_scan", "office_12"),
    ("unsubscribe", "", "unsubscribe", ""),
    ("SCAN", "office_12", "scan", "office_12"),
    ("LOCATION", "", "location", ""),
    ("CLICK", "MENU_WAGE", "click", "MENU_WAGE"),
    ("VIEW", "https://example.org", "view", "https://example.org"),
    ("TEMPLATESENDJOBFINISH", "", "templatesendjobfinish", ""),
    ("MASSSENDJOBFINISH", "", "masssendjobfinish", ""),
    ("SOMETHING_NEW", "", "something_new", ""),
])
def test_events_parse(event, key, expected_event, expected_key):
    message = to_inbound(event_xml("o1", event, key, create_time=1700000000))
    assert (message.msg_type, message.event, message.event_key) == ("event", expected_event, expected_key)


@pytest.mark.parametrize("xml", [
    "<xml><MsgType>text</MsgType><Content>x</Content></xml>",  # no sender
    push_xml("o1", "text", Content="x", MsgId="abc"),  # MsgId not a number
    push_xml("o1", "text", Content="x", MsgId=1, CreateTime=10**20),
    push_xml("o" * 200, "text", Content="x", MsgId=1),
])
def test_impossible_messages_are_refused(xml):
    with pytest.raises(ProtocolError):
        to_inbound(xml)


def test_reply_escapes_cdata_terminator_and_control_characters():
    hostile = "我的]]><MsgType>image</MsgType>工资\x00\x07还没给\n第二行"
    xml = render_text_reply(hostile, "o1", "gh_x", now=1700000000)
    parsed = parse_xml(xml)
    assert parsed["MsgType"] == "text"
    assert parsed["Content"] == "我的]]><MsgType>image</MsgType>工资还没给\n第二行"
    assert (parsed["ToUserName"], parsed["FromUserName"]) == ("o1", "gh_x")


def test_independent_decrypt_of_a_sealed_reply():
    """Our sealed reply decrypts with spec-only code (what an independent client does)."""
    key = base64.b64decode(SAMPLE_KEY + "=")
    sealed = parse_xml(SafeMode("tok", SAMPLE_APPID, [SAMPLE_KEY]).seal("<xml><B>2</B></xml>", 0, "n"))
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(base64.b64decode(sealed["Encrypt"])) + decryptor.finalize()
    plain = plain[:-plain[-1]]
    length = socket.ntohl(struct.unpack("I", plain[16:20])[0])
    assert plain[20:20 + length].decode() == "<xml><B>2</B></xml>"
    assert plain[20 + length:].decode() == SAMPLE_APPID
    expected = hashlib.sha1("".join(sorted(["tok", sealed["TimeStamp"], "n", sealed["Encrypt"]])).encode()).hexdigest()
    assert sealed["MsgSignature"] == expected


@pytest.mark.parametrize("xml", [
    text_xml("o1", "  两边有空格的话  ", msg_id=1),
    push_xml("o1", "event", Event="scancode_push", EventKey="k", ScanCodeInfo={"ScanType": "qrcode", "ScanResult": "1"}),
    "<xml><ToUserName><![CDATA[gh]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName><CreateTime>1</CreateTime>"
    "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[pic_sysphoto]]></Event><EventKey></EventKey>"
    "<SendPicsInfo><Count>2</Count><PicList><item><PicMd5Sum>a</PicMd5Sum></item><item><PicMd5Sum>b</PicMd5Sum>"
    "</item></PicList></SendPicsInfo></xml>",
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<xml>\n  <A>&lt;b&gt; &amp; &#20320;</A>\n  <B/>\n</xml>",
])
def test_xml_becomes_the_dict_wechatpy_would_make(xml):
    """parse_xml (ElementTree) gives exactly what wechatpy's xmltodict gives, nested and repeated elements too."""
    import xmltodict

    assert parse_xml(xml) == dict(xmltodict.parse(xml)["xml"])


LAUGHS = ('<?xml version="1.0" encoding="{enc}"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">'
          '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><xml><A>&c;</A></xml>')


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp037"])
def test_a_dtd_cannot_hide_in_another_encoding(encoding):
    """The DTD check reads bytes; a body in UTF-16, UTF-32 or EBCDIC must not get a DTD past it."""
    with pytest.raises(ProtocolError):
        parse_xml(LAUGHS.format(enc=encoding).encode(encoding))


def test_declared_encoding_cannot_change_how_utf8_bytes_are_read():
    """ASCII bytes declared as EBCDIC would spell a DTD to a parser that believed the declaration."""
    hidden = '<!DOCTYPE xml [<!ENTITY a "x">]><xml><A>&a;</A></xml>'.encode("cp037")
    with pytest.raises(ProtocolError):
        parse_xml(b'<?xml version="1.0" encoding="cp037"?>' + hidden)
    assert parse_xml(b'<?xml version="1.0" encoding="GBK"?><xml><A>ok</A></xml>') == {"A": "ok"}
