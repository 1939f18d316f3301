"""Imported once by the forkserver (and by each Dask worker) so that every isolated child starts
with the parsers, the lexicon, the verb list and the theme matcher loaded: a child forks in
milliseconds instead of paying the loading per document."""
import importlib

for _module in ("planscope.extractors.html", "planscope.extractors.pdf", "planscope.extractors.text",
                "planscope.pipeline.process"):
    importlib.import_module(_module)

from planscope.pipeline.normalise.themes import matcher  # noqa: E402
from planscope.pipeline.structure.lexicon import lexicon  # noqa: E402
from planscope.pipeline.structure.verbs import verb_lists  # noqa: E402

lexicon()
verb_lists()
matcher()
