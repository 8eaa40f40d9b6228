"""Repairs for what general-purpose extraction gets wrong on newsroom pages.

Before extraction (on the lxml tree): HTML comments go, drop caps are rejoined to their word, the
lead photo's caption and credit are taken out, and bylines, captions and comment/share/subscribe
widgets are removed. After extraction (on the paragraphs): HTML-comment remnants, a repeated
headline or byline at the top, caption/credit lines, share prompts and everything from a comment
section's heading on ("0 Response to …", "Post a Comment") are dropped.
"""

import copy
import re
from urllib.parse import urlsplit

from .bylines import byline_blocks
from .dom import class_words, comparison_key, element_text, squash

# Class or id words of drop caps: "dropcap", "drop-cap", "drop_cap", "initial", "first-letter".
_DROPCAP = re.compile(r"drop[-_\s]?cap|\binitial|first[-_]?letter|big[-_]?letter|\bdrop\b", re.IGNORECASE)
_INLINE_TAGS = {"span", "b", "strong", "big", "font", "em", "i", "u"}
_DROPCAP_TAGS = _INLINE_TAGS | {"div", "p", "a", "sup"}
# Class/id words (split on spaces, - and _, camelCase) that mark a page part as not the story.
_WIDGET_WORDS = {
    "comment", "comments", "respond", "disqus", "share", "sharing", "sharedaddy", "sharethis", "addthis",
    "social", "subscribe", "subscription", "newsletter", "signup", "related", "recommended", "promo",
    "byline", "caption", "figcaption", "credit", "credits", "advertisement", "advert", "paywall",
    "hide", "hidden", "print", "modal", "overlay", "scrim", "reprint", "reprints", "toolbar", "tools",
    # calls to action, affiliate disclosures, side rails and sticky notification bars
    "cta", "disclosure", "rail", "notification",
}
# Inline styles that keep an element from being seen at all.
_INVISIBLE_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CREDIT_LABEL = re.compile(
    r"^\(?\s*(?:photo(?:graph)?\s+credit|credit|photo(?:graph)?|image|foto|picture|pic)\s*(?:…|\.{2,}|:|by|-)\s*",
    re.IGNORECASE,
)
# "Caption text. Credit…Name", "Caption. Photograph by Name", "(Image: Name)": the credit label must
# open the caption or follow the end of a sentence, so "a photo by the river" stays caption.
_CAPTION_WITH_CREDIT = re.compile(
    r"^(?P<caption>(?:.*?[.!?)\]|–—-])?)\s*\(?\s*"
    r"(?P<credit>(?:photo(?:graph)?\s+credit|credit|photo(?:graph)?|image|foto|picture)\s*(?:…|\.{2,}|:|by)\s*[^()]+?)"
    r"\)?\s*$",
    re.IGNORECASE | re.DOTALL,
)
# A credit line as news sites print it under photos: "Credit…", "Credit...".
_INLINE_CREDIT = re.compile(r"\bCredit\s*(?:…|\.{2,})", re.IGNORECASE)
_COMMENT_REMNANT = re.compile(
    r"<!--.*?-->|<!?\[if[^\]]*\]>?|<!?\[endif\]-*>?|\[(?:end)?if[^\]]*\]|<!--|-->|<!\[CDATA\[|\]\]>",
    re.IGNORECASE | re.DOTALL,
)
# A comment section's heading: everything from here on is readers' comments or the form. Only whole
# headings count ("3 Comments", "No comments:", "0 Response to “Title”", "Post a Comment"), so a
# sentence such as "No comment, the spokesman said." stays in the story.
_COMMENT_HEADING = re.compile(
    r"^(?:(?:\d+|no|one)\s+(?:comments?|responses?|replies|reactions?|thoughts?)"
    r"(?:\s+(?:to|on)\s+[\"“‘'«].*)?"
    r"|(?:post|leave|add|write|submit)\s+(?:a|your)\s+(?:comment|reply|response)(?:\s+cancel reply)?"
    r"|(?:show|view|load|read)\s+(?:all\s+)?(?:\d+\s+)?comments"
    r"|comments?\s*(?:\(\d+\))?|reader comments|join the (?:conversation|discussion)"
    r"|note: only a member of this blog may post a comment\.?"
    r"|tell us what you think|what do you think\?|have your say)\W*$",
    re.IGNORECASE,
)
_SHARE_PROMPT = re.compile(
    r"^(?:share|tweet|e-?mail|print|save)(?:\s+(?:this|the))?(?:\s+(?:article|story|post|page|link))?"
    r"(?:\s+(?:on|via|with)\s+\S+)?\s*[:.!]?$"
    r"|^share (?:this|on|via)\b|^subscribe\b|^sign up\b|^follow us\b"
    r"|^(?:click|tap) here to\b|^(?:like|follow) (?:us|this)\b|^(?:read|see) more:?$"
    r"|^follow\s[^.]{0,80}\bon\s+(?:facebook|twitter|instagram|linkedin|whatsapp|telegram)\b"
    r"|^(?:related|read more|read also|also read|see also|recommended|more from \w+)\s*:",
    re.IGNORECASE,
)
# A call to sign up, anywhere in a short paragraph: "Sign up for the free daily newsletter."
_SIGNUP_CALL = re.compile(
    r"(?:^|[.!?]\s+)(?:sign up|subscribe|register|join|get)\b[^.!?]*\b(?:newsletter|inbox|e-?mail updates|free trial)\b",
    re.IGNORECASE,
)
# Page furniture that is never story text: a bare URL, a copyright line, a "write to … at e-mail" line.
_FURNITURE = re.compile(
    r"^(?:https?://|www\.)\S+$|^(?:copyright\s*(?:[©ⓒ]|\(c\)|\d{4})|[©ⓒ])|\ball rights reserved\b"
    r"|^(?:write to|contact|e-?mail)\b[^@]{0,80}@\S+\.\w+"
    # "copyright Inexhibit 2019 - ISSN …", "…, photos © Inexhibit, 2018": a copyright or photo credit line
    r"|^copyright\s[^.]{0,60}\b(?:19|20)\d\d\b|\b(?:photos?|images?|pictures?|fotos?)\s*(?:[©ⓒ]|\(c\))",
    re.IGNORECASE,
)

