"""The background worker started as the README says (`manage.py run_worker`,
production settings, a process of its own), stopped as systemd stops it
(SIGTERM): it sends a queued email, logs one line a job, and exits 0 at once.
"""

import shutil
import signal
import subprocess
import sys
import time

import pytest

from bench.prodsite import PROJECT_ROOT, manage_or_fail

QUEUE_AN_EMAIL = """
from outbox.models import OutboxMessage
OutboxMessage.objects.create(
    subject="Your consultation", body="Hello", from_email="site@example.org",
    to=["visitor@example.org"],
)
"""


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} within {timeout} s")
        time.sleep(0.1)


def test_worker_sends_queued_mail_and_stops_at_once_on_sigterm(site, tmp_path):
    mail = tmp_path / "sent-emails"
    log = tmp_path / "worker.log"
    env = {**site.env, "EMAIL_FILE_PATH": str(mail), "LOG_LEVEL": "INFO"}
    manage_or_fail(env, "shell", "-c", QUEUE_AN_EMAIL)

    with open(log, "wb") as output:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker"],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: mail.exists() and any(mail.iterdir()), 30, "email")
        # Every job has run once at start; the worker now waits for the next.
        wait_until(lambda: "Job refresh_free_slots" in log.read_text(), 30, "jobs")
        stopping = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        returncode = worker.wait(timeout=30)
        stopped_in = time.monotonic() - stopping
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    assert returncode == 0
    # At once, not at the next job a minute later (the bound leaves room for
    # a machine busy with other tests).
    assert stopped_in < 10
    (sent,) = mail.iterdir()
    assert "Subject: Your consultation" in sent.read_text()
    lines = log.read_text().splitlines()
    assert [line.split(" worker ", 1)[1].split(" done in ")[0] for line in lines] == [
        lines[0].split(" worker ", 1)[1],  # Worker started: …
        "Job send_queued_mail",
        "Job send_reminders",
        "Job purge_consultations",
        "Job refresh_free_slots",
        "Worker stopped (SIGTERM)",
    ]
    assert lines[1].endswith(": Sent 1 messages; 0 still waiting.")


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed"
)
def test_the_systemd_unit_is_valid_and_runs_the_command_the_readme_gives(tmp_path):
    unit = (PROJECT_ROOT / "deploy" / "site-worker.service").read_text()
    readme = (PROJECT_ROOT / "README.md").read_text()
    # This checkout in place of /srv/site, so the program it names exists.
    local = tmp_path / "site-worker.service"
    local.write_text(unit.replace("/srv/site", str(PROJECT_ROOT)))

    result = subprocess.run(
        ["systemd-analyze", "verify", str(local)],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert (result.returncode, result.stdout + result.stderr) == (0, "")
    assert "ExecStart=/srv/site/.venv/bin/python manage.py run_worker\n" in unit
    assert "\n.venv/bin/python manage.py run_worker\n" in readme
