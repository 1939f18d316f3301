"""Plan metadata: the organisation that adopted it, its title and its period."""
from __future__ import annotations

import re
from collections import Counter

from planscope.extractors.blocks import Extraction
from planscope.extractors.hygiene import one_line

from planscope.pipeline.structure.lexicon import Lexicon, demonyms, fold

# "Ville de La Louvière", "MRC de Bellechasse", "Municipalité de Saint-Nérée-de-Bellechasse"
PARTICLES = {"de", "du", "des", "la", "le", "les", "sur", "en", "et", "aux", "au", "d'", "l'", "d’", "l’"}
YEAR = r"(?:19[5-9]\d|20\d\d)"
# Not inside a longer code: "résolution 2024-09-214" (year, month, sequence) is no period.
RANGE_RE = re.compile(rf"\b({YEAR})\s*(?:-|–|—|/|à|au)\s*({YEAR}|\d\d)\b(?![-–/]\d)")
HORIZON_RE = re.compile(rf"\bhorizon\s+({YEAR})\b", re.I)
# "un développement à 20 ans (2039)", "sur 6 ans (2026)": the duration dates the start.
SPAN_TO_YEAR_RE = re.compile(rf"\b(?:à|sur|d['’]ici)\s+(\d{{1,2}})\s+ans\s*\(\s*({YEAR})\s*\)", re.I)
YEAR_RE = re.compile(rf"\b({YEAR})\b")
MAX_SPAN = 30  # years; a longer "range" is two unrelated dates
MAX_PLAN_SPAN = 10  # years; content years further apart are history, not the plan's period


def _org_pattern(lex: Lexicon) -> re.Pattern:
    kinds = sorted({k for ks in lex.org_kinds.values() for k in ks}, key=len, reverse=True)
    kinds_re = "|".join(re.escape(k).replace("'", "['’]") for k in kinds)  # either apostrophe
    # The particle is required ("Ville de X") except after MRC ("MRC Bellechasse"): "Cité Administrative"
    # or "Ville intelligente" are not bodies.
    # "de la Haute-Clairière", "des Trois-Rives", "DES TROIS-RIVES", "d’Alma": particle, article, name.
    return re.compile(rf"\b(MRC|Mrc|{kinds_re}|{kinds_re.upper()})\s+"
                      rf"(?:(des|du|de|DES|DU|DE)\s+|(d[’']|D[’'])\s*)?"
                      rf"((?:(?:la|le|les|La|Le|Les|LA|LE|LES)\s+|[lL][’'])?"
                      rf"(?:[A-ZÀ-Ý][\w’'\-]*)(?:[\s\-](?:(?:de|du|des|la|le|les|sur|en|aux?|et)\s+(?:l[’'])?|d[’']|l[’'])?"
                      rf"[A-ZÀ-Ý][\w’'\-]*){{0,4}})")


def normalise_org(kind: str, particle: str | None, name: str) -> str:
    """'MRC DE BELLECHASSE' → 'MRC de Bellechasse'; 'VILLE DE LA LOUVIÈRE' → 'Ville de La Louvière'."""
    if kind.isupper() and kind not in ("MRC",):
        kind = kind.capitalize()
    if name.isupper():
        name = " ".join(w if w.lower() in PARTICLES else "-".join(
            p if k and p in PARTICLES else p.capitalize() for k, p in enumerate(w.split("-")))
            for w in name.lower().split())
        name = re.sub(r"\b(D|L)’", lambda m: m.group(1).lower() + "’", name)
    particle = (particle or "").lower()
    if not particle and kind == "MRC":
        particle = "de"
    sep = "" if particle.endswith(("’", "'")) else " "
    return f"{kind} {particle}{sep}{name}".replace("  ", " ") if particle else f"{kind} {name}"


