"""manage.py run_worker: the background work on its schedule, one log line a
job. Started as production starts it (a process, SIGTERM to stop) in
tests/config/test_background_worker.py."""

import logging

import pytest
from django.core.management import call_command

from outbox.models import OutboxMessage
from pages.management.commands.run_worker import JOBS, Schedule


def commands(jobs):
    return [job.command for job in jobs]


def test_every_job_is_due_at_start_the_frequent_ones_first():
    schedule = Schedule(JOBS, start=1000.0)

    assert commands(schedule.due(1000.0)) == [
        "send_queued_mail",
        "send_reminders",
        "purge_consultations",
        "refresh_free_slots",
    ]


def test_each_job_is_due_again_its_period_after_it_last_started():
    schedule = Schedule(JOBS, start=0.0)
    for job in JOBS:
        schedule.ran(job, started=0.0)

    assert schedule.due(59.0) == []
    assert schedule.seconds_to_next(59.0) == 1.0
    assert commands(schedule.due(60.0)) == ["send_queued_mail"]
    assert commands(schedule.due(300.0)) == ["send_queued_mail", "send_reminders"]
    assert commands(schedule.due(86_400.0)) == commands(JOBS)


# Transactional: like every request, each job drops a connection that is not
# in autocommit, which the rollback of an ordinary test would be.
@pytest.mark.django_db(transaction=True)
def test_run_worker_once_sends_queued_mail_and_logs_one_line_per_job(
    mailoutbox, caplog
):
    OutboxMessage.objects.create(
        subject="Your consultation",
        body="Hello",
        from_email="site@example.org",
        to=["visitor@example.org"],
    )

    with caplog.at_level(logging.INFO, logger="worker"):
        call_command("run_worker", "--once")

    assert [m.subject for m in mailoutbox] == ["Your consultation"]
    lines = [r.getMessage() for r in caplog.records if r.name == "worker"]
    assert lines[0].startswith("Worker started: send_queued_mail every 60 s, ")
    assert [line.split(" done in ")[0] for line in lines[1:5]] == [
        "Job send_queued_mail",
        "Job send_reminders",
        "Job purge_consultations",
        "Job refresh_free_slots",
    ]
    assert lines[1].endswith(": Sent 1 messages; 0 still waiting.")
    assert lines[5:] == ["Worker stopped"]