# The writer's contact line under a story: "Have a tip? Ana Ruiz may be reached at ana@example.org.
# Follow her on Twitter @anaruiz." (an address or a handle, with a call to write or follow).
_CONTACT_LINE = re.compile(
    r"^have a (?:news )?tip\b|\b(?:may|can) be reached at\b[^.]{0,80}@"
    r"|\bfollow (?:him|her|them|me|us) on (?:twitter|facebook|instagram|x)\b",
    re.IGNORECASE,
)
# A time stamp line of the page: "Updated: 19 November 2019, 09:01 AM", "First Published: Tuesday,
# November 19, 2019". Taken only in a short paragraph that is not a sentence (see clean_paragraphs).
_TIMESTAMP_LINE = re.compile(
    r"\b(?:(?:last|first)\s+)?(?:updated|published|posted|modified|publicado|publié|actualizado|aktualisiert)"
    r"(?:\s+(?:on|at|am|le|el|em))?\s*[:|-]?\s*(?:[^\W\d]+,?\s+){0,2}\d{1,4}\b",
    re.IGNORECASE,
)
# A list of the page's tags or categories: "Tags: drought, farming", "Categoria: Saúde - Tags: …".
_TAGS_LINE = re.compile(r"\b(?:tags|tagged|topics|keywords|filed under|etiquetas|schlagwörter)\s*:", re.IGNORECASE)

# A label over a list of other stories: "You may also like", "More:", "Most read in world news",
# "More Great Ledger Stories".
_RELATED_LABEL = re.compile(
    r"^(?:you (?:may|might) also (?:like|enjoy)|more(?: (?:from|on|about|in)\b.*| stories| news)?"
    r"|more\b(?:\s+\S+){0,3}\s+(?:stories|news|articles|reads|coverage)"
    r"|most (?:read|popular|viewed|shared)\b.*|top stories|latest (?:news|stories)|trending(?: now| stories)?"
    r"|related(?: stories| articles| coverage| news| content| posts)?|read (?:more|also|next)|also read|see also"
    r"|recommended(?: for you| stories| reading)?|what to read next|don't miss)\W*$",
    re.IGNORECASE,
)
# The longest line taken for a headline in a list of other stories after such a label.
_TEASER_WORDS = 25


