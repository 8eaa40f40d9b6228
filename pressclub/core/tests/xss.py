"""Cross-site scripting payloads, after the classes of OWASP's XSS Filter Evasion Cheat Sheet, and
the checks that a page, a feed or an e-mail shows each of them as text.

Written for pressclub's tests (no list was copied). Every payload would, if a field let it through
as markup, create an element or an attribute that marks it: ``data-xss`` on an element of its own,
an event handler, a ``javascript:`` or ``data:`` URL. NUL is left out (PostgreSQL cannot store it).
"""

from lxml import html as lxml_html

PAYLOADS = {
    "script tags": [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//xss.invalid/x.js></SCRIPT>",
        "<script/src=data:,alert(1)></script>",
        '"><script data-xss>alert(1)</script>',
        "</title><script>alert(1)</script>",
        "</script><script>alert(1)</script>",
        "<!--<script>--><script>alert(1)</script>",
        "</textarea><script>alert(1)</script>",
    ],
    "event handlers": [
        "<img src=x onerror=alert(1)>",
        "<body onload=alert(1)>",
        "<div data-xss onmouseover=\"alert(1)\">hover</div>",
        '" onmouseover="alert(1)" data-xss="',
        "' autofocus onfocus='alert(1)' data-xss='",
        "<input autofocus onfocus=alert(1)>",
        "<details open ontoggle=alert(1)>",
        "<video><source onerror=alert(1)></video>",
    ],
    "javascript: URLs": [
        '<a data-xss href="javascript:alert(1)">link</a>',
        "<a href=\"jav&#x09;ascript:alert(1)\" data-xss>tab</a>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<form action=javascript:alert(1)><button>go</button></form>",
        "<object data=\"javascript:alert(1)\"></object>",
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        "javascript:alert(document.cookie)",
    ],
    "entity-encoded": [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&#60;img src=x onerror=alert(1)&#62;",
        "&#x3C;svg onload=alert(1)&#x3E;",
        "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
        "&amp;lt;b data-xss&amp;gt;",
    ],
    "mixed case and malformed": [
        "<ScRiPt>alert(1)</sCrIpT>",
        "<IMG SRC=x OnErRoR=alert(1)>",
        '<img """><script>alert(1)</script>">',
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<<script>alert(1)//<</script>",
        "<img src=x onerror=alert(1)//",
        '<a/href="javascript:alert(1)"/data-xss>slash</a>',
        "<img\nsrc=x\nonerror=alert(1)>",
        "<style>@import 'https://xss.invalid/x.css';</style>",
        '<base href="https://xss.invalid/">',
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    ],
    "SVG and MathML": [
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
        '<svg><a xlink:href="javascript:alert(1)"><text y="20">svg</text></a></svg>',
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        '<math href="javascript:alert(1)">math</math>',
        "<svg><foreignObject><iframe srcdoc=\"<script>alert(1)</script>\"></iframe></foreignObject></svg>",
    ],
    "Markdown links and images": [
        "[click](javascript:alert(1))",
        "[click](<javascript:alert(1)>)",
        "![pic](x\" onerror=\"alert(1))",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<javascript:alert(1)>",
        "[ref][x]\n\n[x]: javascript:alert(1)",
        "[a](https://example.org/\"onmouseover=\"alert(1))",
    ],
    "Unicode and bidi": [
        "\u202e<script>alert(1)</script>\u202c",
        "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
        "<scr\u200bipt>alert(1)</scr\u200bipt>",
        "line\u2028</script><script>alert(1)</script>",
        "<img src=x onerror=\"alert(1)\"\ufeff>",
        "<a href=\"j\u0430vascript:alert(1)\" data-xss>homoglyph</a>",
        "\u2066<img src=x onerror=alert(1)>\u2069 \u0928\u0947\u092a\u093e\u0932",
    ],
}

ALL = [payload for payloads in PAYLOADS.values() for payload in payloads]

# What a payload would create if it ran as markup; pressclub's own pages carry none of these
# except the elements they always have (a baseline render tells which).
_DANGEROUS_TAGS = {
    "script", "iframe", "object", "embed", "svg", "math", "style", "base", "meta", "form", "input",
    "button", "details", "video", "source", "body", "noscript", "textarea", "link",
}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"}


def dangerous_nodes(document: str, *, fragment: bool = False) -> list[str]:
    """Return a description of every element or attribute in ``document`` a payload could create.

    That is: an attribute named ``on…`` or ``data-xss``, a URL attribute whose value starts with
    ``javascript:``, ``vbscript:`` or ``data:``, and every element named in ``_DANGEROUS_TAGS``
    (``"script"``, ``"img[onerror]"``, …). Compare the result with the same page rendered
    without a payload: a page's own JSON-LD script or search form are there in both.
    """
    tree = lxml_html.fragment_fromstring(document, create_parent="div") if fragment else lxml_html.fromstring(document)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag in _DANGEROUS_TAGS:
            found.append(tag)
        for name, value in element.attrib.items():
            name = name.lower()
            scheme = "".join(value.split()).lower()
            if name.startswith("on") or name == "data-xss":
                found.append(f"{tag}[{name}]")
            elif name in _URL_ATTRIBUTES and scheme.startswith(("javascript:", "vbscript:", "data:")):
                found.append(f"{tag}[{name}={value}]")
    return sorted(found)


def html_text(fragment: str) -> str:
    """Return the text an HTML fragment shows (entities decoded, tags dropped)."""
    if not fragment:
        return ""
    return lxml_html.fragment_fromstring(fragment, create_parent="div").text_content()


def elements(fragment: str) -> list[str]:
    """Return the tag names of every element in an HTML fragment, in document order."""
    if not fragment:
        return []
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    return [el.tag for el in root.iterdescendants() if isinstance(el.tag, str)]
