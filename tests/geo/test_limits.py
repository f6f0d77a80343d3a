"""The limits of a read: configurable, checked early, each refusal one line with a code (issue 14)."""

from __future__ import annotations

import time

import pytest

from geo.errors import UnsafeInputError
from geo.limits import Deadline, Limits, text_too_long, too_many_features


def test_defaults_bound_every_read() -> None:
    limits = Limits()
    assert limits.max_features == 500_000 and limits.max_seconds == 120 and limits.max_text_chars == 100_000
    assert limits.archive_members == 10_000


def test_limits_from_the_environment_keep_defaults_for_nonsense() -> None:
    env = {
        "BAOYEN_LIMIT_MAX_FEATURES": "1000",
        "BAOYEN_LIMIT_MAX_SECONDS": "2.5",
        "BAOYEN_LIMIT_MAX_TEXT_CHARS": "-5",  # not positive: ignored
        "BAOYEN_LIMIT_ARCHIVE_MEMBERS": "many",  # not a number: ignored
    }
    limits = Limits.from_env(env)
    assert limits.max_features == 1000 and isinstance(limits.max_features, int)
    assert limits.max_seconds == 2.5
    assert limits.max_text_chars == Limits().max_text_chars and limits.archive_members == Limits().archive_members
    assert Limits.from_env({}) == Limits()


def test_a_deadline_refuses_once_it_has_run_out() -> None:
    Deadline(60).check("`a.gpkg`")
    gone = Deadline(0.01)
    time.sleep(0.02)
    with pytest.raises(UnsafeInputError, match=r"took longer than 0\.01 seconds") as info:
        gone.check("`a.gpkg`")
    assert info.value.code == "input.too_slow" and info.value.params == {"source": "`a.gpkg`", "seconds": 0.01}


def test_refusals_carry_codes_and_counts() -> None:
    exc = too_many_features("`a.kml`", 1_000_000, 500_000, what="placemarks")
    assert str(exc).startswith("`a.kml` holds 1,000,000 placemarks, above the limit of 500,000")
    assert exc.code == "input.too_many_features" and exc.params["count"] == 1_000_000
    unknown = too_many_features("`a.dxf`", None, 10)
    assert "more than 10 features" in str(unknown) and unknown.params["count"] == 11
    long = text_too_long("`a.csv`", 5_000_000, 100_000, field="note", feature=3)
    assert "field note of feature 3 holds a text of 5,000,000 characters" in str(long)
    assert long.params["field"] == "note" and long.params["feature"] == 3