def remove_comments(tree) -> None:
    """Remove HTML comments and processing instructions, keeping the text that follows them."""
    for node in tree.xpath("//comment() | //processing-instruction()"):
        _remove_keeping_tail(node)


def rejoin_drop_caps(tree) -> int:
    """Merge drop-cap letters back into their word; return how many were rejoined.

    A drop cap is an element whose class or id says so (``dropcap``, ``drop-cap``, ``initial``,
    ``first-letter``) holding one or two letters, or any inline element holding a single capital
    letter directly followed by lower-case text (``<b>H</b>elene``). The letter is put back where it
    was with no space added, so ``<span class="dropcap">H</span>elene`` reads "Helene".
    """
    rejoined = 0
    root = tree.getroottree().getroot()
    for element in list(tree.iter(*_DROPCAP_TAGS)):
        # A drop cap nested in another (``<span class="drop-cap"><span class="drop-cap__inner">H``)
        # was taken out of the tree with its wrapper's rejoin: there is nothing left to do for it.
        if element.getparent() is None or element.getroottree().getroot() is not root:
            continue
        letters = element_text(element)
        if not (1 <= len(letters) <= 2 and letters.isalpha()):
            continue
        marked = _DROPCAP.search(f'{element.get("class", "")} {element.get("id", "")}')
        following = element.tail or ""
        next_element = element.getnext()
        if not marked and not (
            element.tag in _INLINE_TAGS and len(letters) == 1 and letters.isupper() and following[:1].islower()
        ):
            continue
        if following.strip() or next_element is None:
            for child in list(element):
                element.remove(child)
            element.text = letters
            element.drop_tag()
        else:  # the rest of the word starts in the next element (a block drop cap)
            target = next(
                (node for node in next_element.iter() if isinstance(node.tag, str) and (node.text or "").strip()),
                None,
            )
            if target is None:
                continue
            target.text = letters + target.text.lstrip()
            _remove_keeping_tail(element)
        rejoined += 1
    return rejoined


# Class/id words of readers' comment sections: their paragraphs are never the story's container.
_COMMENT_WORDS = {"comment", "comments", "respond", "disqus", "discussion", "replies", "reply"}


def main_container(tree):
    """Return the element holding most paragraph text (sum of its child ``<p>`` texts), or None.

    Paragraphs inside a readers' comment section (an ancestor's class or id has a word of
    ``_COMMENT_WORDS``) do not count: a long comment is not the story.
    """
    scores: dict = {}
    for paragraph in tree.iter("p"):
        parent = paragraph.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + len(element_text(paragraph))
    scores = {parent: score for parent, score in scores.items() if not _in_comments(parent)}
    return max(scores, key=scores.get) if scores else None


# Elements that start a new block when they sit among loose text (see ``wrap_loose_text``).
_BLOCK_TAGS = {
    "p", "div", "section", "article", "aside", "header", "footer", "nav", "main", "h1", "h2", "h3", "h4", "h5",
    "h6", "ul", "ol", "dl", "table", "blockquote", "figure", "pre", "hr", "form", "iframe", "video", "audio",
    "address", "details", "fieldset", "center",
}
_TEXT_CONTAINERS = ("div", "section", "article", "main", "td", "center")
_INVISIBLE_TAGS = {"script", "style", "noscript", "template"}
# The least loose text (words, all runs of one container together) taken as story text written loose.
_LOOSE_TEXT_WORDS = 40