def find_organization(ex: Extraction, lex: Lexicon) -> str | None:
    """The organisation named most in the document's title, metadata and body; title and
    metadata count more than the body (a plan names its partners too)."""
    pat = _org_pattern(lex)
    scores: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    sources: list[tuple[str, int]] = []
    if ex.author:
        sources.append((ex.author, 5))
    if ex.title:
        sources.append((ex.title, 4))
    sources += [(c, 3) for c in ex.context]
    sources += [(b.text, 1) for b in ex.blocks[:400]]
    pos = 0
    for text, weight in sources:
        for m in pat.finditer(text):
            kind, particle, name = m.group(1), m.group(2) or m.group(3), m.group(4).strip(" -’'")
            # "Ville Intelligente" is no body, but a kind of several words ("Communauté de communes",
            # "Communauté d'agglomération") is followed by the name itself: "… Causses et Vallée".
            if not particle and kind.upper() != "MRC" and len(kind.split()) < 2:
                continue
            name = re.sub(r"\s+(de|du|des|la|le|les|sur|en|aux?)$", "", name)
            if not name or name.lower() in ("ville", "municipalité"):
                continue
            org = normalise_org(kind, particle, name)
            key = fold(org)
            scores[key] += weight
            first_seen.setdefault(key, pos)
            scores.setdefault(key, 0)
            pos += 1
            _names[key] = org
    if not scores:
        return None
    best = max(scores, key=lambda k: (scores[k], -first_seen[k]))
    return _names[best]


_names: dict[str, str] = {}

DEMONYM_RE = re.compile(r"(?<![\wÀ-ÿ])[a-zà-ÿ][a-zà-ÿ\-]{3,}")


def organization_from_demonym(ex: Extraction) -> tuple[str, str] | None:
    """(organisation, demonym) when the body names no body outright but speaks of its people
    ("la population louviéroise"): the demonym used most, from data/gentiles.json."""
    table = demonyms()
    counts: Counter[str] = Counter()
    seen: dict[str, str] = {}
    for b in ex.blocks[:400]:
        for w in DEMONYM_RE.findall(b.text):  # lower case only: a demonym adjective, not a name
            org = table.get(fold(w))
            if org:
                counts[org] += 1
                seen.setdefault(org, w)
    if not counts:
        return None
    org = counts.most_common(1)[0][0]
    return org, seen[org]


def find_period(ex: Extraction, title: str | None) -> tuple[int, int] | None:
    """An explicit range (2017-2022) in the title or early text; else "Horizon 2030";
    else the span of the years the plan's own content names when it has two or more."""
    heads = [t for t in [title, ex.title] if t] + ex.context[:3]
    body = [b.text for b in ex.blocks[:60]]
    published = int(ex.published[:4]) if ex.published else None
    for t in heads + body:
        m = RANGE_RE.search(t)
        if m:
            a, b = int(m.group(1)), m.group(2)
            b = int(b) if len(b) == 4 else (a // 100) * 100 + int(b)
            # A range in the text that ended before the document was published is history
            # ("sur la période intercensitaire 2010-2015"), not the period of the plan.
            if a < b <= a + MAX_SPAN and not (published and b < published and t not in heads):
                return a, b
    texts = heads + body
    for t in texts:
        m = SPAN_TO_YEAR_RE.search(t)
        if m and 0 < int(m.group(1)) <= MAX_SPAN:
            return int(m.group(2)) - int(m.group(1)), int(m.group(2))
    for t in texts:
        m = HORIZON_RE.search(t)
        if m:
            return int(m.group(1)), int(m.group(1))
    years = sorted({int(y) for b in ex.blocks for y in YEAR_RE.findall(b.text)})
    # A plan without a stated range runs from its publication to the last year it names
    # ("mi-mars 2026" in a plan published in November 2025 gives 2025-2026).
    if years and published and published <= years[0] and years[-1] - published <= MAX_PLAN_SPAN:
        return published, years[-1]
    if len(years) >= 2 and years[-1] - years[0] <= MAX_PLAN_SPAN:
        return years[0], years[-1]
    return None


def find_title(ex: Extraction, lex: Lexicon) -> str | None:
    """The first heading or title line naming a kind of plan, cut before its subtitle."""
    candidates = [b.text for b in ex.blocks[:80] if b.kind == "heading"] + ([ex.title] if ex.title else []) + \
                 [b.text for b in ex.blocks[:40]] + ex.context
    for text in candidates:
        line = one_line(text)
        low = fold(line)
        for w in lex.plan_title_words:
            k = low.find(w)
            if k >= 0 and len(w) > 4:
                m = re.search(rf"[^|:–\-]*{re.escape(line[k:k + len(w)])}[^|:–—]*", line)
                if m:
                    cut = re.split(r"\s+[-–—|:]\s+|\s*:\s+", m.group(0).strip())[0].strip()
                    cut = re.sub(r"^(?:Page\s+\d+\s*)", "", cut).strip()
                    if 4 < len(cut) <= 120:
                        return cut[:1].upper() + cut[1:]
    heads = [b.text for b in ex.blocks if b.kind == "heading"]
    return one_line(heads[0])[:200] if heads else (ex.title or None)
