"""Each document is parsed in a child process that can be killed: time limit and memory cap."""
from __future__ import annotations

from planscope.pipeline.isolate import process_isolated


def test_a_document_within_limits_is_parsed(samples):
    r = process_isolated(str(samples / "003_820aabac6aeefe41.txt"), "bellechasse.txt", "sha")
    assert r.status == "ok" and r.is_plan and len(r.records) == 8


def test_time_limit_kills_the_worker_and_records_why(samples):
    r = process_isolated(str(samples / "becancour-plan-100-jours.pdf"), "b.pdf", "sha", time_limit=0.01)
    assert r.status == "failed" and "time limit" in r.error and r.records == []


def test_memory_cap_ends_as_a_recorded_failure(samples):
    r = process_isolated(str(samples / "becancour-plan-100-jours.pdf"), "b.pdf", "sha",
                         memory_limit=64 * 1024 * 1024)
    assert r.status == "failed" and r.error


def test_missing_file_is_a_failure_not_an_exception(tmp_path):
    r = process_isolated(str(tmp_path / "nope.pdf"), "nope.pdf", "sha")
    assert r.status == "failed" and "FileNotFoundError" in r.error


def test_one_child_serves_a_batch_and_a_failure_does_not_spoil_the_next_document(samples, tmp_path):
    from planscope.pipeline.isolate import IsolatedParser

    text = str(samples / "003_820aabac6aeefe41.txt")
    with IsolatedParser(max_docs=3) as parser:
        first = parser.parse(text, "a.txt", "sha")
        missing = parser.parse(str(tmp_path / "nope.pdf"), "nope.pdf", "sha")
        again = parser.parse(text, "b.txt", "sha")
    assert first.status == again.status == "ok" and len(again.records) == len(first.records) == 8
    assert missing.status == "failed" and "FileNotFoundError" in missing.error


def test_a_document_over_the_time_limit_in_a_batch_is_recorded_and_the_next_one_is_parsed(samples):
    from planscope.pipeline.isolate import IsolatedParser

    with IsolatedParser(time_limit=0.01) as parser:
        slow = parser.parse(str(samples / "becancour-plan-100-jours.pdf"), "b.pdf", "sha")
        parser.time_limit = 300
        after = parser.parse(str(samples / "003_820aabac6aeefe41.txt"), "a.txt", "sha")
    assert slow.status == "failed" and "time limit" in slow.error
    assert after.status == "ok" and len(after.records) == 8