def wrap_loose_text(tree) -> int:
    """Put text written straight into a container between its blocks into ``<p>`` elements; return how many.

    Some publishing systems write the story as bare text beside its subheadings and images
    (``<section>Lede text…<h2>Sub</h2>More text<a><img></a>and more…</section>``): text that is
    in no paragraph is missed by extraction, which reads blocks. Each run of text and inline elements
    between two blocks (``_BLOCK_TAGS``) or blank lines (``<br><br>``) of a ``div``/``section``/``article``/``main``/``td`` that
    has at least one block child becomes one ``<p>``, in place, when the container's loose runs hold
    ``_LOOSE_TEXT_WORDS`` (40) words or more together (fewer is a date line or a label beside the
    blocks); a run without a letter or digit is left.
    """
    wrapped = 0
    for element in list(tree.iter(*_TEXT_CONTAINERS)):
        children = list(element)
        if not any(_is_block(child) for child in children):
            continue
        runs = []
        text, nodes, anchor = element.text, [], None
        for child in children:
            if _is_block(child):
                runs.append((text, nodes, anchor))
                text, nodes, anchor = child.tail, [], child
            elif child.tag == "br" and nodes and nodes[-1].tag == "br" and not (nodes[-1].tail or "").strip():
                nodes.pop()  # a blank line (two line breaks) ends the run as a block would
                runs.append((text, nodes, anchor))
                text, nodes, anchor = child.tail, [], child
            else:
                nodes.append(child)
        runs.append((text, nodes, anchor))
        visible = [_run_text(text, nodes) for text, nodes, _anchor in runs]
        if sum(len(words.split()) for words in visible) < _LOOSE_TEXT_WORDS:
            continue  # a date line or a label beside the blocks, not a story written loose
        for (text, nodes, anchor), words in zip(runs, visible, strict=True):
            if not re.search(r"\w", words):
                continue
            paragraph = element.makeelement("p", {})
            paragraph.text = text
            if anchor is None:
                element.text = None
                element.insert(0, paragraph)
            else:
                anchor.tail = None
                anchor.addnext(paragraph)
            for node in nodes:
                paragraph.append(node)  # moves the node, its tail with it
            wrapped += 1
    return wrapped


def _run_text(text: str | None, nodes: list) -> str:
    """Return the visible text of a run: ``text`` and each node's text (not scripts or styles) and tail."""
    return (text or "") + "".join(
        ("" if not isinstance(node.tag, str) or node.tag in _INVISIBLE_TAGS else node.text_content()) + (node.tail or "")
        for node in nodes
    )


# The most words a sign-up box holds around its form (a name, a line of promise, a button).
_SIGNUP_BOX_WORDS = 60


def _signup_boxes(tree, protected: set) -> list:
    """Return the boxes around forms that ask for an e-mail address (newsletter and alert sign-ups).

    A box is the largest element around such a form that holds at most ``_SIGNUP_BOX_WORDS`` words
    and is not in ``protected`` (the story's container and its ancestors), whatever its class says:
    "<div><h4>Get the Evening Digest</h4><p>The day's stories…</p><form><input type=email>…".
    """
    boxes = []
    for form in tree.xpath('//form[.//input[translate(@type, "EMAIL", "email")="email"]]'):
        if len(element_text(form).split()) > _SIGNUP_BOX_WORDS:
            continue  # a form around the whole page (some publishing systems wrap everything in one)
        box = form
        while True:
            parent = box.getparent()
            if parent is None or parent in protected or parent.tag in ("body", "html"):
                break
            if len(element_text(parent).split()) > _SIGNUP_BOX_WORDS:
                break
            box = parent
        if box not in protected and box not in boxes:
            boxes.append(box)
    return boxes


def _is_block(node) -> bool:
    return isinstance(node.tag, str) and node.tag in _BLOCK_TAGS


# A body split for advertisements comes in a few pieces (up to 8 met on real pages); dozens of blocks
# with one class are a page built of components (a list story with headings and galleries between
# them, in other containers), which extraction reads in page order as it is.
_MAX_BODY_PIECES = 12


