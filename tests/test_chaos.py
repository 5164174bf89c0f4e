"""The chaos run (`python -m benchmarks.chaos`) passes, briefly, on every format.

A short run of the script anyone can repeat: every call ends in a complete
answer or the package's own error, and the key shows nowhere.
"""

from __future__ import annotations

import subprocess
import sys

from .conftest import TEMPLATE


def test_a_short_chaos_run_has_no_violation() -> None:
    """48 calls per format against a fake API that fails most of the time."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.chaos", "--calls", "48", "--seed", "3"],
        cwd=TEMPLATE,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "OK: no violation" in output
    assert "complete answer" in output
    assert "RateLimitError" in output
