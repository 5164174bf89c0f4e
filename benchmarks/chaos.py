"""A chaos run: the generated provider against a fake API that fails often.

    python -m benchmarks.chaos                  # both wire formats, 400 calls each
    python -m benchmarks.chaos --calls 100 --seed 7 --format anthropic-messages

For each wire format, the template is rendered with its default answers, and
the generated package is driven, in a process of its own, against its own fake
API (`tests/fake_server.py`, a real HTTP server on 127.0.0.1) whose every
answer is drawn at random: about 30% `429 Too Many Requests`, 20% `503`, and,
for streams, 20% stream faults (the connection drops, the body ends without
its end mark, a malformed event, an error event, or a stall past the read
timeout), anywhere in the stream; the rest are plain answers. Error bodies and
`x-request-id` headers echo the API key. The calls cycle through call, async
call, stream and async stream, each with the default client and with a plain
`httpx` client of the caller's, under the package's retry policy (its waits
shortened so that the run takes seconds).

Each call must end in one of two ways: a complete answer (the whole text the
fake API meant to send), or an error of the package's own. Anything else is a
violation: a foreign exception, a cut-off answer presented as complete, or the
key in an error's message or repr, a response's repr or dump, or a log line.
The run prints its figures and exits 1 on any violation.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import logging
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
KEY = "sk-chaos-key-0123456789abcdef"
"""The key the fake API expects, and echoes in its errors."""
TEXT = "Dune, by Frank Herbert, is a novel about politics, ecology and religion."
MODES = ("call", "async call", "stream", "async stream")
CLIENTS = ("default", "yours")
TIMEOUT = 0.3
"""Seconds the clients wait for the fake API (stalls outlast it)."""


def render(wire_format: str, output_dir: Path) -> Path:
    """Renders the template's defaults with this wire format; returns the project."""
    from cookiecutter.main import cookiecutter

    with _environment(MIRASCOPE_TEMPLATE_SKIP_SMOKE="1"):
        project = cookiecutter(
            str(REPO),
            no_input=True,
            output_dir=str(output_dir),
            default_config=True,
            extra_context={"wire_format": wire_format},
        )
    return Path(project)