def merge_split_body(tree, main) -> int:
    """Move the story's continuation containers into ``main``; return how many were merged.

    Pages that break the body for advertisements close the story's container and open another one
    just like it (same tag and ``class``). Each other element with the main container's tag and
    exact, non-empty class, whose parent has the tag and class of ``main``'s parent, that holds
    paragraph text and is not inside or around ``main`` or in a comment section gives its children
    to ``main``, in page order (a twin before ``main`` ahead of its text). When the twin is
    ``main``'s sibling, the elements between them (a pull quote, a photo) move along in place.
    Nothing is merged when more than ``_MAX_BODY_PIECES`` elements share the class.
    """
    if main is None or not squash(main.get("class")):
        return 0
    twins = tree.xpath(f"//{main.tag}[@class=$name]", name=main.get("class"))
    if not 2 <= len(twins) <= _MAX_BODY_PIECES:
        return 0
    around = set(main.iterancestors())
    order = {node: index for index, node in enumerate(tree.iter())}
    merged = 0
    before = 0  # children moved in from twins that come before main, kept ahead of its own
    parent = main.getparent()
    for twin in sorted(twins, key=order.get):
        if twin is main or twin in around or main in set(twin.iterancestors()):
            continue
        twin_parent = twin.getparent()
        if parent is None or twin_parent is None or (twin_parent.tag, twin_parent.get("class")) != (parent.tag, parent.get("class")):
            continue  # the same class in another part of the page (a pull quote, a comment)
        if _in_comments(twin):
            continue
        if not any(element_text(p) for p in twin.iterchildren("p")):
            continue
        # What lies between two sibling twins (a pull quote, a photo) moves with them, in page order.
        siblings = twin_parent is parent
        if order[twin] < order[main]:
            between = list(twin.itersiblings())[: _sibling_gap(twin, main)] if siblings else []
            for child in [*twin, *between]:
                main.insert(before, child)
                before += 1
        else:
            between = list(main.itersiblings())[: _sibling_gap(main, twin)] if siblings else []
            for child in [*between, *twin]:
                main.append(child)
        merged += 1
    return merged


def _sibling_gap(first, last) -> int:
    """Return how many siblings lie between ``first`` and the later sibling ``last``."""
    for count, sibling in enumerate(first.itersiblings()):
        if sibling is last:
            return count
    return 0


def _in_comments(element) -> bool:
    """Return True when ``element`` or an ancestor is marked as a comment section by its class or id."""
    return any(
        class_words(node) & _COMMENT_WORDS
        for node in (element, *element.iterancestors())
        if node.tag not in ("body", "html")  # a page's own flags ("f_avoid_index_replies_on") are no section
    )


def take_lead_caption(tree, *, lead_image_url: str, main) -> tuple[str, str]:
    """Return ``(caption, credit)`` of the lead photo, or empty strings.

    The lead photo is the captioned ``<figure>`` (with an ``<img>``, not a video or embed) whose image
    file matches the page's ``og:image``, else the first such figure before the story's main text ends. A credit is a caption child marked
    ``itemprop="copyrightHolder"``/``creator`` or with a ``credit``/``copyright``/``photographer`` class,
    or trailing text "Credit…", "Photo:", "Photograph by", "(Image: …)"; its label is dropped.
    """
    # A photo's figure: captioned, with an image, and not a video player or an embed.
    figures = [
        fig
        for fig in tree.xpath("//figure")
        if fig.xpath(".//figcaption") and fig.xpath(".//img") and not fig.xpath(".//video | .//iframe | .//audio")
    ]
    if not figures:
        return "", ""
    stem = _image_stem(lead_image_url)
    lead = next((fig for fig in figures if stem and stem in _image_stems(fig)), None)
    if lead is None:
        order = {node: index for index, node in enumerate(tree.iter())}
        end = max((order[node] for node in main.iter()), default=0) if main is not None else len(order)
        lead = next((fig for fig in figures if order[fig] < end), None)
    if lead is None:
        return "", ""
    return split_caption(lead.xpath(".//figcaption")[0])


def split_caption(caption_element) -> tuple[str, str]:
    """Return ``(caption, credit)`` from a caption element (see ``take_lead_caption``)."""
    caption_element = copy.deepcopy(caption_element)
    marked = caption_element.xpath(
        './/*[@itemprop="copyrightHolder" or @itemprop="creator" or @itemprop="author"'
        ' or contains(translate(@class, "CREDITOPYRIGHTPHOTOGRAPHER", "creditopyrightphotographer"), "credit")'
        ' or contains(translate(@class, "CREDITOPYRIGHTPHOTOGRAPHER", "creditopyrightphotographer"), "copyright")'
        ' or contains(translate(@class, "CREDITOPYRIGHTPHOTOGRAPHER", "creditopyrightphotographer"), "photographer")]'
    )
    credit = ""
    if marked:
        credit = _separated_text(marked[0])
        _remove_keeping_tail(marked[0])
    return _split_caption_text(_separated_text(caption_element), credit)


