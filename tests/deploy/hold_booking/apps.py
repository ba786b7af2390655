"""Holds one chosen booking open just before it commits, so that a test can
SIGKILL the worker at the worst moment: the booking row, its refreshed free
slots and both confirmation emails written, nothing committed.

The hold happens once per HOLD_BOOKING_PIDFILE: the worker that holds creates
that file (O_EXCL) with its pid in it, for the test to find and kill, and the
same form sent again afterwards goes straight through.
"""

import os
import time

from django.apps import AppConfig
from django.db.models.signals import post_save

# Only a booking made under this name is held: the other bookings of the test
# run go through at full speed.
HOLD_NAME = "Hold before commit"
# Longer than a test needs to find the pid, shorter than gunicorn's timeout
# (30 s), after which the master would kill the worker itself.
HOLD_SECONDS = 20


def hold_before_commit(sender, instance, created, **kwargs):
    from consultations.models import Booking
    from outbox.models import OutboxMessage

    path = os.environ.get("HOLD_BOOKING_PIDFILE")
    if not (created and path and instance.about.startswith("consultations.booking:")):
        return
    booking_pk = instance.about.rpartition(":")[2]
    if not Booking.objects.filter(pk=booking_pk, name=HOLD_NAME).exists():
        return
    # Both confirmations (visitor and specialist) queued: only the commit is left.
    if OutboxMessage.objects.filter(about=instance.about).count() < 2:
        return
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "w") as pidfile:
        pidfile.write(str(os.getpid()))
    time.sleep(HOLD_SECONDS)


class HoldBookingConfig(AppConfig):
    name = "tests.deploy.hold_booking"
    label = "hold_booking"

    def ready(self):
        post_save.connect(
            hold_before_commit,
            sender="outbox.OutboxMessage",
            dispatch_uid="hold_booking",
        )
