"""Three sample plans with their organisations, processed and loaded as the comparison tests need them."""
from __future__ import annotations

from pathlib import Path

SAMPLE_DOCS = [("003_820aabac6aeefe41.txt", "MRC de Bellechasse", "mrc", "Chaudière-Appalaches"),
               ("001_a15fe024465434f4.txt", "Ville de Bécancour", "ville", "Centre-du-Québec"),
               ("002_5983b16d3af4e8d6.txt", "Ville de La Louvière", "commune", "Wallonie")]


def process_samples(samples: Path) -> list[tuple]:
    """(file name, plan result, organisation, type, region) of each sample plan."""
    from planscope.pipeline.process import process_file

    return [(name, process_file(samples / name), org, typ, region) for name, org, typ, region in SAMPLE_DOCS]


def load_samples(url: str, results: list[tuple]):
    """A migrated database at ``url`` holding these results, with their organisations."""
    from planscope.pipeline.load.db import make_engine, migrate
    from planscope.pipeline.load.store import OrgInfo, load_result

    engine = make_engine(url)
    migrate(engine)
    for name, result, org, typ, region in results:
        load_result(engine, name, result, OrgInfo(name=org, org_type=typ, region=region))
    return engine