def caption_from_paragraphs(paragraphs: list[str]) -> tuple[str, str]:
    """Return ``(caption, credit)`` from the first short paragraph that carries a "Credit…" line.

    Pages that lost their ``<figure>`` (a story pasted into a blog) run the caption and credit into
    the text: "Villagers on the bank.Credit...Ana Ruiz for The Ledger". Empty strings when none does.
    """
    for text in paragraphs:
        text = strip_remnants(text)
        if _INLINE_CREDIT.search(text) and len(text.split()) <= 60:
            caption, credit = _split_caption_text(text, "")
            if credit:
                return caption, credit
    return "", ""


def _split_caption_text(caption: str, credit: str) -> tuple[str, str]:
    if not credit and (match := _CAPTION_WITH_CREDIT.match(caption)):
        caption, credit = match["caption"], match["credit"]
    credit = _CREDIT_LABEL.sub("", squash(credit)).strip(" ()")
    return squash(caption).strip(" |–—-"), credit


def remove_boilerplate(tree, *, keep) -> int:
    """Remove bylines (classed, or author links alone in a block), e-mail sign-up boxes (see
    ``_signup_boxes``), captions, hidden parts and comment/share/subscribe/related widgets; return how many.

    ``keep`` (the main container) and its ancestors are never removed, so a wrapper whose class
    happens to say "share-enabled" cannot take the story with it.
    """
    protected = set(keep.iterancestors()) | {keep} if keep is not None else set()
    root = tree.getroottree().getroot()
    removed = 0
    for element in byline_blocks(tree):
        if element not in protected:
            _remove_keeping_tail(element)
            removed += 1
    for box in _signup_boxes(tree, protected):
        if box.getroottree().getroot() is root:
            _remove_keeping_tail(box)
            removed += 1
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or element in protected or element.getparent() is None:
            continue
        if (
            element.tag == "figcaption"
            or element.get("hidden") is not None
            or _INVISIBLE_STYLE.search(element.get("style", ""))
            or class_words(element) & _WIDGET_WORDS
        ):
            if element.getroottree().getroot() is root:  # not inside a part removed already
                _remove_keeping_tail(element)
                removed += 1
    return removed


# Class words of embedded posts (``<blockquote class="twitter-tweet">``, ``instagram-media``) and of their wrappers.
_EMBED_WORDS = {"tweet", "twitter", "instagram", "tiktok", "facebook", "embed", "embedded", "social", "media", "oembed"}


def unmark_embedded_posts(tree) -> int:
    """Take the class and id off embedded posts and their wrappers; return how many posts.

    A tweet or Instagram post quoted in a story is embedded as a ``<blockquote>`` with the post's
    text (``class="twitter-tweet"``), often in a "social-media-embed" wrapper. The story quotes it,
    so it is kept as a plain quotation: without those marks general-purpose extraction drops it as
    a widget.
    """
    posts = 0
    for quote in tree.iter("blockquote"):
        if not class_words(quote) & _EMBED_WORDS:
            continue
        for paragraph in quote.iter("p"):  # "…please." and "— Sita Gurung" stay apart
            paragraph.tail = " " + (paragraph.tail or "")
        for element in (quote, *quote.iterancestors()):
            if element is not quote and not class_words(element) & _EMBED_WORDS:
                break
            element.attrib.pop("class", None)
            element.attrib.pop("id", None)
        posts += 1
    return posts


