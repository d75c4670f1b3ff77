"""The `scale-broker` profile: the `scale` profile plus Rasa's RabbitMQ event broker, against the machine's
RabbitMQ (and PostgreSQL and Redis; `.ci/run` starts them when they are down). A conversation's events
reach the queue the profile names, in order; and the profile is the scale profile plus the broker, nothing
else."""

from __future__ import annotations

import asyncio
import json
import os
import uuid

import pytest
import yaml

from tests.e2e.servers import ROOT
from tests.scale.servers import running_replicas
from tests.scale.test_replicas import _services_or_skip, text_of

RABBITMQ = {"RABBITMQ_HOST": "127.0.0.1", "RABBITMQ_PORT": "5672", "RABBITMQ_USER": "guest",
            "RABBITMQ_PASSWORD": "guest"}
SCALE = ROOT / "bot" / "endpoints-scale.yml"
BROKER = ROOT / "bot" / "endpoints-scale-broker.yml"


def test_the_broker_profile_is_the_scale_profile_plus_the_broker():
    scale, broker = (yaml.safe_load(path.read_text(encoding="utf-8")) for path in (SCALE, BROKER))
    event_broker = broker.pop("event_broker")
    assert broker == scale
    assert event_broker["type"] == "pika" and event_broker["queues"] == ["${RABBITMQ_QUEUE}"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for variable in [*RABBITMQ, "RABBITMQ_QUEUE"]:
        assert f"export {variable} ?=" in makefile and f"${{{variable}}}" in BROKER.read_text(encoding="utf-8")


async def _drain(queue_name: str, seconds: float = 20.0) -> list[dict]:
    """Every message on the queue until it has been empty for 2 s (or ``seconds`` in all)."""
    import aio_pika

    connection = await aio_pika.connect_robust(host="127.0.0.1", port=5672, login="guest", password="guest")
    events: list[dict] = []
    try:
        channel = await connection.channel()
        queue = await channel.declare_queue(queue_name, durable=True)
        loop = asyncio.get_running_loop()
        deadline, quiet_since = loop.time() + seconds, loop.time()
        while loop.time() < deadline and loop.time() - quiet_since < 2.0:
            message = await queue.get(no_ack=True, fail=False)
            if message is None:
                await asyncio.sleep(0.1)
                continue
            events.append(json.loads(message.body))
            quiet_since = loop.time()
        await queue.delete(if_unused=False, if_empty=False)
    finally:
        await connection.close()
    return events


def _rabbitmq_or_skip() -> None:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=2).close()
    except OSError as error:
        if os.environ.get("YSLY_CI") == "1":  # CI: .ci/run started it
            raise
        pytest.skip(f"RabbitMQ is not running: {type(error).__name__}")


@pytest.mark.rasa
def test_a_conversation_s_events_reach_the_queue_in_order(trained_model):
    _services_or_skip()
    _rabbitmq_or_skip()
    queue = f"ysly_test_events_{uuid.uuid4().hex[:8]}"
    sender = f"broker-{uuid.uuid4().hex[:8]}"
    with running_replicas(trained_model, n=1, endpoints=BROKER, RABBITMQ_QUEUE=queue, **RABBITMQ) as replica:
        first = text_of(replica.say(0, sender, "公司拖欠工资三个月了怎么办"))
        second = text_of(replica.say(0, sender, "要带什么材料"))
        stored = replica.tracker(0, sender)["events"]
    assert first and second
    published = [e for e in asyncio.run(_drain(queue)) if e.get("sender_id") == sender]
    said = [(e["event"], e.get("text")) for e in published if e["event"] in ("user", "bot")]
    assert said == [(e["event"], e.get("text")) for e in stored if e["event"] in ("user", "bot")]
    assert [text for kind, text in said if kind == "user"] == ["公司拖欠工资三个月了怎么办", "要带什么材料"]
    assert any(kind == "bot" and text for kind, text in said)
    assert len(published) == len(stored)  # every event once: nothing lost, nothing doubled
