"""Web page → blocks of its main content, with the document links it offers.

The page is decoded (HTTP charset, BOM, meta/XML declarations, then byte-level
checks and detection when declarations are missing or lie), stripped of site
furniture (navigation, banners, cookie notices, share bars, breadcrumbs,
sidebars, comments, modal buttons), and its main content is walked in document
order into headings, paragraphs, list items (with nesting and numbering),
definition lists, accordions/tabs (hidden panels included) and table cells
(rowspan/colspan expanded to a full grid).

Every pass over the tree is iterative (explicit stacks) and the walk is bounded
in depth, so hostile nesting (100,000 nested divs) neither recurses nor runs in
quadratic time: elements deeper than ``MAX_DEPTH`` become one paragraph.

Why one file of ~770 lines: decoding lives in ``charset`` and table grids in ``tables``; what stays
is one pass over one parsed tree (furniture stripping, the main-content choice and the walk share
the element tests ``_tags``, ``_words``, ``_is_hidden``, ``_gone`` and the element paths), and
splitting it would spread those private helpers over modules that all import one another's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from bs4 import BeautifulSoup, CData, Comment, NavigableString, Tag

from planscope.extractors.blocks import (HEADING, LIST_ITEM, PARAGRAPH, PARTIAL, UNSUPPORTED, Block, BlockStyle, Extraction,
                                         Link)
from planscope.extractors.charset import decode_html_ex, not_html
from planscope.extractors.grammar import LIST_NUM_RE
from planscope.extractors.hygiene import clean_text, one_line
from planscope.extractors.tables import grid_to_blocks
from planscope.extractors.version import EXTRACTOR_VERSION

NAME = "planscope-html"

MAX_HTML_BYTES = 20 * 1024 * 1024  # larger pages are cut here (status partial, with a warning)
MAX_DEPTH = 300  # a content subtree deeper than this below the main node is read as one paragraph
MAX_LIST_DEPTH = 40
MAX_PATH_PARTS = 40  # element paths deeper than this are shortened in the middle

DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "form", "button", "input",
             "select", "textarea", "nav", "object", "embed", "canvas", "video", "audio", "map", "head",
             "dialog", "link", "meta")
DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "dialog", "search", "alertdialog", "menu",
              "menubar", "toolbar"}
# class/id words that mark site furniture, matched as whole tokens (split on -, _ and spaces).
FURNITURE_WORDS = {"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "ariane", "cookie",
                   "cookies", "consent", "temoins", "share", "sharing", "partage", "partager", "social",
                   "a2a", "addtoany", "sidebar", "widget", "comment", "comments", "commentaires", "footer",
                   "pied", "modal", "popup", "newsletter", "skip", "screen", "pagination", "related",
                   "aide", "banner", "masthead", "toolbar", "sharethis", "print", "feed", "blog-pager",
                   "cookiebanner", "cookienotice", "tarteaucitron", "didomi", "axeptio", "onetrust", "rgpd",
                   "gdpr", "socialshare", "sharebar", "backtotop", "skiplinks", "skiplink", "evitement",
                   "disqus", "offcanvas", "megamenu", "submenu", "sidenav", "subnav", "topbar"}
# class/id words of disclosure widgets whose hidden panels are content, not furniture.
WIDGET_WORDS = {"accordion", "accordeon", "accordions", "accordeons", "tabs", "tab", "tabpanel", "onglet",
                "onglets", "collapse", "collapsible", "toggle", "faq", "panel", "pane", "expandable"}
WIDGET_ROLES = {"tabpanel", "tablist", "tab", "region"}
# Whole-block texts that are interface chrome (modal buttons, skip links, comment sections).
UI_TEXT_RE = re.compile(
    r"^(?:fermer|close|menu|ouvrir le menu|fermer le menu|haut de page|retour en haut(?: de la page)?|"
    r"imprimer|partager(?: cette page)?(?: sur \w+)?|aller au contenu|passer au contenu(?: principal)?|"
    r"aucun commentaire|\d+ commentaires?|enregistrer un commentaire(?: \(atom\))?|publier un commentaire|"
    r"laisser un commentaire|ajouter un commentaire|poster un commentaire|"
    r"articles plus récents|articles plus anciens|accueil|inscription à :.*)\W*$", re.I)
MAIN_SELECTORS = ("main", "[role=main]", "article", "[itemprop~=articleBody]", ".entry-content", ".post-body",
                  "#content", "#main", ".content")
BLOCK_TAGS = {"p", "div", "section", "article", "blockquote", "main", "header", "footer", "aside", "figure",
              "figcaption", "address", "center", "dd", "dt", "pre", "body", "html", "span"}
HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
LAYOUT_PARTS = {"tbody", "thead", "tfoot", "tr", "td", "th"}
TEXT_BREAK_TAGS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "section",
                   "blockquote", "pre", "table", "ul", "ol", "dl", "summary", "details"}
DOC_LINK_RE = re.compile(r"\.(pdf|docx?|odt|rtf|xlsx?|ods|pptx?)(\?|#|$)", re.I)
DOC_MEDIA = {"pdf": "application/pdf", "doc": "application/msword",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "odt": "application/vnd.oasis.opendocument.text", "rtf": "application/rtf",
             "xls": "application/vnd.ms-excel",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "ods": "application/vnd.oasis.opendocument.spreadsheet", "ppt": "application/vnd.ms-powerpoint",
             "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
LABEL_LEAD_RE = re.compile(r"^\s*([^\W\d][\w'’ .-]{0,50}?)\s*[:：]\s*$")

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DOCTYPE_SUBSET_RE = re.compile(r"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.I | re.S)

# --------------------------------------------------------------------------------------------- page

def extract_html(data: bytes, source: str, base_url: str | None = None,
                 http_charset: str | None = None) -> Extraction:
    """Parse a page and return the blocks of its main content. Never raises for bad input."""
    ex = Extraction(source=source, media_type="text/html", extractor=NAME, extractor_version=EXTRACTOR_VERSION)
    why = not_html(data)
    if why:
        ex.status, ex.reason = UNSUPPORTED, f"not an HTML page: the bytes are {why}"
        return ex
    if len(data) > MAX_HTML_BYTES:
        data = data[:MAX_HTML_BYTES]
        ex.status = PARTIAL
        ex.warnings.append(f"page larger than {MAX_HTML_BYTES // (1024 * 1024)} MB: only the start was read")
    text, encoding, notes = decode_html_ex(data, http_charset)
    ex.warnings += notes
    if encoding not in ("utf-8", "utf8"):
        ex.warnings.append(f"decoded as {encoding}")
    if not re.search(r"<[A-Za-z!?/]", text[:65536]) and not re.search(r"<[A-Za-z]", text):
        ex.status, ex.reason = UNSUPPORTED, "not an HTML page: no markup at all"
        return ex
    text = _CONTROL_RE.sub("", text)
    text = _DOCTYPE_SUBSET_RE.sub("<!DOCTYPE html>", text, count=1)  # internal DTD subsets: never expanded
    soup = BeautifulSoup(text, "lxml")
    tags = soup.find_all(True)
    ex.title = _title(soup)
    ex.context = _context(tags, ex.title)
    ex.filed_under = _breadcrumb(tags)
    ex.published = _published(tags)
    ex.links = _document_links(tags, base_url)
    _drop_tags(tags)
    main = _find_main(soup, tags)
    del tags
    if main is None:
        ex.status, ex.reason = UNSUPPORTED, "no readable content in the page"
        return ex
    labels = _strip(main)
    walker = _Walker(source, labels)
    walker.walk(main, _path_of(main))
    ex.blocks = [b for b in walker.blocks if not UI_TEXT_RE.match(one_line(b.text))]
    ex.warnings += walker.warnings
    if not ex.blocks:
        raw_chars = len(one_line(soup.get_text(" ")))
        if raw_chars == 0:
            ex.status, ex.reason = UNSUPPORTED, "no readable content in the page (empty document)"
        else:
            ex.warnings.append(f"no main-content blocks although the page holds {raw_chars} characters")
    return ex


def _title(soup: BeautifulSoup) -> str | None:
    t = soup.find("title")
    if t is not None:
        s = one_line(t.get_text(" "))
        return s or None
    return None


BREADCRUMB_WORDS = {"breadcrumb", "breadcrumbs", "ariane", "fil-ariane", "fil-d-ariane", "filariane"}
BREADCRUMB_SEPARATORS = re.compile(r"\s*(?:[›»>/|→]|&gt;)\s*")
MAX_CRUMB_CHARS = 80


def _breadcrumb(tags: list[Tag]) -> list[str]:
    """The sections of the first breadcrumb trail (class, id or aria-label naming one), without
    its first crumb (home) and its last (the page itself)."""
    for el in tags:
        label = str((el.attrs or {}).get("aria-label") or "").lower()
        if not (_words(el) & BREADCRUMB_WORDS or "ariane" in label or "breadcrumb" in label):
            continue
        items = [one_line(li.get_text(" ")) for li in _tags(el, ("li",))]
        if len(items) < 2:
            items = [p for p in BREADCRUMB_SEPARATORS.split(one_line(el.get_text(" "))) if p]
        items = [i for i in items if i and len(i) <= MAX_CRUMB_CHARS]
        return items[1:-1] if len(items) > 2 else []
    return []


def _context(tags: list[Tag], title: str | None) -> list[str]:
    """Publisher names outside the main content: og:site_name, author, banner title and tagline."""
    out: list[str] = []
    metas: dict[str, str] = {}
    banners: dict[str, list[Tag]] = {k: [] for k in ("header", "#header", ".header", "banner", ".pied-bas",
                                                     "footer")}
    for el in tags:
        if el.name == "meta":
            key = (el.get("property") or el.get("name") or "").lower()
            if key and el.get("content") and key not in metas:
                metas[key] = str(el["content"])
            continue
        for sel, hit in (("header", el.name == "header"), ("#header", el.get("id") == "header"),
                         (".header", "header" in (el.get("class") or ())),
                         ("banner", (el.get("role") or "") == "banner"),
                         (".pied-bas", "pied-bas" in (el.get("class") or ())), ("footer", el.name == "footer")):
            if hit and len(banners[sel]) < 3:
                banners[sel].append(el)
    for key in ("og:site_name", "author", "dc.publisher", "application-name", "description"):
        if metas.get(key):
            out.append(one_line(metas[key]))
    for els in banners.values():
        for el in els:
            t = one_line(el.get_text(" "))
            if t:
                out.append(t[:500])
    if title:
        out.append(title)
    return out


PUBLISHED_KEYS = ("article:published_time", "datepublished", "dc.date", "dcterms.created", "date",
                  "article:modified_time", "datemodified", "dcterms.modified")
DATE_RE = re.compile(r"((?:19|20)\d\d)(?:-(\d\d)-(\d\d))?")


def _published(tags: list[Tag]) -> str | None:
    """The page's publication date from its metadata (Open Graph, schema.org itemprop, Dublin Core,
    <time datetime>), publication before modification."""
    found: dict[str, str] = {}
    for el in tags:
        if el.name == "meta":
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
            value = el.get("content")
        elif el.name == "time":
            key, value = "date", el.get("datetime")
        else:
            continue
        if key in PUBLISHED_KEYS and value and key not in found:
            m = DATE_RE.match(str(value).strip())
            if m:
                found[key] = "-".join(g for g in m.groups() if g)
    return next((found[k] for k in PUBLISHED_KEYS if k in found), None)


def _document_links(tags: list[Tag], base_url: str | None) -> list[Link]:
    """Linked documents (PDF, DOCX, ODT...) with anchor text and absolute URL (base_url, then <base href>)."""
    base = base_url
    base_tag = next((t for t in tags if t.name == "base" and t.get("href")), None)
    if base_tag is not None:
        href = str(base_tag["href"]).strip()
        base = urljoin(base_url, href) if base_url else href
    links, seen = [], set()
    for a in tags:
        if a.name != "a" or not a.get("href"):
            continue
        href = str(a["href"]).strip()
        if href.lower().startswith(("javascript:", "mailto:", "tel:", "data:")):
            continue
        m = DOC_LINK_RE.search(href)
        typ = str(a.get("type") or "").lower()
        if not m and typ not in DOC_MEDIA.values():
            continue
        url = urljoin(base, href) if base else href
        if url in seen:
            continue
        seen.add(url)
        mt = DOC_MEDIA.get(m.group(1).lower()) if m else typ
        text = one_line(a.get_text(" ")) or one_line(a.get("title") or "") or \
            one_line(a.get("aria-label") or "") or href.rsplit("/", 1)[-1]
        links.append(Link(url=url, text=text[:300], media_type=mt))
    return links


def _drop_tags(tags: list[Tag]) -> None:
    """Remove non-content elements. Accordion/tab trigger buttons keep their text (they title a panel)."""
    drop = set(DROP_TAGS)
    for el in tags:
        if el.name not in drop:
            continue
        if _gone(el):
            continue
        if el.name == "head" and el.parent is not None and el.parent.name != "html":
            el.unwrap()  # a stray <head> inside the body: keep what it holds
            continue
        if el.name == "form" and el.find(["p", "h1", "h2", "h3", "table", "article", "main"]) is not None \
                and _prose_length(el) > 500:
            el.unwrap()  # ASP.NET pages wrap the whole body in one <form>
            continue
        if el.name == "button" and (el.get("aria-controls") or el.get("aria-expanded") is not None
                                    or (el.get("role") or "").lower() == "tab"
                                    or (el.parent is not None and el.parent.name in HEADING_TAGS)):
            el.name = "span"  # keeps its text and its role/aria attributes (tab lists are matched later)
            continue
        el.decompose()


def _gone(el: Tag) -> bool:
    """Decomposed or detached. (bs4's own `decomposed` falls back to Tag.__getattr__, i.e. a
    find() over the whole subtree, on every live tag: quadratic on deep trees.)"""
    d = el.__dict__
    return bool(d.get("_decomposed")) or d.get("parent") is None


def _main_candidates(el: Tag) -> list[int]:
    """Which of MAIN_SELECTORS match this element (indexes), without CSS machinery."""
    out = []
    cls = el.get("class") or []
    ident = el.get("id")
    for k, hit in enumerate((el.name == "main", (el.get("role") or "") == "main", el.name == "article",
                             "articleBody" in str(el.get("itemprop") or "").split(), "entry-content" in cls,
                             "post-body" in cls, ident == "content", ident == "main", "content" in cls)):
        if hit:
            out.append(k)
    return out


def _find_main(soup: BeautifulSoup, tags: list[Tag]) -> Tag | None:
    """The first main-content selector that holds real text (more than link text)."""
    by_sel: dict[int, list[Tag]] = {}
    for el in tags:
        if _gone(el):
            continue
        for k in _main_candidates(el):
            if len(by_sel.setdefault(k, [])) < 50:
                by_sel[k].append(el)
    prose: dict[int, int] = {}
    for k in sorted(by_sel):
        els = []
        for e in by_sel[k]:
            if id(e) not in prose:
                prose[id(e)] = _prose_length(e)
            if prose[id(e)] > 200:
                els.append(e)
        if els:
            return _with_title(max(els, key=lambda e: prose[id(e)]))
    return soup.body or soup.find("html") or soup


def _with_title(main: Tag) -> Tag:
    """Widen a post body to its parent when the post's title heading sits just before it."""
    if main.parent is None or main.name in ("main", "article", "body"):
        return main
    for k, sib in enumerate(main.find_previous_siblings(True)):
        if k >= 3:
            break
        if sib.name in ("h1", "h2", "h3"):
            return main.parent
    return main


