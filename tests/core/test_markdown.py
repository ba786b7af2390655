from urllib.parse import urlsplit

import pytest

from core.markdown import ALLOWED_TAGS, render_markdown
from tests.html import parse_html

PAYLOADS = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript&#58;alert(1))",
    '![" onerror=alert(1) ](x)',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<style>@import 'https://evil.example/x.css';</style>",
    "<javascript:alert(1)>",
    "<script>alert(1)</script>",
    '<p style="color:red" onclick="alert(1)">x</p>',
    "Text {: onclick=alert(1) }",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rendered_markdown_carries_no_script(payload):
    html = render_markdown(payload)

    for element in parse_html(html).iter():
        assert element.tag in ALLOWED_TAGS
        assert not [name for name in element.attrs if name.startswith("on")]
        assert "style" not in element.attrs
        for name in ("href", "src"):
            if name in element.attrs:
                assert urlsplit(element.attrs[name]).scheme in (
                    "",
                    "http",
                    "https",
                    "mailto",
                )
    assert "<script" not in html.lower()


def test_safe_markdown_survives_sanitising():
    html = render_markdown(
        "## Part\n\nA [link](https://example.org/a) and *emphasis*.\n\n"
        "![Alt](/media/x.png)"
    )

    assert '<h2 id="part">Part</h2>' in html
    assert 'href="https://example.org/a"' in html
    assert "<em>emphasis</em>" in html
    assert '<img alt="Alt" src="/media/x.png">' in html