def remove_link_lists(tree, *, keep) -> int:
    """Remove lists of links to other stories inside or around the story; return how many.

    Four shapes, whatever their class names say: a list (``<ul>``/``<ol>``) of two or more items
    that are each all link text ("Related: …", "More:" lists); such a list whose items are teaser
    lines with a link in them, under a label of other stories ("More Great Ledger Stories", see
    ``_RELATED_LABEL``), with its label; a group of two or more sibling teaser
    cards, each holding a headline (``<h2>``–``<h4>``) that is a link, with at most a line of text
    beside it ("latest news" boxes); and a paragraph that is nothing but a link written in capitals
    (an inline promo such as "GET THE APP BY CLICKING HERE"). Links to the page itself (``#…``) and
    links whose text is a bare URL (a list of sources) do not count. ``keep`` (the main container)
    and its ancestors are never removed.
    """
    protected = set(keep.iterancestors()) | {keep} if keep is not None else set()
    root = tree.getroottree().getroot()
    doomed = []
    for element in tree.iter("ul", "ol"):
        items = [item for item in element if item.tag == "li" and element_text(item)]
        if len(items) >= 2 and all(_link_share(item) >= 0.8 for item in items):
            doomed.append(element)
        elif len(items) >= 2 and all(_story_links(item) and _is_headline_like(element_text(item)) for item in items):
            label = element.getprevious()
            if label is not None and len(element_text(label).split()) <= 8 and _RELATED_LABEL.search(element_text(label)):
                doomed += [label, element]  # "More Ledger stories": teasers that link only part of their line
    for card_list in tree.iter("ul", "ol", "div", "section"):
        cards = [child for child in card_list if isinstance(child.tag, str) and element_text(child)]
        if len(cards) >= 2 and all(_is_teaser_card(card) for card in cards):
            doomed.append(card_list)
    for paragraph in tree.iter("p", "h2", "h3", "h4"):
        text = element_text(paragraph)
        if len(text.split()) >= 3 and text.isupper() and _link_share(paragraph) == 1.0:
            doomed.append(paragraph)
    removed = 0
    for element in doomed:
        if element in protected or element.getparent() is None or element.getroottree().getroot() is not root:
            continue
        _remove_keeping_tail(element)
        removed += 1
    return removed


def _story_links(element) -> list:
    """Return the ``<a>`` elements under ``element`` (itself included) that lead to another page."""
    links = [element] if element.tag == "a" else []
    links += element.iterdescendants("a")
    return [
        link
        for link in links
        if (link.get("href") or "").strip() and not link.get("href").strip().startswith(("#", "javascript:", "mailto:"))
        and not re.fullmatch(r"(?:https?://|www\.)\S+", element_text(link))
    ]


def _link_share(element) -> float:
    """Return the share (0.0–1.0) of the element's letters and digits that are link text to another page."""
    total = len(comparison_key(element.text_content()))
    if not total:
        return 0.0
    linked = sum(len(comparison_key(link.text_content())) for link in _story_links(element))
    return min(1.0, linked / total)


def _is_teaser_card(element) -> bool:
    """Return True for a teaser of another story: a headline that is a link, at most a line beside it."""
    if not isinstance(element.tag, str) or len(element_text(element).split()) > 40:
        return False
    heads = element.xpath("descendant-or-self::*[self::h2 or self::h3 or self::h4]")
    if not heads:
        return False
    wrapping_links = [ancestor for ancestor in heads[0].iterancestors("a")]
    return bool(wrapping_links and _story_links(wrapping_links[0])) or _link_share(heads[0]) >= 0.8