def _prose_length(el: Tag) -> int:
    """Characters of text that are not inside links."""
    total = len(one_line(el.get_text(" ")))
    linked = sum(len(one_line(a.get_text(" "))) for a in _tags(el, ("a",)))
    return total - linked


def _tags(el: Tag, names: tuple[str, ...] | set[str], recursive: bool = True):
    """Descendant (or child) tags with one of these names; cheaper than bs4's find_all."""
    nodes = el.descendants if recursive else el.children
    for node in nodes:
        if isinstance(node, Tag) and node.name in names:
            yield node


def _words(el: Tag) -> set[str]:
    attrs = el.attrs or {}
    words: set[str] = set()
    cls = attrs.get("class") or []
    if isinstance(cls, str):
        cls = [cls]
    for value in list(cls) + [attrs.get("id") or ""]:
        words.update(w for w in re.split(r"[-_\s]+", str(value).lower()) if w)
    return words


def _is_hidden(el: Tag) -> bool:
    attrs = el.attrs or {}
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    style = re.sub(r"\s+", "", str(attrs.get("style") or "")).lower()
    return "display:none" in style or "visibility:hidden" in style


@dataclass
class _Ctx:
    in_article: bool = False
    in_widget: bool = False


def _strip(root: Tag) -> dict[int, str]:
    """Remove site furniture under the main node, outermost first, in one iterative pass.

    Hidden elements are furniture (closed cookie banners, dialogs, off-screen menus) unless they
    are panels of an accordion or tabs widget: those are content. Returns the labels of tab
    panels (panel id() → tab text) for the walker, the tab lists themselves being dropped."""
    in_article = root.name in ("article", "main") or root.find_parent(["article", "main"]) is not None
    root_prose: list[int] = []  # computed on first need
    tabs: dict[str, str] = {}  # panel id → tab label
    tablists: list[Tag] = []
    panels: list[Tag] = []
    comments: list[Comment] = []
    to_drop: list[Tag] = []
    stack: list[tuple[Tag, _Ctx]] = [(root, _Ctx(in_article, False))]
    while stack:
        el, ctx = stack.pop()
        if el is not root:
            words = _words(el)
            role = (el.get("role") or "").lower()
            widget_here = role in WIDGET_ROLES or bool(words & WIDGET_WORDS) or el.name == "details"
            if _is_furniture(el, words, role, ctx, widget_here, root, root_prose):
                to_drop.append(el)
                continue
            if role == "tab" and el.get("aria-controls"):
                tabs[str(el["aria-controls"]).split()[0]] = one_line(el.get_text(" "))
            elif role == "tablist":
                tablists.append(el)
            elif role == "tabpanel" and el.get("id"):
                panels.append(el)
            ctx = _Ctx(ctx.in_article or el.name in ("article", "main"), ctx.in_widget or widget_here)
        kids = []
        for c in el.children:
            if isinstance(c, Tag):
                kids.append((c, ctx))
            elif isinstance(c, Comment):
                comments.append(c)
        kids.reverse()
        stack.extend(kids)
    for c in comments:
        c.extract()
    labels: dict[int, str] = {}
    for panel in panels:
        label = tabs.get(str(panel["id"]))
        if label:
            labels[id(panel)] = label
    for tl in tablists:  # a tab list whose every tab labels a panel is dropped: panels carry the labels
        tabs_here = [t for t in _tags(tl, ("button", "a", "li", "div", "span")) if (t.get("role") or "") == "tab"]
        if tabs_here and all(str(t.get("aria-controls") or "").split()[:1] and
                             str(t["aria-controls"]).split()[0] in {str(p["id"]) for p in panels}
                             for t in tabs_here):
            to_drop.append(tl)
    for el in to_drop:
        if not _gone(el):
            el.decompose()
    return labels