@contextlib.contextmanager
def _environment(**values: str) -> Any:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def drive(project: Path, calls: int, seed: int) -> dict[str, Any]:
    """Runs the calls against the generated package's fake API; returns the tally.

    Runs in a process of its own (see `main`): it imports the project's package
    and its `tests` folder.
    """
    sys.path[:0] = [str(project / "src"), str(project)]
    import httpx
    from mirascope.core import prompt_template

    answers = json.loads((project / ".cookiecutter.json").read_text())
    package = __import__(f"mirascope_{answers['provider_slug']}")
    model = answers["default_model"]
    # The package's own errors derive from one base, a direct `Exception`.
    (own_error,) = (
        value
        for name, value in vars(package).items()
        if name.endswith("Error") and getattr(value, "__bases__", ()) == (Exception,)
    )
    fake_server = __import__("tests.fake_server", fromlist=["FakeAPI"])
    Reply = __import__("tests.fake_exchange", fromlist=["Reply"]).Reply

    rng = random.Random(seed)
    faults = ("drop", "truncate", "malformed", "error_event", "stall")

    class ChaosAPI(fake_server.FakeAPI):
        """The fake API, answering each request with a random outcome."""

        def take_reply(self) -> Any:
            draw = rng.random()
            echo = {"x-request-id": f"req-{KEY}", "retry-after": "0"}
            if draw < 0.3:
                return Reply(text=f"Slow down, {KEY}.", status=429, headers=echo)
            if draw < 0.5:
                return Reply(text=f"Busy, {KEY}.", status=503, headers=echo)
            if draw < 0.7:
                return Reply(
                    text=TEXT,
                    stream_fault=rng.choice(faults),
                    fault_after=rng.randrange(0, 6),
                )
            return Reply(text=TEXT)

    log = io.StringIO()
    handler = logging.StreamHandler(log)
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.DEBUG)

    api = ChaosAPI(api_key=KEY)
    api.start()
    os.environ[package._settings.API_KEY_ENV] = KEY
    os.environ[package._settings.BASE_URL_ENV] = api.url
    os.environ[package._settings.TIMEOUT_ENV] = str(TIMEOUT)
    policy = package.RetryPolicy(max_retries=2, initial_delay=0.005, max_delay=0.02)
    decorator = package.call
    tally: Counter[str] = Counter()
    violations: list[str] = []
    shown: list[str] = []

    def settle(outcome: str, result: Any, error: BaseException | None) -> None:
        if error is None:
            content = result.content
            if content != TEXT:
                violations.append(f"{outcome}: an answer cut short: {content!r}")
            shown.extend(
                [repr(result), result.model_dump_json()]
                if hasattr(result, "model_dump_json")
                else [repr(result)]
            )
            tally[f"{outcome}: complete answer"] += 1
            return
        if not isinstance(error, own_error):
            violations.append(f"{outcome}: foreign {type(error).__name__}: {error}")
        shown.extend([str(error), repr(error), getattr(error, "request_id", "") or ""])
        tally[f"{outcome}: {type(error).__name__}"] += 1

    def call_sync(client: Any, stream: bool) -> Any:
        @decorator(model, client=client, stream=stream)
        @prompt_template("Recommend a book")
        def recommend(): ...

        result = recommend()
        if stream:
            for _ in result:
                pass
        return result

    async def call_async(client: Any, stream: bool) -> Any:
        @decorator(model, client=client, stream=stream)
        @prompt_template("Recommend a book")
        async def recommend(): ...

        result = await recommend()
        if stream:
            async for _ in result:
                pass
        return result

    sync_client = httpx.Client(base_url=api.url, timeout=TIMEOUT)

    async def run_async(calls_async: list[tuple[str, bool]]) -> None:
        async with httpx.AsyncClient(base_url=api.url, timeout=TIMEOUT) as yours:
            for client_kind, stream in calls_async:
                client = yours if client_kind == "yours" else None
                outcome = f"{'async stream' if stream else 'async call'}, {client_kind}"
                try:
                    result = await call_async(client, stream)
                except Exception as error:
                    settle(outcome, None, error)
                else:
                    settle(outcome, result, None)

    plan = [(MODES[n % 4], CLIENTS[(n // 4) % 2]) for n in range(calls)]
    with package.use_retry_policy(policy):
        for mode, client_kind in plan:
            if mode.startswith("async"):
                continue
            client = sync_client if client_kind == "yours" else None
            outcome = f"{mode}, {client_kind}"
            try:
                result = call_sync(client, mode == "stream")
            except Exception as error:
                settle(outcome, None, error)
            else:
                settle(outcome, result, None)
        asyncio.run(
            run_async(
                [(k, m == "async stream") for m, k in plan if m.startswith("async")]
            )
        )
    sync_client.close()
    api.stop()
    logging.getLogger().removeHandler(handler)
    shown.append(log.getvalue())
    leaks = sum(KEY in text for text in shown)
    if leaks:
        violations.append(f"the key shows in {leaks} errors, reprs, dumps or logs")
    return {
        "calls": calls,
        "requests": len(api.requests),
        "outcomes": dict(sorted(tally.items())),
        "violations": violations,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.chaos")
    parser.add_argument("--calls", type=int, default=400, help="calls per format")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", action="append", help="a wire format (all)")
    parser.add_argument("--driver", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.driver:
        print(json.dumps(drive(args.driver, args.calls, args.seed)))
        return 0
    spec = json.loads((REPO / "cookiecutter.json").read_text())
    formats = args.format or spec["wire_format"]
    failed = False
    with tempfile.TemporaryDirectory(prefix="chaos-") as tmp:
        for wire_format in formats:
            project = render(wire_format, Path(tmp) / wire_format)
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "benchmarks.chaos",
                    "--driver",
                    str(project),
                    "--calls",
                    str(args.calls),
                    "--seed",
                    str(args.seed),
                ],
                cwd=REPO,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                print(f"{wire_format}: the driver failed:\n{done.stderr}")
                failed = True
                continue
            result = json.loads(done.stdout.splitlines()[-1])
            print(
                f"## {wire_format}: {result['calls']} calls,"
                f" {result['requests']} requests"
            )
            for outcome, count in result["outcomes"].items():
                print(f"- {outcome}: {count}")
            for violation in result["violations"]:
                print(f"VIOLATION: {violation}")
            failed = failed or bool(result["violations"])
    print("FAILED: see the violations above" if failed else "OK: no violation")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