def clean_paragraphs(
    paragraphs: list[str], *, headlines: list[str], bylines: list[str], caption: str, credit: str
) -> list[str]:
    """Return the story's paragraphs without remnants, repeats, captions, prompts or comments.

    Rules, in order: HTML-comment remnants (``<!--``, ``-->``, ``[if IE]``, ``[endif]``) are cut out
    of each paragraph; the first paragraph that is a comment-section heading ends the story (when it
    is not the first paragraph); a label of other stories ("You may also like", "More:", "Most read")
    goes, and ends the story when only headlines (short lines without a full stop) follow it; short share/subscribe
    prompts go; among the first three paragraphs,
    one that repeats a headline or is only the bylines goes; a paragraph that is the lead caption,
    its credit, both, or carries an inline "Credit…" line goes; consecutive duplicates go.
    """
    headline_keys = {comparison_key(text) for text in headlines if text}
    byline_keys = {comparison_key(name) for name in bylines}
    image_keys = {comparison_key(text) for text in (caption, credit, f"{caption} {credit}", f"{caption}{credit}") if text}
    cleaned: list[str] = []
    for index, raw in enumerate(paragraphs):
        text = strip_remnants(raw)
        if not text or not re.search(r"\w", text):
            continue
        if _COMMENT_HEADING.search(text) and len(text.split()) <= 20:
            if cleaned:
                break
            continue
        words = len(text.split())
        if words <= 8 and _RELATED_LABEL.search(text):
            rest = [strip_remnants(line) for line in paragraphs[index + 1 :]]
            if cleaned and rest and all(_is_headline_like(line) for line in rest):
                break  # the label of a list of other stories closing the page: the story has ended
            continue
        if (words <= 20 and _SHARE_PROMPT.search(text)) or (words <= 60 and _SIGNUP_CALL.search(text)):
            continue
        if words <= 40 and (_FURNITURE.search(text) or _CONTACT_LINE.search(text)):
            continue
        if (words <= 20 and _TIMESTAMP_LINE.search(text) and not text.endswith(".")) or (
            words <= 30 and _TAGS_LINE.search(text)
        ):
            continue
        key = comparison_key(text)
        if index < 3 and (
            key in headline_keys or _is_only_bylines(text, byline_keys) or _is_headline_and_time(key, headline_keys)
        ):
            continue
        if key in image_keys or (_INLINE_CREDIT.search(text) and len(text.split()) <= 60):
            continue
        if cleaned and comparison_key(cleaned[-1]) == key:
            continue
        cleaned.append(text)
    return cleaned


def _is_headline_and_time(key: str, headline_keys: set[str]) -> bool:
    """Return True when ``key`` (a paragraph's ``comparison_key``) is the headline printed again with its
    time stamp ("Headline November 20, 2019 - 11:28")."""
    return any(
        headline and key.startswith(headline) and len(key) - len(headline) <= 30 and re.search(r"\d", key[len(headline):])
        for headline in headline_keys
    )


def _is_headline_like(text: str) -> bool:
    """Return True for a line that reads as a headline: short, and not a sentence ending in a full stop."""
    return len(text.split()) <= _TEASER_WORDS and not text.rstrip("”\"' ").endswith(".")


def strip_remnants(text: str) -> str:
    """Return ``text`` without HTML-comment remnants (``<!--``, ``-->``, ``[if IE]>``, ``[endif]``), squashed."""
    return squash(_COMMENT_REMNANT.sub(" ", text or ""))


def _is_only_bylines(text: str, byline_keys: set[str]) -> bool:
    if not byline_keys:
        return False
    text = re.sub(r"^(?:by|written by)\s+", "", text, flags=re.IGNORECASE)
    parts = [part for part in re.split(r"\s*(?:,|;|\band\b|&)\s*", text) if part.strip()]
    return bool(parts) and all(comparison_key(part) in byline_keys for part in parts)


def _separated_text(element) -> str:
    """Return an element's text with a space at every element boundary ("Caption.</span><span>Credit")."""
    return squash(" ".join(element.itertext()))


def _image_stem(url: str) -> str:
    """Return an image URL's file name without extension and size suffixes ("photo-1024x768.jpg" → "photo")."""
    try:
        name = urlsplit(url or "").path.rsplit("/", 1)[-1]
    except ValueError:
        return ""
    name = name.rsplit(".", 1)[0]
    return re.sub(r"[-_](?:\d+x\d+|scaled|large|medium|small|thumb\w*)$", "", name).casefold()


def _image_stems(figure) -> set[str]:
    stems = set()
    for image in figure.iter("img", "source"):
        for attribute in ("src", "data-src", "srcset", "data-srcset"):
            for candidate in (image.get(attribute) or "").split(","):
                if candidate.strip():
                    stems.add(_image_stem(candidate.split()[0]))
    return stems - {""}


def _remove_keeping_tail(node) -> None:
    """Remove ``node`` from its parent; its tail text (what follows it) stays in place."""
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail
    if tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)
