"""Every email goes through the outbox: nothing else sends mail itself."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = [p for p in ROOT.iterdir() if (p / "__init__.py").exists() and p.name != "tests"]
SENDING = re.compile(
    r"\b(send_mail|send_mass_mail|mail_managers|mail_admins)\(|\.send\(\)|"
    r"\bEmail(Multi\w*)?Message\("
)


def test_only_the_outbox_sends_or_builds_emails():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for app in APPS
        if app.name != "outbox"
        for path in app.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if SENDING.search(line) and "def send_mail(" not in line
    ]

    assert APPS, "no apps found"
    assert offenders == []