def _is_furniture(el: Tag, words: set[str], role: str, ctx: _Ctx, widget_here: bool, root: Tag,
                  root_prose: list[int]) -> bool:
    if el.name in DROP_TAGS:
        return True
    if role in DROP_ROLES or el.get("aria-modal") == "true":
        return True
    if el.name in ("main", "article") or role == "main":
        return False
    if words & FURNITURE_WORDS:
        # A wrapper classed like furniture ("content-sidebar-wrap") that holds most of the page is not.
        prose = len(one_line(el.get_text(" ")))
        if prose <= 1000:
            return True
        if not root_prose:
            root_prose.append(max(1, len(one_line(root.get_text(" ")))))
        return not prose > 0.5 * root_prose[0]
    if _is_hidden(el):
        if el.name in ("span", "i") and not one_line(el.get_text(" ")):
            return True
        if el.name in ("span", "i", "abbr"):
            return False  # icons and screen-reader hints inside text
        return not (ctx.in_widget or widget_here)
    if el.name in ("header", "footer", "aside"):
        return not ctx.in_article or el.name != "header"
    return False


def _path_of(el: Tag) -> str:
    """Element path from the document root, e.g. /html/body/main[1] (iterative; shortened if very deep)."""
    parts: list[str] = []
    node: Tag | None = el
    while node is not None and isinstance(node, Tag) and node.name != "[document]":
        parent = node.parent
        if parent is None or node.name in ("html",):
            parts.append(node.name)
        else:
            k = 1
            for sib in node.previous_siblings:
                if isinstance(sib, Tag) and sib.name == node.name:
                    k += 1
            parts.append(f"{node.name}[{k}]" if node.name not in ("body",) else node.name)
        node = parent
    parts.reverse()
    if len(parts) > MAX_PATH_PARTS:
        parts = parts[:10] + [f"…{len(parts) - 30}…"] + parts[-20:]
    return "/" + "/".join(parts)


