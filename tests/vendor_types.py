"""Vendor SDKs' types, to check the wire formats with code nobody here wrote.

The SDKs listed in `vendor-types.txt` (pinned) are installed on first use into
`.vendor-types/` at the repository's root, with `pip install --target`, and
never into this environment: there, Mirascope 1.x would import each vendor SDK
it finds in every generated package's tests, and the newest SDKs bring their
own HTTP stack (httpx2). A check runs in a new Python started with `-S`, which
sees the standard library and that folder only, so what validates is the
SDKs' own pydantic and types.

A checker is a script of `tests/vendor_checks/`: it reads a JSON payload on
stdin and writes a JSON result on stdout (see `check`).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .conftest import TEMPLATE

REQUIREMENTS = Path(__file__).with_name("vendor-types.txt")
"""The SDKs, pinned: one requirement per line."""
FOLDER = TEMPLATE / ".vendor-types"
"""Where they are installed (ignored by git)."""
CHECKERS = Path(__file__).with_name("vendor_checks")
"""The checker scripts, one per wire format."""
STAMP = "requirements.txt"
"""The requirements a folder was installed from, kept in it."""


def installed() -> Path:
    """The folder of the SDKs, installed first if missing or out of date.

    Workers of pytest-xdist may ask at once: each installs into a folder of
    its own and renames it into place; one that finds the place taken keeps
    the winner's.
    """
    wanted = REQUIREMENTS.read_text()
    stamp = FOLDER / STAMP
    if stamp.is_file() and stamp.read_text() == wanted:
        return FOLDER
    staging = Path(tempfile.mkdtemp(prefix=".vendor-types-", dir=TEMPLATE))
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--target",
                str(staging),
                "--requirement",
                str(REQUIREMENTS),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        (staging / STAMP).write_text(wanted)
        if FOLDER.exists() and not (stamp.is_file() and stamp.read_text() == wanted):
            shutil.rmtree(FOLDER, ignore_errors=True)
        with contextlib.suppress(OSError):  # another worker's folder is in place
            os.rename(staging, FOLDER)
    except subprocess.CalledProcessError as error:
        raise RuntimeError(
            f"Installing the vendor SDKs of {REQUIREMENTS.name} failed:\n{error.stderr}"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return FOLDER


def check(checker: str, payload: Any) -> Any:
    """Runs `vendor_checks/<checker>.py` on `payload`; returns what it printed, parsed.

    Raises:
        AssertionError: if the checker fails (its error output is the message).
    """
    script = CHECKERS / f"{checker}.py"
    done = subprocess.run(
        [sys.executable, "-S", str(script)],
        input=json.dumps(payload),
        env={**os.environ, "PYTHONPATH": str(installed())},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
