"""Wire services by the names readers know them, and the dateline that opens a wire story.

``WIRE_SERVICES`` is a small table of major news agencies: the name a reader knows, the registrable
domains the agency publishes from, and the short forms it signs with ("(AP)", "(PTI)"). Sources:
each agency's own site (About pages) and the credit lines it puts in its copy. It is used

- to name the outlet of a page whose structured data names none (``outlet_for_domain``), before
  falling back to the bare domain, and to turn a short form a page names itself by ("AP News",
  "REUTERS") into the reader's name (``readers_name``);
- to recognise the agency in a dateline (``split_dateline``).
"""

import re
from dataclasses import dataclass

from .dom import comparison_key


@dataclass(frozen=True)
class WireService:
    """A news agency: ``name`` as readers know it, its ``domains`` and the ``short_forms`` it signs with."""

    name: str
    domains: tuple[str, ...]
    short_forms: tuple[str, ...]


WIRE_SERVICES: tuple[WireService, ...] = (
    WireService("The Associated Press", ("apnews.com", "ap.org"), ("AP", "Associated Press", "AP News")),
    WireService("Reuters", ("reuters.com",), ("Reuters", "Thomson Reuters")),
    WireService("Agence France-Presse", ("afp.com",), ("AFP", "Agence France-Presse", "Agence France Presse")),
    WireService("Press Trust of India", ("ptinews.com",), ("PTI", "Press Trust of India")),
    WireService("Asian News International", ("aninews.in",), ("ANI", "Asian News International")),
    WireService("Indo-Asian News Service", ("ians.in",), ("IANS", "Indo-Asian News Service")),
    WireService("United News of India", ("uniindia.com",), ("UNI", "United News of India")),
    WireService("Rastriya Samachar Samiti", ("rss.com.np",), ("RSS", "Rastriya Samachar Samiti")),
    WireService("Xinhua", ("xinhuanet.com", "news.cn"), ("Xinhua", "Xinhua News Agency")),
    WireService("dpa", ("dpa.com", "dpa-international.com"), ("dpa", "Deutsche Presse-Agentur")),
    WireService("EFE", ("efe.com",), ("EFE", "Agencia EFE")),
    WireService("ANSA", ("ansa.it",), ("ANSA",)),
    WireService("Kyodo News", ("kyodonews.net",), ("Kyodo", "Kyodo News")),
    WireService("Yonhap", ("yna.co.kr",), ("Yonhap", "Yonhap News Agency")),
    WireService("Bernama", ("bernama.com",), ("Bernama",)),
    WireService("Anadolu Agency", ("aa.com.tr",), ("AA", "Anadolu Agency")),
    WireService("TASS", ("tass.com", "tass.ru"), ("TASS",)),
    WireService("Bloomberg", ("bloomberg.com",), ("Bloomberg", "Bloomberg News")),
)
_BY_DOMAIN = {domain: service for service in WIRE_SERVICES for domain in service.domains}
_BY_SHORT_FORM = {comparison_key(form): service for service in WIRE_SERVICES for form in service.short_forms}


def outlet_for_domain(domain: str) -> str:
    """Return the reader's name of the wire service publishing from ``domain`` ("apnews.com"), or ""."""
    service = _BY_DOMAIN.get((domain or "").lower())
    return service.name if service else ""


def readers_name(outlet: str) -> str:
    """Return the reader's name for a wire service's short form ("AP News" → "The Associated Press");
    any other outlet name is returned as it is."""
    service = _BY_SHORT_FORM.get(comparison_key(outlet))
    return service.name if service else outlet


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_AGENCY = "|".join(
    sorted({re.escape(form) for service in WIRE_SERVICES for form in service.short_forms}, key=len, reverse=True)
)
# A place in capitals ("KATHMANDU", "SAN JUAN, Puerto Rico", "NEW DELHI/MUMBAI") or, before a date or
# an agency, in title case ("New Delhi"). At most 60 characters.
_CAPS_PLACE = r"[A-Z][A-Z.'’\- ]*[A-Z.](?:\s*/\s*[A-Z][A-Z.'’\- ]*[A-Z.])*(?:,\s+[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,2})?"
_TITLE_PLACE = r"[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3}(?:,\s+[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,2})?"
_DATE = rf"{_MONTH}\s+\d{{1,2}}(?:,\s+\d{{4}})?"
_DASH = r"\s*(?:—|–|-{1,2}|:)\s*"
_DATELINE = re.compile(
    # "KATHMANDU, Nov 3 (Reuters) —", "New Delhi, Nov 3 (PTI)", "WASHINGTON (AP) —"
    rf"^(?P<dateline>(?:{_CAPS_PLACE}|{_TITLE_PLACE})(?:,?\s+{_DATE})?\s*\((?:{_AGENCY})\))(?:{_DASH}|\s+)"
    # "KATHMANDU, Nov 3 —", "POKHARA —": a place in capitals, then a dash
    rf"|^(?P<caps>{_CAPS_PLACE}(?:,?\s+{_DATE})?)\s*(?:—|–|--)\s*",
)
MAX_DATELINE_LENGTH = 100


def split_dateline(lede: str) -> tuple[str, str]:
    """Return ``(dateline, rest of the lede)`` when the lede opens with a dateline, else ``("", lede)``.

    Datelines as agencies print them: a place (in capitals, or in title case when a date or an agency
    follows), an optional date ("Nov 3", "November 3, 2026") and the agency's short form in parentheses
    from ``WIRE_SERVICES`` ("(Reuters)", "(AP)", "(PTI)"), then a dash or colon; or a place in capitals
    and a date followed by a dash ("POKHARA —"). The dateline is returned without its dash
    ("KATHMANDU, Nov 3 (Reuters)"); one longer than ``MAX_DATELINE_LENGTH`` characters, or one that
    would leave no text, is not taken.
    """
    match = _DATELINE.match(lede or "")
    if not match:
        return "", lede
    dateline = (match["dateline"] or match["caps"]).strip()
    rest = lede[match.end() :].strip()
    if len(dateline) > MAX_DATELINE_LENGTH or not rest or not rest[0].isalnum() and rest[0] not in "“\"‘'(":
        return "", lede
    return dateline, rest
