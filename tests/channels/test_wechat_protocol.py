"""The pure protocol helpers, checked against wechatpy and WeChat's published example."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.parser import parse_message as wechatpy_parse
from wechatpy.utils import check_signature

from bot.channels.wechat_protocol import (
    MalformedMessage,
    bot_messages_to_text,
    is_authentic,
    is_fresh,
    parse_message,
    parse_xml,
    plan_messages,
    render_text_reply,
    signature_of,
    split_utf8,
    utf8_len,
)
from tests.channels.conftest import event_xml, signature, text_xml

# WeChat's documented example (Official Account "接入概述"): token AAAAA.
OFFICIAL = ("AAAAA", "1714037059", "486452656", "899cf89e464efb63f54ddac96b0a0a235f53aa78")


def test_official_signature_example():
    token, timestamp, nonce, expected = OFFICIAL
    assert signature_of(token, timestamp, nonce) == expected
    assert is_authentic(token, expected, timestamp, nonce)
    check_signature(token, expected, timestamp, nonce)  # wechatpy agrees


@pytest.mark.parametrize("forged", ["", "0" * 40, OFFICIAL[3][:-1] + "0", OFFICIAL[3] + "0"])
def test_forged_signatures_fail_here_and_in_wechatpy(forged):
    token, timestamp, nonce, _ = OFFICIAL
    assert not is_authentic(token, forged, timestamp, nonce)
    with pytest.raises(InvalidSignatureException):
        check_signature(token, forged, timestamp, nonce)


def test_signature_needs_every_part():
    token, timestamp, nonce, expected = OFFICIAL
    assert not is_authentic("", expected, timestamp, nonce)
    assert not is_authentic(token, expected, None, nonce)
    assert not is_authentic(token, expected, timestamp, "1")


def test_msg_signature_covers_the_ciphertext():
    parts = ("tok", "1714037059", "42", "CIPHERTEXT==")
    assert is_authentic(parts[0], signature(*parts), *parts[1:])
    assert not is_authentic(parts[0], signature(*parts), parts[1], parts[2], "OTHER==")


@pytest.mark.parametrize("timestamp,ok", [("1000", True), ("700", True), ("699", False), ("1301", False),
                                          ("", False), (None, False), ("12a", False), ("-5", False)])
def test_timestamp_window(timestamp, ok):
    assert is_fresh(timestamp, now=1000, window_seconds=300) is ok


def test_parse_text_message():
    fields = parse_xml(text_xml("你好 & <宁波>", msg_id=77))
    message = parse_message(fields)
    assert (message.msg_type, message.content, message.msg_id) == ("text", "你好 & <宁波>", "77")
    assert message.dedupe_key == "msg:77"


def test_events_dedupe_on_sender_time_and_event():
    message = parse_message(parse_xml(event_xml("subscribe", "qrscene_123", create_time=1714037059)))
    assert message.msg_id is None and message.event == "subscribe"
    assert message.dedupe_key.endswith(":1714037059:subscribe")


def test_nested_menu_event_fields():
    xml = ("<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime>"
           "<MsgType>event</MsgType><Event>scancode_push</Event><EventKey>k</EventKey>"
           "<ScanCodeInfo><ScanType>qrcode</ScanType><ScanResult>1</ScanResult></ScanCodeInfo></xml>")
    assert parse_xml(xml)["ScanCodeInfo/ScanType"] == "qrcode"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<xml><MsgType>text</MsgType><FromUserName>o</FromUserName><Content>&lol4;</Content></xml>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xml><MsgType>text</MsgType><FromUserName>o</FromUserName><Content>&xxe;</Content></xml>"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd">%p;]>
<xml><MsgType>text</MsgType></xml>"""


@pytest.mark.parametrize("body,reason", [
    (BILLION_LAUGHS, "DOCTYPE"),
    (EXTERNAL_ENTITY, "DOCTYPE"),
    (PARAMETER_ENTITY, "DOCTYPE"),
    (b"<xml><Content>&nbsp;</Content></xml>", "not well-formed"),
    (b"<xml><MsgType>text</MsgType>", "not well-formed"),
    (b"", "empty"),
    (b"{\"MsgType\": \"text\"}", "not well-formed"),
    (b"<root><MsgType>text</MsgType></root>", "root element"),
    (b"<xml><a><b><c><d>x</d></c></b></a></xml>", "nested"),
    (b"<xml>" + b"<F>1</F>" * 0 + b"".join(b"<F%d>1</F%d>" % (i, i) for i in range(100)) + b"</xml>",
     "too many"),
])
def test_parser_refuses_entities_and_garbage(body, reason):
    with pytest.raises(MalformedMessage, match=reason):
        parse_xml(body)


@pytest.mark.parametrize("fields,reason", [
    ({"FromUserName": "o"}, "MsgType"),
    ({"MsgType": "text"}, "FromUserName"),
    ({"MsgType": "event", "FromUserName": "o"}, "Event"),
])
def test_message_needs_type_and_sender(fields, reason):
    with pytest.raises(MalformedMessage, match=reason):
        parse_message(fields)


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("政策原文。，！\n 1aé🙂𠀀")), max_size=3000),
       limit=st.integers(min_value=4, max_value=600))
def test_split_never_exceeds_limit_nor_breaks_a_character(text, limit):
    pieces = split_utf8(text, limit)
    assert all(0 < utf8_len(piece) <= limit for piece in pieces)
    squash = str.maketrans("", "", " \n")
    assert "".join(pieces).translate(squash) == text.translate(squash)


def test_split_prefers_sentence_ends():
    sentence = "父母一方参加本市职工基本医保累计缴费满12个月。"  # 24 chars, 64 bytes
    pieces = split_utf8(sentence * 100, 2048)
    assert all(piece.endswith("。") for piece in pieces)
    assert all(utf8_len(piece) <= 2048 for piece in pieces)


def test_plan_truncates_with_a_note_within_the_limit():
    pieces = plan_messages("很长的内容。" * 2000, max_messages=2, truncated_note="（已截断）")
    assert len(pieces) == 2
    assert pieces[-1].endswith("（已截断）")
    assert all(utf8_len(piece) <= 2048 for piece in pieces)
    assert plan_messages("短", 1, "x") == ["短"]
    assert plan_messages("   ", 1, "x") == []


def test_bot_messages_flatten_buttons_and_images():
    text = bot_messages_to_text([
        {"recipient_id": "o", "text": "请问孩子几岁？", "buttons": [{"title": "3岁以下", "payload": "/inform"},
                                                            {"title": "3岁及以上", "payload": "/inform"}]},
        {"recipient_id": "o", "image": "https://example.org/a.png"},
        {"recipient_id": "o", "custom": {"text": "自定义"}},
        {"recipient_id": "o", "text": "bad\x00char"},
    ])
    assert text == "请问孩子几岁？\n1. 3岁以下\n2. 3岁及以上\n\nhttps://example.org/a.png\n\n自定义\n\nbadchar"


def test_reply_xml_is_what_wechatpy_parses():
    xml = render_text_reply("o_user", "gh_x", "a ]]> b <c> &d 中文", 1714037059)
    parsed = wechatpy_parse(xml)
    assert (parsed.type, parsed.content, parsed.target, parsed.source) == (
        "text", "a ]]> b <c> &d 中文", "o_user", "gh_x")
