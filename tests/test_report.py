"""The benchmark report as its readers get it: French text, CSV a spreadsheet can open safely, and an
HTML page rendered by a real headless Chromium (Debian's chromium + chromium-driver, driven by
selenium) in which no label is clipped, on screen at 1280 px and in print."""
from __future__ import annotations

import base64
import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from planscope.cli.main import main as cli
from planscope.pipeline.load.db import make_engine
from planscope.pipeline.report.benchmark import benchmark
from planscope.pipeline.report.benchmark_text import render_table
from planscope.pipeline.report.html import render_html
from planscope.pipeline.report.tables import render

from sample_plans import SAMPLE_DOCS, load_samples, process_samples

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ("Records per level", "peer mean", "Practices", "Theme coverage", "Only the target", "Similar peer",
           "Plan age", "Compared with", "target", "an(s)", "year(s)", "none")
FORMULAS = ("=HYPERLINK(\"http://127.0.0.1/x\")", "+1+2", "-3+4", "@SUM(A1)")


@pytest.fixture(scope="module")
def sample_results(samples):
    return process_samples(samples)


_load = load_samples


# -- French text, plural and period wording -----------------------------------------
def test_report_speaks_french_and_counts_years_right(db_url, sample_results):
    engine = _load(db_url, sample_results)
    rep = benchmark(engine, "MRC de Bellechasse", peers="type", year=2026)
    pl = rep["target"]["plan"]
    assert (pl["period_end"], pl["state"], pl["years_left"]) == (2025, "ended", 0)  # never negative
    assert rep["plan_age"]["peers_without_period"] == ["Ville de La Louvière"]
    out = render_table(rep)
    assert "terminé depuis 1 an" in out and "1 pair sans période connue" in out and "Ville de La Louvière" in out
    assert "Éléments par niveau" in out and "orientations" in out and "moyenne des pairs" in out
    assert "Ressources humaines" in out and " rh," not in out  # gaps by label, not by code
    html = render_html(rep)
    assert '<html lang="fr">' in html and "En bref" in html and "@media print" in html
    assert "Ce que font les pairs sur les thèmes absents" in html
    visible = re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", html, flags=re.S))
    for word in ENGLISH:
        assert word not in out, word
        assert word not in visible, word
    assert "-1 an" not in out + html and "–––" not in html
    # the examples are peer actions tagged with a theme the target lacks
    ex = rep["theme_gaps"]["examples"]
    assert set(ex) == set(rep["theme_gaps"]["missing_in_target"]) and any(ex.values())
    peers = {p["organization"] for p in rep["peer_group"]["peers"]}
    assert all(e["organization"] in peers and e["title"] for v in ex.values() for e in v)


# -- CSV ---------------------------------------------------------------------------------
def _with_formula_titles(engine):
    """Actions of every plan retitled like spreadsheet formulas (the first of each plan)."""
    with engine.begin() as conn:
        ids = conn.execute(text("select min(id) from record where level = 'action' group by plan_id")).scalars().all()
        for i, rid in enumerate(ids):
            conn.execute(text("update record set title = :t where id = :i"),
                         {"t": FORMULAS[i % len(FORMULAS)] + " Offre de services", "i": rid})


def test_benchmark_csv_sections_and_formula_neutralised(db_url, sample_results):
    engine = _load(db_url, sample_results)
    _with_formula_titles(engine)
    res = CliRunner().invoke(cli, ["benchmark", "MRC de Bellechasse", "--format", "csv", "--top", "5",
                                   "--db", db_url])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert list(rows[0]) == ["section", "item", "target", "peers", "detail"]
    sections = {r["section"] for r in rows}
    assert {"peer_group", "peer", "level", "practice", "theme", "theme_gap", "theme_gap_example", "similar"} <= sections
    assert sorted(r["item"] for r in rows if r["section"] == "peer") == \
        ["Ville de Bécancour", "Ville de La Louvière"]
    similar = [r for r in rows if r["section"] == "similar"]
    assert similar and all(r["target"] == "" and 0 < float(r["peers"]) <= 1 for r in similar)
    for r in rows:
        for v in r.values():
            assert not v.startswith(("=", "+", "-", "@")), r
    assert any(v.startswith(("'=", "'+", "'-", "'@")) for r in rows for v in r.values())  # present, neutralised


