"""The customer-service client on its own, against the loopback mock of WeChat's API."""

from bot.channels.wechat_api import CustomerServiceClient
from tests.channels.conftest import APP_ID, APP_SECRET, OPENID, MockWeChatAPI, run


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_token_is_cached_until_shortly_before_it_expires():
    clock = Clock()

    async def body():
        api = MockWeChatAPI()
        base = await api.start()
        try:
            client = CustomerServiceClient(APP_ID, APP_SECRET, base, clock=clock)
            await client.send_texts(OPENID, ["一"])
            clock.now += 6000  # within 7200 s minus the safety margin
            await client.send_texts(OPENID, ["二"])
            clock.now += 1000  # past expires_in - 300
            await client.send_texts(OPENID, ["三"])
            return api, client
        finally:
            await api.close()

    api, client = run(body())
    assert [m["access_token"] for m in api.sent] == ["TOKEN-1", "TOKEN-1", "TOKEN-2"]
    assert client.token_fetches == 2
    assert APP_SECRET not in repr(client)


def test_outside_the_48_hour_window_is_reported_not_retried():
    async def body():
        api = MockWeChatAPI()
        api.send_errors = [45015]
        base = await api.start()
        try:
            report = await CustomerServiceClient(APP_ID, APP_SECRET, base).send_texts(OPENID, ["一", "二"])
            return api, report
        finally:
            await api.close()

    api, report = run(body())
    assert (report.sent, report.outcome, report.errcodes) == (0, "outside_window", [45015])
    assert len(api.sent) == 1


def test_unreachable_api_fails_cleanly():
    async def body():
        client = CustomerServiceClient(APP_ID, APP_SECRET, "http://127.0.0.1:9", timeout=2)
        return await client.send_texts(OPENID, ["一"])

    report = run(body())
    assert (report.sent, report.outcome) == (0, "failed")