# --------------------------------------------------------------------------------------------- walk

@dataclass
class _Frame:
    el: Tag
    path: str
    depth: int
    list_depth: int
    it: object = None
    inline: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


class _Walker:
    """Document-order walk (explicit stack, bounded depth) that turns elements into blocks."""

    def __init__(self, source: str, tab_labels: dict[int, str] | None = None):
        self.source = source
        self.blocks: list[Block] = []
        self.warnings: list[str] = []
        self.list_id = 0
        self.table_id = 0
        self.last_level = 1
        self.tab_labels = tab_labels or {}
        self._deep_warned = False

    def _add(self, kind: str, text: str, path: str, el: Tag, container: bool = False, **kw) -> None:
        text = clean_text(text)
        if not text:
            return
        style = BlockStyle(tag=el.name)
        if isinstance(el, Tag) and not container:
            bold = next(_tags(el, ("strong", "b")), None)
            if bold is not None and one_line(bold.get_text(" ")) == one_line(el.get_text(" ")):
                style.bold = True
            else:
                lead = _label_lead(el)
                if lead:
                    style.label, style.lead = True, lead
                elif kind == LIST_ITEM:
                    style.title_run = _title_run(el)
            cls = el.get("class")
            if cls:
                style.css_class = (" ".join(cls) if isinstance(cls, list) else str(cls))[:80]
        if kind == HEADING and kw.get("level"):
            self.last_level = kw["level"]
        self.blocks.append(Block(kind=kind, text=text, path=path, style=style, source=self.source,
                                 extractor=NAME, extractor_version=EXTRACTOR_VERSION, **kw))

    def walk(self, root: Tag, path: str) -> None:
        stack = [self._frame(root, path, 0, -1)]
        while stack:
            fr = stack[-1]
            child = next(fr.it, None)
            if child is None:
                self._flush(fr.inline, fr.path, fr.el)
                stack.pop()
                continue
            if isinstance(child, NavigableString):
                if type(child) in (NavigableString, CData):
                    fr.inline.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in LAYOUT_PARTS:
                name = "div"  # rows and cells of a layout table are plain containers
            elif name == "table" and _is_layout_table(child):
                name = "div"
            fr.counts[name] = fr.counts.get(name, 0) + 1
            cpath = f"{fr.path}/{child.name}[{fr.counts[name]}]"
            has_block = self._has_block_child(child) or (name == "div" and child.name in ("table", "tbody", "thead",
                                                                                         "tfoot", "tr"))
            if name in HEADING_TAGS or name in ("ul", "ol", "dl", "table", "details", "summary", "hr") or \
                    (name in BLOCK_TAGS and has_block) or name in ("p", "blockquote", "li"):
                self._flush(fr.inline, fr.path, fr.el)
                fr.inline = []
            label = self.tab_labels.get(id(child))
            if label:
                self._add(HEADING, label, cpath + "/@tab", child, level=min(6, self.last_level + 1))
            if name in HEADING_TAGS:
                self._add(HEADING, child.get_text(" "), cpath, child, level=HEADING_TAGS[name])
            elif name in ("ul", "ol"):
                self._list(child, cpath, fr.list_depth + 1)
            elif name == "dl":
                self._dl(child, cpath)
            elif name == "table":
                self._table(child, cpath)
            elif name == "br":
                fr.inline.append("\n")
            elif name == "summary":
                self._add(HEADING, child.get_text(" "), cpath, child, level=min(6, self.last_level + 1))
            elif name == "details" or (name in BLOCK_TAGS and has_block) or \
                    (label and name not in ("p", "li")):
                if fr.depth + 1 > MAX_DEPTH:
                    self._too_deep(child, cpath)
                else:
                    stack.append(self._frame(child, cpath, fr.depth + 1, fr.list_depth))
            elif name in BLOCK_TAGS or name in ("p", "blockquote", "li"):
                if name == "span":
                    fr.inline.append(self._text(child))
                else:
                    self._add(PARAGRAPH, self._text(child), cpath, child)
            else:
                fr.inline.append(self._text(child))

    def _frame(self, el: Tag, path: str, depth: int, list_depth: int) -> _Frame:
        return _Frame(el=el, path=path, depth=depth, list_depth=list_depth, it=iter(list(el.children)))

    def _too_deep(self, el: Tag, path: str) -> None:
        if not self._deep_warned:
            self.warnings.append(f"markup nested too deeply (over {MAX_DEPTH} elements or {MAX_LIST_DEPTH} lists): "
                                 "the deepest part read as one paragraph")
            self._deep_warned = True
        self._add(PARAGRAPH, self._text(el), path, el)

    def _flush(self, inline: list[str], path: str, el: Tag) -> None:
        text = "".join(inline)
        if text.strip():
            container = self._has_block_child(el)
            for part in re.split(r"\n\s*\n", text):
                self._add(PARAGRAPH, part, path, el, container=container)

    @staticmethod
    def _has_block_child(el: Tag) -> bool:
        return any(isinstance(c, Tag) and (c.name in BLOCK_TAGS - {"span"} or c.name in HEADING_TAGS or
                                           c.name in ("ul", "ol", "table", "dl", "li", "details", "summary"))
                   for c in el.children)

    @staticmethod
    def _text(el: Tag) -> str:
        """Text of an element: <br> and block boundaries become line breaks (iterative)."""
        parts: list[str] = []
        for node in el.descendants:
            if isinstance(node, NavigableString):
                if type(node) in (NavigableString, CData):
                    parts.append(str(node))
            elif isinstance(node, Tag):
                if node.name == "br":
                    parts.append("\n")
                elif node.name in TEXT_BREAK_TAGS and parts and not parts[-1].endswith("\n") \
                        and "".join(parts[-3:]).strip():
                    parts.append("\n")
        return "".join(parts)

    def _dl(self, dl: Tag, path: str) -> None:
        counts: dict[str, int] = {}
        items: list[Tag] = []
        for c in _tags(dl, ("dt", "dd", "div"), recursive=False):
            if c.name == "div":  # <dl><div><dt/><dd/></div></dl> (HTML 5.2)
                items += list(_tags(c, ("dt", "dd"), recursive=False))
            else:
                items.append(c)
        lid = None  # the <dd>s under one <dt> are one list, as the items under a title
        for d in items:
            counts[d.name] = counts.get(d.name, 0) + 1
            where = f"{path}/{d.name}[{counts[d.name]}]"
            if d.name == "dt":
                lid = None
                self._add(HEADING, self._text(d), where, d, level=6)
                continue
            if lid is None:
                self.list_id += 1
                lid = self.list_id
            self._add(LIST_ITEM, self._text(d), where, d, list_depth=0, list_id=lid, ordered=False)

    def _list(self, lst: Tag, path: str, list_depth: int) -> None:
        """A list, each item followed by its nested lists (recursion bounded by MAX_LIST_DEPTH)."""
        self.list_id += 1
        lid = self.list_id
        ordered = lst.name == "ol"
        try:
            n = int(lst.get("start", 1)) if ordered else 0
        except (TypeError, ValueError):
            n = 1
        style = str(lst.get("type") or "1") if ordered else "1"
        k = 0
        for li in list(_tags(lst, ("li",), recursive=False)):
            k += 1
            lpath = f"{path}/li[{k}]"
            if ordered and li.get("value"):
                try:
                    n = int(li["value"])
                except ValueError:
                    pass
            nested = _nested_lists(li)
            for sub in nested:
                sub.extract()
            marker = _marker(n, style) if ordered else "•"
            text = self._text(li)
            printed = LIST_NUM_RE.match(text)
            if printed:  # the page prints its own numbers ("1) …", list-style hidden): they are the marker
                marker, text, ordered = printed.group(1), text[printed.end():], True
            if text.strip():
                self._add(LIST_ITEM, text, lpath, li, list_depth=list_depth, list_id=lid, marker=marker,
                          ordered=ordered)
            for j, sub in enumerate(nested, 1):
                spath = f"{lpath}/{sub.name}[{j}]"
                if list_depth + 1 > MAX_LIST_DEPTH:
                    self._too_deep(sub, spath)
                else:
                    self._list(sub, spath, list_depth + 1)
            if ordered:
                n += 1

    def _table(self, table: Tag, path: str) -> None:
        grid = expand_table(table)
        if not grid:
            return
        base = Block(kind=PARAGRAPH, text="", path=path, source=self.source, extractor=NAME,
                     extractor_version=EXTRACTOR_VERSION)
        blocks, _ = grid_to_blocks(grid, self.table_id, base)
        self.blocks.extend(blocks)
        self.table_id += 1


