"""Every payload of xss_payloads.py through every field that is shown on a
page, and through the Markdown preview: the page carries no markup of it
that could run (no script of its own, no on* attribute, no javascript:,
data: or vbscript: address, no frame, object, style or base element)."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from consultations.models import Booking
from messaging.models import Message
from tests.factories import (
    make_answer,
    make_article,
    make_bookable_specialist,
    make_booking,
    make_conversation,
    make_question,
    make_verified_user,
)
from tests.html import parse_html
from tests.security.xss_payloads import PAYLOADS

FORBIDDEN_TAGS = {
    "iframe", "frame", "object", "embed", "svg", "math", "style", "base",
    "applet", "video", "audio", "source", "details", "marquee",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "srcdoc", "xlink:href"}


def unsafe_markup(content, *, site_tags):
    """What in the page could run or fetch: [] for a safe page. `site_tags`
    are the page's own uses of otherwise forbidden tags (found on the page
    without any payload)."""
    found = []
    page = parse_html(content)
    for element in page.iter():
        if element.tag == "script":
            if element.attrs.get("type") == "application/ld+json":
                json.loads(element.text)  # still one JSON value: no break-out
            elif not (element.attrs.get("src") or "").startswith("/static/"):
                found.append(f"<script {element.attrs}>{element.text[:40]}")
        if element.tag == "meta" and "http-equiv" in element.attrs:
            found.append(f"<meta {element.attrs}>")
        if element.tag == "link" and not _is_own(element.attrs.get("href", "")):
            found.append(f"<link {element.attrs}>")
        if element.tag in FORBIDDEN_TAGS and _key(element) not in site_tags:
            found.append(f"<{element.tag} {element.attrs}>")
        for name, value in element.attrs.items():
            if name.startswith("on"):
                found.append(f"<{element.tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value:
                scheme = "".join(value.split()).lower()
                if scheme.startswith(("javascript:", "data:", "vbscript:")):
                    found.append(f"<{element.tag} {name}={value!r}>")
    return found


def _is_own(url):
    return url.startswith(("/", "http://testserver/")) and not url.startswith("//")


def _key(element):
    return (element.tag, tuple(sorted(element.attrs.items())))


def site_tags(content):
    return {_key(e) for e in parse_html(content).iter() if e.tag in FORBIDDEN_TAGS}


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = make_verified_user()
    specialist = make_bookable_specialist(user=make_verified_user())
    conversation = make_conversation(user=person, specialist=specialist)
    question = make_question(author=person, is_anonymous=False)
    answer = make_answer(question, specialist=specialist)
    booking = make_booking(specialist)
    article = make_article()
    person_client, specialist_client = Client(), Client()
    person_client.force_login(person)
    specialist_client.force_login(specialist.user)
    return {
        "person": person,
        "specialist": specialist,
        "conversation": conversation,
        "question": question,
        "answer": answer,
        "booking": booking,
        "article": article,
        "anonymous": Client(),
        "person_client": person_client,
        "specialist_client": specialist_client,
    }


def put(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


def bio(w, payload):
    put(w["specialist"], bio=payload, headline=payload[:200])
    return w["anonymous"].get(f"/specialists/{w['specialist'].slug}/")


def specialist_name(w, payload):
    put(w["specialist"], display_name=payload[:100])
    return w["anonymous"].get("/specialists/")


def question(w, payload):
    put(w["question"], title=payload[:150], body=payload)
    return w["anonymous"].get(f"/questions/{w['question'].pk}/")


def question_list(w, payload):
    put(w["question"], title=payload[:150], body=payload)
    return w["anonymous"].get("/questions/")


def answer(w, payload):
    put(w["answer"], body=payload)
    return w["anonymous"].get(f"/questions/{w['question'].pk}/")


def message(w, payload):
    Message.objects.create(
        conversation=w["conversation"], sender=w["person"], body=payload
    )
    return w["specialist_client"].get(f"/messages/{w['conversation'].pk}/")


def person_name(w, payload):
    put(w["person"], name=payload[:50])
    return w["specialist_client"].get("/messages/")


def booking(w, payload):
    Booking.objects.filter(pk=w["booking"].pk).update(
        name=payload[:100], note=payload[:1000], contact_preferences=payload[:200]
    )
    return w["specialist_client"].get("/specialists/me/consultations/")


def article(w, payload):
    put(w["article"], body=payload, summary=payload[:300])
    return w["anonymous"].get(f"/articles/{w['article'].slug}/")


def preview(w, payload):
    # The corpus is longer than the preview's rate limit (tested on its own
    # in tests/articles): each payload starts with fresh counters.
    cache.clear()
    return w["person_client"].post("/markdownx/markdownify/", {"content": payload})


TARGETS = [
    bio, specialist_name, question, question_list, answer, message,
    person_name, booking, article, preview,
]  # fmt: skip


def test_the_corpus_has_at_least_50_payloads():
    assert len(set(PAYLOADS)) == len(PAYLOADS) >= 50


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.__name__)
def test_no_payload_leaves_markup_that_could_run(world, target):
    plain = target(world, "Plain words.")
    assert plain.status_code == 200
    own = site_tags(plain.content)
    unsafe = {}
    for payload in PAYLOADS:
        response = target(world, payload)
        assert response.status_code == 200, payload
        found = unsafe_markup(response.content, site_tags=own)
        if found:
            unsafe[payload] = found
    assert unsafe == {}


def test_a_markdown_image_from_another_host_is_not_kept(world):
    response = bio(world, "![pixel](https://evil.example/pixel.png)")

    images = parse_html(response.content).find("main").find_all("img")
    assert [i for i in images if "evil.example" in i.attrs.get("src", "")] == []
