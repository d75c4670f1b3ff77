"""The REST channel (bot.channels.rest.RestInput): Rasa's own REST channel, except that a turn the bot
leaves silent (a failed custom action) is answered with utter_no_reply, and a handed-off one with the
waiting line (bot/channels/handoff.py, tested on its own in test_handoff.py)."""

import asyncio
import json
import logging

import pytest
from rasa.core.run import configure_app

from bot.channels.rest import RestInput
from tests.channels.conftest import FakeAgent, agent_with_endpoint, dead_action_endpoint, domain_responses

NO_REPLY = domain_responses()["utter_no_reply"][0]["text"]


def post(agent, *messages, sender="rest-tester"):
    """POST each message to /webhooks/rest/webhook of an app wired as `rasa run` wires it; the replies."""
    app = configure_app([RestInput()], enable_api=False)
    app.ctx.agent = agent

    async def body():
        replies = []
        for text in messages:
            _, reply = await app.asgi_client.post("/webhooks/rest/webhook", json={"sender": sender, "message": text})
            assert reply.status == 200, reply.body
            replies.append(reply.json)
        return replies

    return asyncio.run(body())


def test_the_url_and_the_replies_are_rasas():
    assert RestInput.name() == "rest"
    (reply,) = post(FakeAgent(answer=lambda text: ["第一句。", "第二句。"]), "你好")
    assert [m["text"] for m in reply] == ["第一句。", "第二句。"]


def test_a_silent_turn_is_answered_with_no_reply(caplog):
    with caplog.at_level(logging.WARNING, logger="bot.channels"):
        (reply,) = post(FakeAgent(answer=lambda text: []), "公司拖欠工资怎么办")
    assert reply == [{"recipient_id": "rest-tester", "text": NO_REPLY}]
    assert "12345" in NO_REPLY
    assert "no reply" in caplog.text and "公司拖欠工资" not in caplog.text


def test_health_is_untouched():
    app = configure_app([RestInput()], enable_api=False)
    app.ctx.agent = FakeAgent()
    _, reply = asyncio.run(app.asgi_client.get("/webhooks/rest/"))
    assert reply.json == {"status": "ok"}


# ------------------------------------------------------------------------- with the trained bot


@pytest.mark.rasa
def test_action_server_down_the_reply_says_so(rasa_agent):
    agent = agent_with_endpoint(rasa_agent, dead_action_endpoint())
    (reply,) = post(agent, "公司拖欠工资三个月了怎么办", sender="rest-dead-actions")
    assert [m.get("text") for m in reply] == [rasa_agent.domain.responses["utter_no_reply"][0]["text"]]


@pytest.mark.rasa
def test_after_hand_off_one_short_line_until_the_worker_takes_the_bot_back(rasa_agent, action_server_url):
    responses = rasa_agent.domain.responses
    waiting = responses["utter_handoff_waiting"][0]["text"]
    handoff, later, back, answered = post(agent_with_endpoint(rasa_agent, action_server_url), "我要找人工客服",
                                          "喂，有人吗", "算了不等了，回到机器人", "公司拖欠工资怎么办",
                                          sender="rest-handoff")
    assert any("人工" in (m.get("text") or "") for m in handoff), handoff
    assert [m.get("text") for m in later] == [waiting]
    assert [m.get("text") for m in back] == [responses["utter_handoff_cancelled"][0]["text"]]
    assert any("无欠薪" in (m.get("text") or "") for m in answered), answered


# ------------------------------------------------------------------------- a message sent again


def test_a_message_id_must_be_a_short_plain_token():
    from bot.channels.rest import BadRequest, read_body

    def body(message_id):
        return json.dumps({"sender": "w", "message": "你好", "message_id": message_id}).encode()

    assert read_body(body("c7-turn-3")).message_id == "c7-turn-3"
    assert read_body(json.dumps({"sender": "w", "message": "你好"}).encode()).message_id is None
    for wrong in ("", "x" * 65, "两个字", "a b", 7, ["a"], "a\n"):
        with pytest.raises(BadRequest, match="message_id"):
            read_body(body(wrong))


def test_the_replies_to_a_message_are_read_from_the_tracker():
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.channels.once import replies_to

    tracker = DialogueStateTracker.from_events("w", [
        ActionExecuted("action_listen"), UserUttered("你好", message_id="m1"), BotUttered("您好"),
        BotUttered("请选择", data={"buttons": [{"title": "医保", "payload": "/ask"}]}),
        ActionExecuted("action_listen"), UserUttered("医保", message_id="m2"), BotUttered("好的")])
    assert replies_to(tracker, "m1") == [{"text": "您好"},
                                         {"text": "请选择", "buttons": [{"title": "医保", "payload": "/ask"}]}]
    assert replies_to(tracker, "m2") == [{"text": "好的"}]
    assert replies_to(tracker, "m3") is None and replies_to(None, "m1") is None


def post_bodies(agent, bodies, concurrently=False):
    app = configure_app([RestInput()], enable_api=False)
    app.ctx.agent = agent

    async def one(body):
        _, reply = await app.asgi_client.post("/webhooks/rest/webhook", json=body)
        return reply.status, reply.json

    async def all_of_them():
        if concurrently:
            return await asyncio.gather(*(one(body) for body in bodies))
        return [await one(body) for body in bodies]

    return asyncio.run(all_of_them())


def user_events(agent, sender):
    from rasa.shared.core.events import UserUttered

    tracker = asyncio.run(agent.tracker_store.retrieve(sender))
    return [(e.text, e.message_id) for e in tracker.events if isinstance(e, UserUttered)]


@pytest.mark.rasa
def test_a_message_sent_again_is_answered_again_without_a_second_turn(rasa_agent, action_server_url):
    agent = agent_with_endpoint(rasa_agent, action_server_url)
    first = {"sender": "rest-again", "message": "公司拖欠工资三个月了怎么办", "message_id": "again-1"}
    second = {"sender": "rest-again", "message": "要带什么材料", "message_id": "again-2"}
    replies = post_bodies(agent, [first, first, second, first, second])
    assert all(status == 200 for status, _ in replies)
    assert replies[0][1] and replies[1] == replies[0] == replies[3] and replies[4] == replies[2]
    assert replies[2][1] != replies[0][1]
    assert user_events(agent, "rest-again") == [("公司拖欠工资三个月了怎么办", "again-1"), ("要带什么材料", "again-2")]


@pytest.mark.rasa
def test_the_same_message_sent_five_times_at_once_is_one_turn(rasa_agent, action_server_url):
    agent = agent_with_endpoint(rasa_agent, action_server_url)
    body = {"sender": "rest-five", "message": "老板不跟我签劳动合同怎么办", "message_id": "five-1"}
    replies = post_bodies(agent, [body] * 5, concurrently=True)
    assert all(status == 200 for status, _ in replies) and replies[0][1]
    assert all(reply == replies[0] for reply in replies)
    assert user_events(agent, "rest-five") == [("老板不跟我签劳动合同怎么办", "five-1")]
    without_ids = post_bodies(agent, [{"sender": "rest-five", "message": "老板不跟我签劳动合同怎么办"}] * 2)
    assert len(user_events(agent, "rest-five")) == 3 and without_ids[0][1]  # no id: every request is a turn
