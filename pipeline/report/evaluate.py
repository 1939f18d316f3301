"""Record-level evaluation against gold files, matching plan-records.md (the referee's rules)."""
from __future__ import annotations

import json
import re
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

from planscope.models.records import LEVELS

THRESHOLD = 0.90
QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "«": '"', "»": '"', "“": '"', "”": '"',
                        "\u00a0": " ", "\u202f": " ", "–": "-", "—": "-"})


def norm(text: str | None) -> str:
    text = unicodedata.normalize("NFC", text or "").translate(QUOTES).lower()
    return re.sub(r"[\s;.:,]+$", "", re.sub(r"\s+", " ", text).strip())


def _sim(a: str, b: str) -> float:
    return 1.0 if a == b else SequenceMatcher(None, a, b, autojunk=False).ratio()


def match(gold: list[dict], pred: list[dict]) -> dict[int, int]:
    """One-to-one greedy matching on the same level, best pairs first."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if g["level"] == p.get("level"):
                s = _sim(norm(g["title"]), norm(p.get("title")))
                if s >= THRESHOLD:
                    pairs.append((s, gi, pi))
    pairs.sort(key=lambda t: -t[0])
    m, used_p = {}, set()
    for _, gi, pi in pairs:
        if gi not in m and pi not in used_p:
            m[gi] = pi
            used_p.add(pi)
    return m


def prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else (1.0 if not ngold else 0.0)
    r = tp / ngold if ngold else (1.0 if not npred else 0.0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_dirs(gold_dir: Path, preds: dict[str, dict]) -> dict:
    """Per-level precision/recall/F1, structure accuracy and plan-field accuracy."""
    tot = {lv: [0, 0, 0] for lv in LEVELS}
    matched = parent_ok = plan_ok = period_ok = org_ok = 0
    docs = []
    golds = sorted(Path(gold_dir).glob("*.json"))
    for gp in golds:
        gold = json.loads(gp.read_text(encoding="utf-8"))
        pred = preds.get(gp.name[:-5], {"records": [], "is_plan": None})
        g, p = gold.get("records") or [], pred.get("records") or []
        m = match(g, p)
        gid = {r["id"]: i for i, r in enumerate(g)}
        pid = {r.get("id"): i for i, r in enumerate(p)}
        for lv in LEVELS:
            tot[lv][0] += sum(1 for gi in m if g[gi]["level"] == lv)
            tot[lv][1] += sum(1 for r in p if r.get("level") == lv)
            tot[lv][2] += sum(1 for r in g if r["level"] == lv)
        ok = 0
        for gi, pi in m.items():
            gpar, ppar = g[gi].get("parent"), p[pi].get("parent")
            ok += (ppar is None) if gpar is None else (pid.get(ppar) is not None and m.get(gid.get(gpar)) == pid.get(ppar))
        matched += len(m)
        parent_ok += ok
        plan_ok += bool(gold.get("is_plan")) == bool(pred.get("is_plan"))
        period_ok += (gold.get("period") or None) == (list(pred.get("period") or []) or None)
        go, po = norm(gold.get("organization")), norm(pred.get("organization"))
        org_ok += (not go and not po) or (bool(go) and bool(po) and (go in po or po in go or _sim(go, po) >= 0.8))
        docs.append({"document": gp.name[:-5], "f1": round(prf(len(m), len(p), len(g))[2], 3), "gold": len(g),
                     "predicted": len(p), "matched": len(m), "parent_ok": ok})
    out = {"documents": docs, "levels": {}}
    for lv in LEVELS:
        p_, r_, f_ = prf(*tot[lv])
        out["levels"][lv] = {"precision": round(p_, 4), "recall": round(r_, 4), "f1": round(f_, 4)}
    all_ = [sum(v[k] for v in tot.values()) for k in range(3)]
    p_, r_, f_ = prf(*all_)
    n = max(len(golds), 1)
    out["overall"] = {"precision": round(p_, 4), "recall": round(r_, 4), "f1": round(f_, 4)}
    out["structure_accuracy"] = round(parent_ok / matched, 4) if matched else 0.0
    out["is_plan_accuracy"] = round(plan_ok / n, 4)
    out["period_accuracy"] = round(period_ok / n, 4)
    out["organization_accuracy"] = round(org_ok / n, 4)
    return out