def _is_layout_table(table: Tag) -> bool:
    """A table used for page layout (old sites), not data: nested tables, role=presentation,
    headings inside, or a cell holding a long text."""
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return True
    headings = 0
    for node in table.descendants:
        if isinstance(node, Tag):
            if node.name == "table":
                return True
            if node.name in HEADING_TAGS:
                headings += 1
                if headings >= 2:
                    return True
            if node.name in ("td", "th") and len(node.get_text()) > 3000:
                return True
    return False


def _nested_lists(li: Tag) -> list[Tag]:
    """Lists inside a list item that belong to it (not to a deeper item), in document order."""
    out: list[Tag] = []
    stack = [c for c in reversed(list(li.children)) if isinstance(c, Tag)]
    while stack:
        el = stack.pop()
        if el.name in ("ul", "ol"):
            out.append(el)
            continue
        if el.name in ("li", "table"):
            continue
        stack.extend(c for c in reversed(list(el.children)) if isinstance(c, Tag))
    return out


def _marker(n: int, style: str) -> str:
    """Numbering as a browser shows it for <ol type=…>."""
    if style in ("a", "A") and 1 <= n <= 702:
        s = ""
        m = n
        while m:
            m, r = divmod(m - 1, 26)
            s = chr(97 + r) + s
        return (s.upper() if style == "A" else s) + "."
    if style in ("i", "I") and 1 <= n < 4000:
        vals = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
        s, m = "", n
        for v, r in vals:
            while m >= v:
                s, m = s + r, m - v
        return (s.upper() if style == "I" else s) + "."
    return f"{n}."


