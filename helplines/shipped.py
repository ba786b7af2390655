"""The support lines shipped in data/helplines.json, and how they are loaded.

Loading creates what is missing. A row the command wrote before is brought up
to date with the shipped data only while nobody has changed it since: each row
keeps a hash of the values the command last wrote (`shipped_hash`), and a row
whose values no longer match that hash has been edited by an admin and is left
exactly as it is. So loading twice changes nothing, a correction shipped in a
new release reaches every site that did not touch the line, and an admin's
edit (a new number, a check date, an unticked "active") always wins.

Nothing is deleted. A shipped line an admin deleted comes back: to stop
showing one, untick "active".
"""

import hashlib
import json
from collections import Counter
from datetime import date
from pathlib import Path

from django.db import transaction

from .models import Country, Line

DATA_FILE = Path(__file__).resolve().parent / "data" / "helplines.json"

COUNTRY_FIELDS = (
    "emergency_number",
    "ambulance_number",
    "emergency_source_url",
    "last_checked",
)
LINE_FIELDS = (
    "kind",
    "name",
    "purpose",
    "phone",
    "sms",
    "sms_body",
    "chat_url",
    "website",
    "hours",
    "cost",
    "note",
    "source_url",
    "last_checked",
    "is_active",
    "position",
)


def read(path=DATA_FILE):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def fingerprint(values):
    text = json.dumps({k: str(v) for k, v in values.items()}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def country_values(entry):
    return {
        "emergency_number": entry["emergency_number"],
        "ambulance_number": entry.get("ambulance_number", ""),
        "emergency_source_url": entry["emergency_source_url"],
        "last_checked": date.fromisoformat(entry["checked"]),
    }


def line_values(entry, position):
    values = {field: entry.get(field, "") for field in LINE_FIELDS}
    values.update(
        last_checked=date.fromisoformat(entry["checked"]),
        is_active=True,
        position=position,
    )
    return values


def _sync(model, identity, existing, values, fields):
    """Create, update or keep one row; say which."""
    shipped = fingerprint(values)
    if existing is None:
        model.objects.create(**identity, **values, shipped_hash=shipped)
        return "created"
    current = fingerprint({field: getattr(existing, field) for field in fields})
    if current != existing.shipped_hash:
        return "kept"  # edited since we last wrote it (or never ours)
    if current == shipped:
        return "unchanged"
    for field, value in values.items():
        setattr(existing, field, value)
    existing.shipped_hash = shipped
    existing.full_clean()
    existing.save()
    return "updated"


def _sync_lines(country, entries, report):
    existing = {line.key: line for line in Line.objects.filter(country=country)}
    for position, entry in enumerate(entries, start=1):
        outcome = _sync(
            Line,
            {"country": country, "key": entry["key"]},
            existing.get(entry["key"]),
            line_values(entry, position),
            LINE_FIELDS,
        )
        report[outcome] += 1
        if outcome == "kept":
            where = country.code if country else "international"
            report.kept.append(f"{where} {entry['key']}")


class Report(Counter):
    def __init__(self):
        super().__init__()
        self.kept = []


@transaction.atomic
def load(data):
    report = Report()
    _sync_lines(None, data.get("international", []), report)
    for entry in data["countries"]:
        code = entry["code"]
        country = Country.objects.filter(code=code).first()
        outcome = _sync(
            Country, {"code": code}, country, country_values(entry), COUNTRY_FIELDS
        )
        report[outcome] += 1
        if outcome == "kept":
            report.kept.append(code)
        _sync_lines(Country.objects.get(code=code), entry["lines"], report)
    return report
