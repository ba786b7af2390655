"""The site's background work, in one long-running process: `manage.py
run_worker`, run by systemd (deploy/site-worker.service) next to gunicorn.

Each job is one of the site's commands, run in this process with call_command
one after another, on its own period: every job once at start, then again
`every` seconds after it last started. Each command claims its work before
doing it, so a second worker (on another app server, or a manual run) never
doubles an email or a reminder: running it on every app server is safe.

SIGTERM or SIGINT stops the worker after the job it is running, if any, so a
stop never interrupts an email half sent; a job that takes too long for the
service manager is killed like any process, and each job is safe to be killed
(its writes are transactions, its claims expire).
"""

import io
import logging
import signal
import threading
import time
from dataclasses import dataclass

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

logger = logging.getLogger("worker")

MINUTE = 60
DAY = 24 * 60 * MINUTE


@dataclass(frozen=True)
class Job:
    command: str
    every: int  # seconds


# In the order they run when several are due: the frequent ones first, so a
# long daily job never holds back the first sending of queued mail.
JOBS = (
    # Retries the emails whose first try, right after the change that caused
    # them, failed.
    Job("send_queued_mail", MINUTE),
    Job("send_reminders", 5 * MINUTE),
    Job("purge_consultations", DAY),
    # The free slots the directory reads are written by every booking and
    # change of hours, and hold a week ahead: daily keeps them ahead.
    Job("refresh_free_slots", DAY),
)


class Schedule:
    """When each job runs next, in seconds on a monotonic clock (a changed
    system time moves nothing): every job is due at `start`, then `every`
    seconds after its last run started."""

    def __init__(self, jobs, start):
        self.next_run = dict.fromkeys(jobs, start)

    def due(self, now):
        return [job for job, at in self.next_run.items() if at <= now]

    def ran(self, job, started):
        self.next_run[job] = started + job.every

    def seconds_to_next(self, now):
        return max(0.0, min(self.next_run.values()) - now)


def run_job(job):
    """Runs `job`, logging one line: what its command printed, or the error
    (a failed job is tried again at its next time; the worker goes on)."""
    output = io.StringIO()
    # Like a request: drop a connection the database closed, or one past
    # DATABASE_CONN_MAX_AGE, before and after.
    close_old_connections()
    started = time.monotonic()
    try:
        call_command(job.command, stdout=output, stderr=output)
    except Exception:
        logger.exception(
            "Job %s failed after %.1f s", job.command, time.monotonic() - started
        )
    else:
        logger.info(
            "Job %s done in %.1f s: %s",
            job.command,
            time.monotonic() - started,
            " ".join(output.getvalue().split()),
        )
    finally:
        close_old_connections()


class Command(BaseCommand):
    help = (
        "Runs the background work until SIGTERM or SIGINT, which stop it after "
        "the current job: send_queued_mail every minute, send_reminders every "
        "5 minutes, purge_consultations and refresh_free_slots daily, each "
        "also once at start. Logs one line per job. Safe to run on several "
        "machines at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run every job once, then exit (to check a deployment).",
        )

    def handle(self, *args, once=False, **options):
        stop = threading.Event()
        received = []

        def request_stop(signum, frame):
            received.append(signal.Signals(signum).name)
            stop.set()

        previous = {
            signum: signal.signal(signum, request_stop)
            for signum in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            self.run(stop, once)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        logger.info("Worker stopped%s", f" ({received[0]})" if received else "")

    def run(self, stop, once):
        schedule = Schedule(JOBS, time.monotonic())
        logger.info(
            "Worker started: %s",
            ", ".join(f"{job.command} every {job.every} s" for job in JOBS),
        )
        while not stop.is_set():
            for job in schedule.due(time.monotonic()):
                if stop.is_set():
                    return
                started = time.monotonic()
                run_job(job)
                schedule.ran(job, started)
            if once:
                return
            stop.wait(schedule.seconds_to_next(time.monotonic()))