def _title_run(el: Tag) -> str | None:
    """<li><strong>Title</strong><br>Description</li>: the bold run, when a line break follows it."""
    first = next((n for n in el.children if not (isinstance(n, NavigableString) and not str(n).strip())), None)
    if not isinstance(first, Tag) or first.name not in ("strong", "b"):
        return None
    nxt = first.next_sibling
    while isinstance(nxt, NavigableString) and not str(nxt).strip():
        nxt = nxt.next_sibling
    if not isinstance(nxt, Tag) or nxt.name != "br":
        return None
    return one_line(first.get_text(" ")) or None


def _label_lead(el: Tag) -> str | None:
    """A bold lead-in label such as <strong>Objectif :</strong> at the start of a block."""
    for node in el.children:
        if isinstance(node, NavigableString):
            if str(node).strip():
                return None
            continue
        if not isinstance(node, Tag):
            continue
        if node.name in ("strong", "b"):
            t = one_line(node.get_text(" "))
            nxt = node.next_sibling
            if not t.endswith((":", "：")) and isinstance(nxt, NavigableString) and str(nxt).lstrip().startswith(":"):
                t += " :"
            m = LABEL_LEAD_RE.match(t)
            return one_line(m.group(1)) if m else None
        return None
    return None


def expand_table(table: Tag) -> list[list[tuple[str, bool]]]:
    """Rows of a table with rowspan/colspan expanded: every position holds its cell's text,
    flagged True where it is a copy of a spanning cell."""
    rows = _own_rows(table)
    grid: dict[tuple[int, int], tuple[str, bool]] = {}
    ncols = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in _tags(tr, ("td", "th"), recursive=False):
            while (r, c) in grid:
                c += 1
            text = clean_text(_Walker._text(cell))
            rs = min(_span(cell.get("rowspan")), max(1, len(rows) - r))
            cs = _span(cell.get("colspan"))
            for dr in range(rs):
                for dc in range(cs):
                    grid[(r + dr, c + dc)] = (text, dr > 0 or dc > 0)
            c += cs
            ncols = max(ncols, c)
    nrows = len(rows)
    return [[grid.get((r, c), ("", False)) for c in range(ncols)] for r in range(nrows)]


def _own_rows(table: Tag) -> list[Tag]:
    """The <tr> of this table (through thead/tbody/tfoot), not those of tables nested in its cells."""
    rows: list[Tag] = []
    stack = [c for c in reversed(list(table.children)) if isinstance(c, Tag)]
    while stack:
        el = stack.pop()
        if el.name == "tr":
            rows.append(el)
        elif el.name != "table":
            stack.extend(c for c in reversed(list(el.children)) if isinstance(c, Tag))
    return rows


def _span(value) -> int:
    try:
        return max(1, min(int(value), 1000))
    except (TypeError, ValueError):
        return 1
