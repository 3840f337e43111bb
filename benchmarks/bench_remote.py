"""The environment served over HTTP (`toolgym serve-env`) and MCP, against the same environment in-process.

    python benchmarks/bench_remote.py                # 5 repeats
    python benchmarks/bench_remote.py --repeats 9

The server runs as a real subprocess (`python -m toolgym serve-env SUITE`) on loopback, so client
and server do not share a GIL. Each repeat measures, on the same tasks, both sides interleaved
(local, remote, local, ...) so machine load hits both alike; the figures are medians over repeats.

* step latency: retail's gold actions replayed one call per request, in-process `StatefulEpisode.call`
  against `RemoteEpisode.call` (one HTTP round trip each), median per call;
* reward calls/s: fc-core completions scored in-process (`FunctionCallingEnv.verify`), remotely one
  `verify` request each, and remotely in batches of 64 completions per `/v1/reward` request;
* MCP call overhead: the same retail tool called in-process and through `toolgym serve-mcp`
  (stdio) with the official client; and a third-party server's call (mcp-server-time), with each
  session's start-up time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from toolgym.envs import FunctionCallingEnv, RemoteEnvironment, StatefulEnv  # noqa: E402
from toolgym.suites import load_suite  # noqa: E402
from toolgym.types import Message, ToolCall  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
ENV.pop("TOOLGYM_ENV_TOKEN", None)
BATCH = 64


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """`toolgym serve-env SUITE` in a subprocess."""

    def __init__(self, suite: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([sys.executable, "-m", "toolgym", "serve-env", suite, "--port", str(self.port)],
                                     env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(self.url + "/v1/suite")
                return
            except httpx.TransportError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"serve-env {suite} did not start") from None
                time.sleep(0.2)

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def step_latency(tasks, local_env, remote_env, repeats: int) -> tuple[float, float]:
    """Median seconds per call: in-process and remote."""
    local_runs, remote_runs = [], []
    for _ in range(repeats):
        for env, out in ((local_env, local_runs), (remote_env, remote_runs)):
            times = []
            for task in tasks:
                episode = env.reset(task)
                for action in task.expected.gold_actions:
                    start = time.perf_counter()
                    episode.call(action)
                    times.append(time.perf_counter() - start)
                episode.close()
            out.append(statistics.median(times))
    return statistics.median(local_runs), statistics.median(remote_runs)


def answers(tasks) -> list[list[Message]]:
    out = []
    for task in tasks:
        calls = [ToolCall(name=c.name, arguments={k: v[0] for k, v in c.arguments.items() if v and v[0] != ""})
                 for c in task.expected.calls or []]
        out.append([*task.messages, Message(role="assistant", content=None if calls else "no", tool_calls=calls)])
    return out


def reward_rates(tasks, local_env, remote_env, repeats: int) -> tuple[float, float, float]:
    """Rewards per second: in-process, remote one request each, remote batched."""
    transcripts = answers(tasks)
    texts = [_hermes(t[-1]) for t in transcripts]
    ids = [t.id for t in tasks]
    rates: dict[str, list[float]] = {"local": [], "each": [], "batch": []}
    for _ in range(repeats):
        start = time.perf_counter()
        for task, transcript in zip(tasks, transcripts, strict=True):
            local_env.verify(task, transcript)
        rates["local"].append(len(tasks) / (time.perf_counter() - start))
        start = time.perf_counter()
        for task, transcript in zip(tasks, transcripts, strict=True):
            remote_env.verify(task, transcript)
        rates["each"].append(len(tasks) / (time.perf_counter() - start))
        start = time.perf_counter()
        for i in range(0, len(tasks), BATCH):
            remote_env.rewards(ids[i : i + BATCH], texts[i : i + BATCH])
        rates["batch"].append(len(tasks) / (time.perf_counter() - start))
    return statistics.median(rates["local"]), statistics.median(rates["each"]), statistics.median(rates["batch"])


def _hermes(message: Message) -> str:
    import json

    if not message.tool_calls:
        return message.content or ""
    return "\n".join(f"<tool_call>\n{json.dumps({'name': c.name, 'arguments': c.arguments})}\n</tool_call>"
                     for c in message.tool_calls)


async def mcp_latency(command: list[str], tool: str, arguments: dict, calls: int) -> tuple[float, float]:
    """(session start-up seconds, median seconds per call) of an MCP server launched over stdio."""
    from mcp import ClientSession, StdioServerParameters, stdio_client

    start = time.perf_counter()
    params = StdioServerParameters(command=command[0], args=command[1:], env=ENV)
    with open(os.devnull, "w") as quiet:
        async with stdio_client(params, errlog=quiet) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            started = time.perf_counter() - start
            times = []
            for _ in range(calls):
                t = time.perf_counter()
                result = await session.call_tool(tool, arguments)
                times.append(time.perf_counter() - t)
                assert not result.is_error, result
    return started, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    retail = load_suite("retail")
    tasks = list(retail.split("test"))[:20]
    served = Served("retail")
    try:
        remote = RemoteEnvironment(served.url)
        local_s, remote_s = step_latency(tasks, StatefulEnv(), remote, args.repeats)
        remote.close()
    finally:
        served.close()
    print(f"step latency (retail, {len(tasks)} tasks' gold calls, median of {args.repeats}):")
    print(f"  in-process {local_s * 1e6:9.1f} us/call   remote {remote_s * 1e3:7.2f} ms/call   "
          f"ratio remote/in-process {remote_s / local_s:,.0f}x")

    fc = load_suite("fc-core")
    fc_tasks = list(fc.split("test"))
    served = Served("fc-core")
    try:
        remote = RemoteEnvironment(served.url)
        local_r, each_r, batch_r = reward_rates(fc_tasks, FunctionCallingEnv(), remote, args.repeats)
        remote.close()
    finally:
        served.close()
    print(f"reward calls/s (fc-core, {len(fc_tasks)} completions, median of {args.repeats}):")
    print(f"  in-process {local_r:9.0f}/s   remote one request each {each_r:7.0f}/s "
          f"({each_r / local_r:.3f}x)   remote batches of {BATCH} {batch_r:7.0f}/s ({batch_r / local_r:.3f}x)")

    task = retail.split("test")[0]
    action = task.expected.gold_actions[0]
    episode = StatefulEnv().reset(task)
    times = []
    for _ in range(200):
        t = time.perf_counter()
        episode.call(action)
        times.append(time.perf_counter() - t)
    in_process = statistics.median(times)
    serve_start, serve_call = asyncio.run(mcp_latency(
        [sys.executable, "-m", "toolgym", "serve-mcp", "retail", "--task", task.id], action.name, action.arguments,
        200))
    time_start, time_call = asyncio.run(mcp_latency(
        [sys.executable, "-m", "mcp_server_time", "--local-timezone", "UTC"], "get_current_time",
        {"timezone": "Asia/Tokyo"}, 200))
    print("MCP call overhead (median of 200 calls over stdio):")
    print(f"  retail {action.name}: in-process {in_process * 1e6:.1f} us, via toolgym serve-mcp "
          f"{serve_call * 1e3:.2f} ms ({serve_call / in_process:,.0f}x; session start {serve_start:.2f} s)")
    print(f"  mcp-server-time get_current_time: {time_call * 1e3:.2f} ms per call; session start {time_start:.2f} s")


if __name__ == "__main__":
    main()
