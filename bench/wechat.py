"""WeChat channel benchmark: how many replies per second the channel serves, and how much time it adds
to each message, with the bot replaced by an instant fake (so only the channel is measured).

    python -m bench.wechat [--requests 1500] [--concurrency 16] [--out reports/bench-wechat.md]

The channel is mounted by Rasa's configure_app and served by Sanic on 127.0.0.1 (random port); the load
comes from aiohttp in the same process, with every request built beforehand by wechatpy (signature,
encryption) so client-side crypto is not timed. Overhead = median round trip through the channel minus
the median round trip of a bare Sanic route on the same server (which costs the same HTTP and client).
Loopback only, bounded in requests and time.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import socket
import statistics
import time
import urllib.parse
from pathlib import Path

import aiohttp
import xmltodict
from sanic import response
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

ROOT = Path(__file__).resolve().parent.parent
TOKEN, APP_ID = "bench-token", "wxbench000000000"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
REPLY = "您好！我是“甬上乐业”政策助手，可以帮您查宁波的就业、住房、落户、子女医保和入学、技能补贴等政策。"
TIME_LIMIT = 45.0  # seconds for the whole run


class InstantAgent:
    """Stands in for Rasa's Agent: one fixed reply, no model."""

    async def handle_message(self, message) -> None:
        await message.output_channel.send_text_message(message.sender_id, REPLY)


def _sign(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


def _text_xml(i: int) -> str:
    return (f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[o-bench-{i % 50}]]>"
            f"</FromUserName><CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[孩子没有宁波户口能交医保吗 {i}]]></Content><MsgId>{10_000_000 + i}</MsgId></xml>")


def build_requests(n: int, encrypted: bool, offset: int) -> list[tuple[str, bytes]]:
    """(query string, body) pairs as WeChat sends them, each with its own MsgId (no dedupe hits)."""
    crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    requests = []
    for i in range(offset, offset + n):
        timestamp, nonce = str(int(time.time())), str(100_000 + i)
        params = {"signature": _sign(TOKEN, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                  "openid": f"o-bench-{i % 50}"}
        xml = _text_xml(i)
        if encrypted:
            envelope = xmltodict.parse(crypto.encrypt_message(xml, nonce, timestamp))["xml"]
            params.update(encrypt_type="aes", msg_signature=envelope["MsgSignature"])
            xml = f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><Encrypt><![CDATA[{envelope['Encrypt']}]]>" \
                  "</Encrypt></xml>"
        requests.append((urllib.parse.urlencode(params), xml.encode()))
    return requests


async def _timed_post(session, url, body, latencies) -> int:
    started = time.perf_counter()
    async with session.post(url, data=body) as resp:
        text = await resp.text()
    latencies.append(time.perf_counter() - started)
    return resp.status if text.startswith("<xml") or text == "bare" else -resp.status


async def sequential(session, base: str, path: str, requests) -> list[float]:
    latencies: list[float] = []
    for query, body in requests:
        status = await _timed_post(session, f"{base}{path}?{query}", body, latencies)
        assert status == 200, status
    return latencies


async def concurrent(session, base: str, path: str, requests, concurrency: int) -> tuple[float, int]:
    queue = list(requests)
    ok = 0
    latencies: list[float] = []

    async def worker():
        nonlocal ok
        while queue:
            query, body = queue.pop()
            if await _timed_post(session, f"{base}{path}?{query}", body, latencies) == 200:
                ok += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, ok


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def run_bench(n_requests: int, concurrency: int) -> dict:
    from rasa.core.run import configure_app

    from bot.channels.wechat import WeChatInput, WeChatSettings

    channel = WeChatInput(WeChatSettings(token=TOKEN, app_id=APP_ID, encoding_aes_key=AES_KEY, mode="compatible"))
    app = configure_app([channel], enable_api=False)
    app.ctx.agent = InstantAgent()
    app.config.ACCESS_LOG = False

    @app.post("/bare")
    async def bare(_request):  # the same HTTP path with no channel work: the baseline
        return response.text("bare")

    port = _free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False)
    await server.startup()
    await server.before_start()
    await server.after_start()
    base = f"http://127.0.0.1:{port}"
    path = "/webhooks/wechat/webhook"
    results: dict = {"n": n_requests, "concurrency": concurrency}
    try:
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector) as session:
            seq_n = max(100, n_requests // 3)
            warm = build_requests(50, True, 0)
            await sequential(session, base, path, warm)
            results["bare"] = await sequential(session, base, "/bare", build_requests(seq_n, False, 100_000))
            results["plain"] = await sequential(session, base, path, build_requests(seq_n, False, 200_000))
            results["safe"] = await sequential(session, base, path, build_requests(seq_n, True, 300_000))
            for mode, encrypted in (("plain", False), ("safe", True)):
                reqs = build_requests(n_requests, encrypted, 400_000 + (0 if encrypted else 500_000))
                elapsed, ok = await concurrent(session, base, path, reqs, concurrency)
                results[f"{mode}_rps"] = ok / elapsed
                results[f"{mode}_ok"] = ok
        results["turns"] = channel.endpoints["official_account"].turns.started
    finally:
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()
    return results


def _ms(values: list[float], q: float = 0.5) -> float:
    if q == 0.5:
        return statistics.median(values) * 1000
    return statistics.quantiles(values, n=100)[int(q * 100) - 1] * 1000


def render(results: dict) -> str:
    bare = _ms(results["bare"])
    rows = []
    for mode, label in (("plain", "plaintext"), ("safe", "safe mode (AES)")):
        median = _ms(results[mode])
        rows.append(f"| {label} | {results[f'{mode}_rps']:.0f} | {median:.2f} | {_ms(results[mode], 0.95):.2f} "
                    f"| {median - bare:.2f} |")
    return "\n".join([
        "# WeChat channel benchmark",
        "",
        f"`python -m bench.wechat` on {platform.machine()} ({os.cpu_count()} cores), Python "
        f"{platform.python_version()}. The bot is an instant fake; the channel is mounted by Rasa's "
        "configure_app and served by Sanic on 127.0.0.1; the client (aiohttp) runs in the same process and "
        "loop, so throughput is a lower bound for the channel alone.",
        "",
        f"Throughput: {results['n']} messages per mode, {results['concurrency']} concurrent. Latency: "
        f"{len(results['plain'])} sequential messages per mode. Overhead = median channel round trip minus "
        f"the median round trip of a bare Sanic route ({bare:.2f} ms) on the same server.",
        "",
        "| mode | replies/s | median ms | p95 ms | channel overhead per message (median, ms) |",
        "| --- | ---: | ---: | ---: | ---: |",
        *rows,
        "",
        f"Every message was a new MsgId: {results['turns']} turns started, "
        f"{results['plain_ok'] + results['safe_ok']} concurrent replies were passive XML replies (HTTP 200).",
        f"WeChat allows 5 s per message and the channel answers passively up to {4.0:.0f} s; the channel's own "
        f"cost is about {max(_ms(results['safe']) - bare, 0):.2f} ms of that, so the bot, not the channel, decides "
        "whether a reply is passive or goes through the customer-service API.",
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--out", default=str(ROOT / "reports" / "bench-wechat.md"))
    args = parser.parse_args()
    logging.getLogger("bot.channels").setLevel(logging.WARNING)
    logging.getLogger("sanic.access").setLevel(logging.WARNING)
    results = asyncio.run(asyncio.wait_for(run_bench(args.requests, args.concurrency), TIME_LIMIT))
    report = render(results)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
