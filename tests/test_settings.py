"""planscope.settings: an option beats the environment, the environment beats the project home."""
from __future__ import annotations

from pathlib import Path

from planscope.settings import load_settings


def test_defaults_are_relative_to_the_current_directory():
    s = load_settings(env={})
    assert s.db_url == "sqlite:///data/curated/planscope.db"
    assert s.raw_dir == Path("data/raw/store") and s.sources == Path("data/raw/samples/sources.csv")
    assert s.doc_memory_bytes == 2048 * 2**20 and not s.debug


def test_a_home_makes_every_default_absolute(tmp_path):
    s = load_settings(env={"PLANSCOPE_HOME": str(tmp_path)})
    assert s.db_url == f"sqlite:///{tmp_path}/data/curated/planscope.db"
    assert s.raw_dir == tmp_path / "data" / "raw" / "store"
    assert s.sources == tmp_path / "data" / "raw" / "samples" / "sources.csv"


def test_option_beats_environment_beats_default(tmp_path):
    env = {"PLANSCOPE_DB": "postgresql://u@127.0.0.1/x", "PLANSCOPE_RAW": "/srv/raw",
           "PLANSCOPE_DOC_MEMORY_MB": "512", "PLANSCOPE_DEBUG": "1"}
    s = load_settings(env=env)
    assert s.db_url == "postgresql+psycopg://u@127.0.0.1/x"  # the driver planscope installs
    assert s.raw_dir == Path("/srv/raw") and s.doc_memory_bytes == 512 * 2**20 and s.debug
    s = load_settings(db_url="sqlite:////tmp/a.db", raw_dir="r", env={**env, "PLANSCOPE_HOME": str(tmp_path)})
    assert s.db_url == "sqlite:////tmp/a.db" and s.raw_dir == tmp_path / "r"
