"""Current version = what the source serves now, and `planscope diff` between two versions."""
from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import text

from planscope.cli.main import main
from planscope.pipeline.load.db import make_engine, migrate

SOURCE = "drummondville-planification-2017-2022.html"


def _edited(raw: bytes) -> bytes:
    """Retitle one orientation, remove one, add one, move one to the other axis."""
    tics = "<li>Intégrer les TIC dans les relations interservices;</li>\n".encode()
    formation = ("<li>Favoriser une offre de formation en adéquation avec les besoins identifiés dans le "
                 "milieu;</li>\n").encode()
    assert tics in raw and formation in raw
    out = raw.replace(b"<li>Valoriser les quartiers;</li>", b"<li>Valoriser les quartiers anciens;</li>")
    out = out.replace(tics, b"").replace(formation, tics)
    return out.replace("<li>Analyser les opportunités quant au partage de données avec les citoyens et les "
                       "entreprises;</li>\n".encode(),
                       "<li>Analyser les opportunités quant au partage de données avec les citoyens et les "
                       "entreprises;</li>\n<li>Créer un laboratoire citoyen;</li>\n".encode())


def _run(engine, path) -> dict:
    """One run's work over one local source, without Prefect: triage, then extract and load what it says."""
    from planscope.flows.harvest_flow import count_loaded, finish_summary, new_summary, plan_work
    from planscope.pipeline.load.store import load_result
    from planscope.pipeline.process import process_file
    from planscope.pipeline.load.runplan import Entry

    summary = new_summary(str(engine.url))
    for e, sha, what in plan_work(engine, [Entry(location=SOURCE, path=str(path))], summary):
        result = process_file(path)
        outcome = load_result(engine, e.location, result)
        count_loaded(summary, e, what, result, {"action": outcome.action})
    return finish_summary(summary, engine)


def _state(engine) -> list[tuple]:
    with engine.connect() as c:
        return [tuple(r) for r in c.execute(text(
            "SELECT p.version, p.is_current, d.is_current, (SELECT count(*) FROM record r WHERE r.plan_id = p.id) "
            "FROM plan p JOIN document d ON d.id = p.document_id ORDER BY p.version"))]


def test_restored_bytes_make_the_old_version_current_again(db_url, samples, tmp_path):
    from planscope.pipeline.report.benchmark import reference_plans

    engine = make_engine(db_url)
    migrate(engine)
    raw = (samples / SOURCE).read_bytes()
    path = tmp_path / SOURCE
    path.write_bytes(raw)
    assert _run(engine, path)["loaded"] == 1
    path.write_bytes(_edited(raw))
    assert _run(engine, path)["loaded"] == 1
    assert _state(engine) == [(1, False, False, 20), (2, True, True, 20)]
    path.write_bytes(raw)  # the source serves its first bytes again
    s = _run(engine, path)
    assert (s["documents"], s["loaded"], s["restored"], s["unchanged"]) == (1, 0, 1, 0)
    assert _state(engine) == [(1, True, True, 20), (2, False, False, 20)]  # no row added
    with engine.connect() as c:
        assert [p["version"] for p in reference_plans(c).values()] == [1]  # the benchmark follows
    s = _run(engine, path)
    assert (s["restored"], s["unchanged"]) == (0, 1)
    path.write_bytes(_edited(raw))  # and back to the edited bytes
    assert _run(engine, path)["restored"] == 1
    assert _state(engine) == [(1, False, False, 20), (2, True, True, 20)]
    engine.dispose()


def test_diff_between_two_versions(sqlite_url, samples, tmp_path):
    engine = make_engine(sqlite_url)
    migrate(engine)
    raw = (samples / SOURCE).read_bytes()
    path = tmp_path / SOURCE
    path.write_bytes(raw)
    _run(engine, path)
    path.write_bytes(_edited(raw))
    _run(engine, path)
    engine.dispose()

    res = CliRunner().invoke(main, ["diff", "Ville de Drummondville", "--db", sqlite_url, "--format", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert (d["from"], d["to"], d["current"]) == (1, 2, 2)
    assert [r["title"] for r in d["added"]] == ["Créer un laboratoire citoyen"]
    assert [r["title"] for r in d["removed"]] == [
        "Favoriser une offre de formation en adéquation avec les besoins identifiés dans le milieu"]
    assert [(r["old_title"], r["title"]) for r in d["retitled"]] == [
        ("Valoriser les quartiers", "Valoriser les quartiers anciens")]
    assert [(r["title"], r["old_parent"], r["parent"]) for r in d["moved"]] == [
        ("Intégrer les TIC dans les relations interservices", "Ville intelligente", "Expérience citoyen")]

    res = CliRunner().invoke(main, ["diff", "Drummondville", "--from", "2", "--to", "1", "--db", sqlite_url])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0].startswith("Ville de Drummondville — drummondville") and "version 2 → version 1" in lines[0]
    assert lines[1] == "1 ajouté(s), 1 retiré(s), 1 renommé(s), 1 déplacé(s)"
    assert any(ln.startswith("- orientation") and "laboratoire citoyen" in ln for ln in lines)  # 2 → 1: removed

    res = CliRunner().invoke(main, ["diff", "Drummondville", "--from", "7", "--db", sqlite_url])
    assert res.exit_code == 1 and "has no version 7 (versions: 1, 2)" in res.output
