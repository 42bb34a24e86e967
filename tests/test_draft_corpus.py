"""Precision and recall of the draft reader on a corpus of target sentences in the styles of
other committees' resolutions (tests/data/draft/corpus.toml), distractors included.

A proposed row is correct when its measure, over, comparison, target and target_max match
an expected row of the same case not matched yet; precision = correct / proposed, recall =
correct / expected. The bar is 0.9 for both; the figures are printed (``pytest -s``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from src.ingest.draft import DraftRow, draft
from src.store import catalogue

CORPUS = Path(__file__).resolve().parent / "data" / "draft" / "corpus.toml"
BAR = 0.9
INDICATORS = catalogue.shipped_indicators()


def cases() -> list[dict[str, Any]]:
    return list(tomllib.loads(CORPUS.read_text(encoding="utf-8"))["case"])


def key(row: DraftRow | dict[str, Any]) -> tuple[object, ...]:
    """What a row is scored on: measure, over, comparison, target, target_max."""
    fields = row if isinstance(row, dict) else row.as_dict()
    high = fields.get("target_max")
    return (
        fields["measure"],
        fields["over"],
        fields["comparison"],
        float(fields["target"]),
        float(high) if high is not None else None,
    )


def score(case: dict[str, Any]) -> tuple[int, int, int, list[str]]:
    """(correct, proposed, expected, what went wrong) for one case."""
    found = draft(case["text"], INDICATORS).rows
    expected = [key(r) for r in case["rows"]]
    left = list(expected)
    correct = 0
    wrong = []
    for row in found:
        if key(row) in left:
            left.remove(key(row))
            correct += 1
        else:
            wrong.append(f"proposed {key(row)}")
    wrong += [f"missed {k}" for k in left]
    return correct, len(found), len(expected), wrong


def totals() -> tuple[float, float, int, int, int]:
    correct = proposed = expected = 0
    for case in cases():
        c, p, e, _ = score(case)
        correct, proposed, expected = correct + c, proposed + p, expected + e
    precision = correct / proposed if proposed else 1.0
    recall = correct / expected if expected else 1.0
    return precision, recall, correct, proposed, expected


def test_the_corpus_has_at_least_25_target_sentences_and_distractors() -> None:
    all_cases = cases()
    targets = sum(len(c["rows"]) for c in all_cases)
    assert targets >= 25
    assert sum(1 for c in all_cases if not c["rows"]) >= 5


def test_precision_and_recall_on_the_corpus_are_above_the_bar() -> None:
    precision, recall, correct, proposed, expected = totals()
    print(
        f"\ndraft corpus: precision {precision:.3f} ({correct}/{proposed}), "
        f"recall {recall:.3f} ({correct}/{expected})"
    )
    problems = {c["text"][:60]: score(c)[3] for c in cases() if score(c)[3]}
    assert precision >= BAR and recall >= BAR, problems


@pytest.mark.parametrize(
    "case", [c for c in cases() if not c["rows"]], ids=lambda c: c["text"][:40]
)
def test_a_distractor_yields_nothing(case: dict[str, Any]) -> None:
    assert draft(case["text"], INDICATORS).rows == ()


def test_of_which_rows_are_under_the_expected_parent_and_indicators_as_expected() -> None:
    """Where a case gives a parent or indicators, a matching row has them."""
    for case in cases():
        found = draft(case["text"], INDICATORS).rows
        if [key(r) for r in found] != [key(r) for r in case["rows"]]:
            continue  # scored by the precision/recall test
        for row, want in zip(found, case["rows"], strict=True):
            if "parent" in want:
                assert row.parent == found[want["parent"]].code, case["text"]
            else:
                assert row.parent == "", case["text"]
            if "numerator" in want:
                assert row.numerator == want["numerator"], case["text"]
                assert row.denominator == want.get("denominator", ""), case["text"]
