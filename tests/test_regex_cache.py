"""The compiled-pattern cache gives the very pattern re.compile would, and never a wrong one."""
from __future__ import annotations

import re

from planscope.pipeline.structure import regex_cache

# Case-insensitive classes over accented letters: the kind of pattern the cache is for (spaCy's
# French token_match), small enough to compile here.
PATTERN = "(?iu)" + "|".join(f"(?:^{w}[-‐][a-zàâçéèêëîïôûùüÿœ]+$)" for w in ("porte", "garde", "après"))


def test_a_cached_pattern_is_the_one_re_compile_gives_and_re_compile_returns_it(tmp_path):
    path = tmp_path / "patterns.marshal"
    compiled = re.compile(PATTERN)
    regex_cache.save(path, [compiled])
    re.purge()
    assert regex_cache.preload(path) == 1
    again = re.compile(PATTERN)
    assert again == compiled
    assert again.match("Porte-Étendard") and not again.match("porte étendard")


def test_a_corrupt_or_missing_cache_file_is_ignored(tmp_path):
    path = tmp_path / "patterns.marshal"
    assert regex_cache.preload(path) == 0
    regex_cache.save(path, [re.compile(PATTERN)])
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF
    path.write_bytes(bytes(data))
    assert regex_cache.preload(path) == 0


def test_the_cache_lives_where_the_environment_says(tmp_path, monkeypatch):
    monkeypatch.setenv(regex_cache.ENV_CACHE, str(tmp_path))
    assert regex_cache.cache_file("3.8.18").parent == tmp_path
