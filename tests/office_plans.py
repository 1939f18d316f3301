"""Two small plans as document specs (tests/office_factory.py renders them): a Word plan with
heading levels and numbered actions, and a workbook with one row per action."""
from __future__ import annotations

THEMES = ("Mobilité et déplacements", "Transition énergétique")
OBJECTIVES = ("Développer les modes doux", "Réduire les consommations")
VERBS = ("Aménager", "Créer", "Étendre")
THINGS = ("les itinéraires du quartier {n}", "un service de proximité (secteur {n})", "le réseau existant, tranche {n}")


def word_plan(name: str = "plan.docx") -> dict:
    body = [{"type": "heading", "level": 1, "text": "Plan d'actions communal 2025-2030"},
            {"type": "paragraph", "text": "Le conseil municipal a adopté ce plan d'actions pour la période 2025-2030."}]
    for a, theme in enumerate(THEMES, 1):
        body.append({"type": "heading", "level": 2, "text": f"Axe {a} : {theme}"})
        for o, objective in enumerate(OBJECTIVES, 1):
            body.append({"type": "heading", "level": 3, "text": f"Objectif {a}.{o} : {objective}"})
            body.append({"type": "list", "numbered": True,
                         "items": [{"text": f"{v} {t.format(n=f'{a}.{o}')}", "level": 0}
                                   for v, t in zip(VERBS, THINGS)]})
    return {"file": name, "properties": {"title": "Plan d'actions communal 2025-2030"}, "body": body}


def sheet_plan(name: str = "plan.xlsx") -> dict:
    rows = [["Axe", "Objectif", "Action", "Responsable", "Échéance", "Indicateur"]]
    for a, theme in enumerate(THEMES, 1):
        for o, objective in enumerate(OBJECTIVES, 1):
            for v, t in zip(VERBS, THINGS):
                rows.append([f"Axe {a} – {theme}", f"Objectif {a}.{o} – {objective}", f"{v} {t.format(n=f'{a}.{o}')}",
                             "Service technique", "2027", "Nombre de réalisations"])
    return {"file": name, "properties": {"title": "Plan d'actions 2025-2030"},
            "sheets": [{"name": "Plan d'actions", "rows": rows}]}