def test_render_csv_keeps_numbers_and_neutralises_text():
    out = render([{"a": "=1+1", "b": -2, "c": -0.5, "d": "@x", "e": "plain", "f": "\tcmd"}], "csv")
    assert out.splitlines()[1] == "'=1+1,-2,-0.500,'@x,plain,'\tcmd"


def test_export_years_are_integers_and_formulas_neutralised(db_url, sample_results, tmp_path):
    engine = _load(db_url, sample_results)
    _with_formula_titles(engine)
    res = CliRunner().invoke(cli, ["export", "--db", db_url, "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    plans = list(csv.DictReader((tmp_path / "plans.csv").open(encoding="utf-8")))
    assert {p["period_start"] for p in plans} >= {"2021", ""} and not any("." in p["period_end"] for p in plans)
    records = list(csv.DictReader((tmp_path / "records.csv").open(encoding="utf-8")))
    titles = [r["title"] for r in records]
    assert "'=HYPERLINK(\"http://127.0.0.1/x\") Offre de services" in titles
    assert not any(t.startswith(("=", "+", "-", "@")) for t in titles)
    assert all("." not in r["plan_id"] and "." not in r["version"] for r in records)


def test_stats_statuses_are_text_not_json(sqlite_url, sample_results):
    _load(sqlite_url, sample_results)
    for fmt in ("table", "csv"):
        res = CliRunner().invoke(cli, ["stats", "--db", sqlite_url, "--format", fmt])
        assert res.exit_code == 0, res.output
        line = next(x for x in res.stdout.splitlines() if x.startswith("statuses"))
        assert "ok: 3" in line and "{" not in line, line
    res = CliRunner().invoke(cli, ["stats", "--db", sqlite_url, "--format", "json"])
    assert json.loads(res.stdout)["statuses"] == {"ok": 3}


# -- the HTML page in a real headless Chromium ------------------------------------------
CHROMIUM = os.environ.get("PLANSCOPE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("PLANSCOPE_CHROMEDRIVER", "/usr/bin/chromedriver")

# Every element that shows a label; clipped when its content is wider or taller than its box, or
# when it sticks out of the page on the left or right.
CLIPPED_JS = """
const out = [];
const page = document.documentElement.clientWidth;
for (const el of document.querySelectorAll('h1,h2,h3,p,li,th,td,.lbl,.tag,.figure div,.bar')) {
  const r = el.getBoundingClientRect();
  if (!r.width && !r.height) continue;
  if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1 || r.left < -0.5 ||
      r.right > page + 0.5)
    out.push([el.tagName + '.' + el.className, el.textContent.trim().slice(0, 60), el.scrollWidth,
              el.clientWidth, el.scrollHeight, el.clientHeight, Math.round(r.left), Math.round(r.right)]);
}
return {clipped: out, pageScroll: document.documentElement.scrollWidth, page: page,
        labels: document.querySelectorAll('.lbl').length};
"""


@pytest.fixture(scope="module")
def chromium():
    """A headless Chromium at 1280 px. No skip: without Chromium the test fails and says why."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (Path(p).exists() or shutil.which(p))]
    if missing:
        pytest.fail(f"Chromium is needed for the report test and is missing ({', '.join(missing)}): run "
                    "scripts/setup.sh as root (apt-get install chromium chromium-driver), or set "
                    "PLANSCOPE_CHROMIUM / PLANSCOPE_CHROMEDRIVER", pytrace=False)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--hide-scrollbars", "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--metrics-recording-only"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    yield driver
    driver.quit()


def _check_page(driver, path: Path, media: str = "screen", width: int = 1280) -> dict:
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
    driver.get(path.as_uri())
    return driver.execute_script(CLIPPED_JS)


def _long_names(url: str) -> str:
    """A synthetic database of 30 plans whose target and one peer have very long names."""
    from synthetic_db import build

    build(url, plans=30, actions=600, seed=3)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("update organization set name = 'Municipalité régionale de comté des "
                          "Collines-de-la-Haute-Chaudière-et-des-Etchemins-Appalaches' where id = 1"))
        conn.execute(text("update organization set name = 'Communauté métropolitaine de "
                          "Saint-Jean-Baptiste-de-l’Île-aux-Grues-et-Environs' where id = 2"))
    return "Collines-de-la-Haute-Chaudière"


def test_report_labels_not_clipped_in_chromium(chromium, sample_results, tmp_path):
    pages = []
    engine = _load(f"sqlite:///{tmp_path / 'samples.db'}", sample_results)
    pages.append(render_html(benchmark(engine, "MRC de Bellechasse", peers="type", year=2026)))
    synth = f"sqlite:///{tmp_path / 'synth.db'}"
    target = _long_names(synth)
    pages.append(render_html(benchmark(make_engine(synth), target, peers="all", year=2026, max_peer_actions=300)))
    for i, page in enumerate(pages):
        path = tmp_path / f"report{i}.html"
        path.write_text(page, encoding="utf-8")
        screen = _check_page(chromium, path)
        assert screen["labels"] > 20  # the heat map's row and column labels are there
        assert screen["clipped"] == [], screen["clipped"]
        assert screen["pageScroll"] <= screen["page"], "the page scrolls sideways at 1280 px"
        printed = _check_page(chromium, path, media="print", width=760)  # an A4 page's width in CSS px
        assert printed["clipped"] == [], printed["clipped"]
    # the printed page is a real PDF of several A4 pages
    from selenium.webdriver.common.print_page_options import PrintOptions

    chromium.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "screen"})
    pdf = base64.b64decode(chromium.print_page(PrintOptions()))
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 2


def test_clipping_check_catches_a_clipped_label(chromium, sample_results, tmp_path):
    """The check is not vacuous: the same report with row labels forced into a narrow box fails it."""
    engine = _load(f"sqlite:///{tmp_path / 'samples.db'}", sample_results)
    page = render_html(benchmark(engine, "MRC de Bellechasse", peers="type", year=2026))
    bad = page.replace("</style>", "table.heat th.row{width:4rem;max-width:4rem;white-space:nowrap;"
                                   "overflow:hidden}</style>")
    path = tmp_path / "clipped.html"
    path.write_text(bad, encoding="utf-8")
    clipped = _check_page(chromium, path)["clipped"]
    assert any("Environnement et développement durable" in c[1] for c in clipped)


def test_tfidf_matches_scikit_learn(samples):
    """The benchmark's own TF-IDF gives scikit-learn's TfidfVectorizer scores (it replaced it)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from planscope.pipeline.report.similarity import FRENCH_STOP, tfidf
    from planscope.pipeline.structure.lexicon import fold

    docs = [line.strip() for name, *_ in SAMPLE_DOCS for line in (samples / name).read_text(encoding="utf-8")
            .splitlines() if line.strip()] + ["de la et", "Œuvre d'art : développer l'œuvre", ""]
    ref = TfidfVectorizer(strip_accents="unicode", lowercase=True, ngram_range=(1, 2), sublinear_tf=True,
                          stop_words=[fold(w) for w in FRENCH_STOP], token_pattern=r"(?u)\b\w\w+\b").fit_transform(docs)
    ours = tfidf(docs)
    assert ours.shape == ref.shape
    assert abs((ours @ ours.T).toarray() - (ref @ ref.T).toarray()).max() < 1e-9
    assert tfidf(["de la", "et les"]) is None
