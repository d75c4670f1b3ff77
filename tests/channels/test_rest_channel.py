"""The REST channel (bot.channels.rest.RestInput): Rasa's own REST channel, except that a turn the bot
leaves silent (a failed custom action) is answered with utter_no_reply, and a handed-off one with the
waiting line (bot/channels/handoff.py, tested on its own in test_handoff.py)."""

import asyncio
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
