"""Logs go to stdout, one line per event, with level, logger and message, and
nothing secret: a traceback stays on its event's line, and a line break inside
a value cannot start a forged line."""

import logging
import subprocess
import sys

from bench.prodsite import PROJECT_ROOT, production_env
from core.logging import OneLineFormatter

TOKEN = "Zt3q_secret-token"

LOG_AN_EXCEPTION_AND_A_FORGED_LINE = f"""
import logging
import django
django.setup()
log = logging.getLogger("consultations.views")
try:
    raise ValueError("no booking at /consultations/manage/{TOKEN}/")
except ValueError:
    log.exception("Failed: %s", "/consultations/manage/{TOKEN}/cancel/")
log.warning("Name: %s", "Sam\\n2026-01-01T00:00:00Z CRITICAL forged line")
"""


def test_a_logged_exception_is_one_redacted_line_on_stdout(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", LOG_AN_EXCEPTION_AND_A_FORGED_LINE],
        cwd=PROJECT_ROOT,
        env=production_env(tmp_path, LOG_LEVEL="INFO"),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    error, warning = result.stdout.splitlines()
    assert error.endswith(
        " ERROR consultations.views Failed: /consultations/manage/[redacted]/cancel/"
        "\\nTraceback (most recent call last):\\n"
        '  File "<string>", line 7, in <module>'
        "\\nValueError: no booking at /consultations/manage/[redacted]/"
    )
    assert warning.endswith(
        " WARNING consultations.views Name: Sam"
        "\\n2026-01-01T00:00:00Z CRITICAL forged line"
    )
    assert TOKEN not in result.stdout


def test_every_line_break_python_knows_is_escaped():
    breaks = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
    record = logging.LogRecord(
        "core", logging.INFO, __file__, 1, "a%sb", (breaks,), None
    )

    line = OneLineFormatter().format(record)

    assert line.splitlines() == [line]
    assert line.endswith(
        " INFO core a\\n\\r\\x0b\\x0c\\x1c\\x1d\\x1e\\x85\\u2028\\u2029b"
    )
