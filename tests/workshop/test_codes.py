"""Join codes are typed on phones; keys and tokens guard the facilitator pages."""

from __future__ import annotations

import pytest

from workshop.codes import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    new_join_code,
    new_key,
    new_session_id,
    normalise_code,
)

LOOK_ALIKES = "0O1IL2Z5S8B"


def test_join_codes_use_no_look_alike_characters():
    codes = [new_join_code() for _ in range(500)]
    assert all(len(c) == JOIN_CODE_LENGTH for c in codes)
    assert not set("".join(codes)) & set(LOOK_ALIKES)
    assert set("".join(codes)) <= set(JOIN_CODE_ALPHABET)
    assert len(set(codes)) > 495  # random, not a counter


@pytest.mark.parametrize("typed", ["k7xq4m", " K7X-Q4M ", "k7x q4m", "K7XQ4M\n", "k.7.x.q.4.m"])
def test_case_spaces_and_dashes_are_ignored(typed):
    assert normalise_code(typed) == "K7XQ4M"


@pytest.mark.parametrize("typed", ["", "   ", "---", None])
def test_nothing_typed_is_no_code(typed):
    assert normalise_code(typed) == ""


def test_keys_and_tokens_are_long_random_and_url_safe():
    keys = {new_key() for _ in range(1000)}
    assert len(keys) == 1000
    for key in list(keys)[:50]:
        assert len(key) >= 22  # 16 random bytes
        assert all(ch.isalnum() or ch in "-_" for ch in key)


def test_session_ids_differ():
    assert len({new_session_id() for _ in range(200)}) == 200
