"""A backup restores into the identical session; damaged, foreign or clashing files are refused."""

from __future__ import annotations

import json

import pytest

from tests.workshop.summary_data import make_session
from workshop.backup import (
    FORMAT, VERSION, BackupError, SessionExists, backup, backup_bytes, checksum, load, restore,
)
from workshop.export import actions_csv, answers_csv, to_html, to_markdown
from workshop.store import Store
from workshop.summary import gather


@pytest.fixture
def here(tmp_path):
    return Store(tmp_path / "here.db")


@pytest.fixture
def elsewhere(tmp_path):
    return Store(tmp_path / "elsewhere.db")


def renders(store, session_id):
    session = store.get_session(session_id)
    summary = gather(store, session)
    return (to_markdown(summary), to_html(summary), answers_csv(store, session), actions_csv(store, session))


def test_round_trip_into_an_empty_store_gives_the_same_summary_byte_for_byte(here, elsewhere):
    session = make_session(here, show_names=True)
    here.update_session(session.id, revealed=True, collection_open=False)
    data = backup_bytes(here, session.id)

    restored = restore(elsewhere, data)

    assert renders(elsewhere, restored.id) == renders(here, session.id)
    original = here.get_session(session.id)
    assert restored == original  # id, join code, key, prompts, brief, flags, created_at
    assert elsewhere.all_state(session.id) == here.all_state(session.id)
    assert [(p.name, p.function, p.token, p.joined_at, p.submitted_at) for p in elsewhere.participants(session.id)] == \
        [(p.name, p.function, p.token, p.joined_at, p.submitted_at) for p in here.participants(session.id)]
    strip = lambda rows: [{k: v for k, v in vars(r).items() if k not in ("id", "updated_at", "participant_id")} for r in rows]
    assert strip(elsewhere.answers(session.id)) == strip(here.answers(session.id))
    assert strip(elsewhere.decisions(session.id)) == strip(here.decisions(session.id))
    assert strip(elsewhere.actions(session.id)) == strip(here.actions(session.id))
    # Personal links and the facilitator link work on the new installation.
    token = here.participants(session.id)[0].token
    assert elsewhere.participant_by_token(token).name == here.participant_by_token(token).name
    assert elsewhere.facilitator_session(session.id, original.facilitator_key) is not None
    # A backup of the restored session restores the same content again.
    assert backup(elsewhere, session.id)["content"]["state"] == backup(here, session.id)["content"]["state"]


def test_backup_has_format_version_and_checksum(here):
    session = make_session(here)
    data = json.loads(backup_bytes(here, session.id))
    assert data["format"] == FORMAT and data["version"] == VERSION
    assert data["checksum"] == checksum(data["content"])
    content = data["content"]
    assert set(content) == {"session", "participants", "answers", "decisions", "actions", "state", "state_times",
                            "crossread"}
    assert "analysis" in content["state"] and "reset_brief" in content["state"]
    assert content["session"]["facilitator_key"] and all(p["token"] for p in content["participants"])


def test_refuses_to_overwrite_an_existing_session_unless_asked(here):
    session = make_session(here)
    data = backup_bytes(here, session.id)
    here.add_action(session.id, "Added after the backup")
    with pytest.raises(SessionExists, match=f"id {session.id}.*already exists"):
        restore(here, data)
    assert len(here.actions(session.id)) == 3  # untouched

    restored = restore(here, data, replace=True)
    assert [a.what for a in here.actions(restored.id)] == [
        "Write the RFP proof pack *now*", "Update the brief in the wiki"]
    assert len(here.list_sessions()) == 1


def test_refuses_a_foreign_file(here):
    for data in (b'{"hello": "world"}', b"[1, 2, 3]", json.dumps({"format": "other-app", "version": 1}).encode()):
        with pytest.raises(BackupError, match="not a Brief Reset"):
            restore(here, data)
    assert here.list_sessions() == []


def test_refuses_a_file_that_is_not_json(here):
    for data in (b"", b"participant,function\nAna,sales\n", b"\x89PNG\r\n\x1a\n\x00\x00"):
        with pytest.raises(BackupError, match="not valid JSON"):
            restore(here, data)


def test_refuses_a_cut_off_file(here, elsewhere):
    session = make_session(here)
    data = backup_bytes(here, session.id)
    with pytest.raises(BackupError, match="damaged"):
        restore(elsewhere, data[: len(data) // 2])
    assert elsewhere.list_sessions() == []


def test_refuses_an_edited_file(here, elsewhere):
    session = make_session(here)
    data = json.loads(backup_bytes(here, session.id))
    data["content"]["answers"][0]["text"] = "Something nobody said"
    with pytest.raises(BackupError, match="checksum does not match"):
        restore(elsewhere, json.dumps(data))
    assert elsewhere.list_sessions() == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda c: c.pop("answers"),
        lambda c: c["session"].pop("title"),
        lambda c: c["participants"][0].pop("token"),
        lambda c: c["answers"][0].update(participant=999),
        lambda c: c["decisions"][0].update(choice="ignore"),
        lambda c: c["actions"][0].update(done="yes"),
        lambda c: c["session"].update(prompts=[]),
        lambda c: c.update(state=[]),
    ],
)
def test_refuses_missing_or_wrong_fields_even_with_a_matching_checksum(here, elsewhere, damage):
    session = make_session(here)
    data = json.loads(backup_bytes(here, session.id))
    damage(data["content"])
    data["checksum"] = checksum(data["content"])
    with pytest.raises(BackupError, match="damaged"):
        restore(elsewhere, data)
    assert elsewhere.list_sessions() == []


def test_refuses_a_newer_format(here):
    session = make_session(here)
    data = json.loads(backup_bytes(here, session.id))
    data["version"] = VERSION + 1
    with pytest.raises(BackupError, match="newer Brief Reset"):
        load(data)


def test_refuses_personal_links_that_belong_to_another_session(here):
    session = make_session(here)
    data = json.loads(backup_bytes(here, session.id))
    data["content"]["session"]["id"] = "other123"
    data["checksum"] = checksum(data["content"])
    with pytest.raises(BackupError, match="personal link already belongs"):
        restore(here, data)
    assert [s.id for s in here.list_sessions()] == [session.id]


def test_a_failed_replace_puts_the_old_session_back(here, monkeypatch):
    session = make_session(here)
    data = backup_bytes(here, session.id)
    before = renders(here, session.id)
    real = here.set_state
    calls = {"n": 0}

    def failing_set_state(sid, key, value, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        real(sid, key, value, **kwargs)

    monkeypatch.setattr(here, "set_state", failing_set_state)
    with pytest.raises(BackupError, match="could not be restored: disk full"):
        restore(here, data, replace=True)
    monkeypatch.setattr(here, "set_state", real)
    assert renders(here, session.id) == before


def test_backup_of_a_missing_session(here):
    with pytest.raises(BackupError, match="no session"):
        backup(here, "nope")


def test_a_join_code_taken_on_the_other_installation_is_replaced_not_shared(here, elsewhere):
    session = make_session(here)
    data = backup_bytes(here, session.id)
    elsewhere.create_session("Already here", join_code=session.join_code)
    restored = restore(elsewhere, data)
    assert restored.join_code != session.join_code
    assert elsewhere.get_session_by_code(session.join_code).title == "Already here"
    assert renders(elsewhere, restored.id) == renders(here, session.id)


# -- timestamps, restoring over a session, restoring inside one -----------------


def _times(store, sid):
    return (
        sorted(a.updated_at for a in store.answers(sid)),
        sorted(d.updated_at for d in store.decisions(sid)),
        {k: t for k, (_, t) in store.all_state_with_times(sid).items()},
    )


def test_a_restore_keeps_when_answers_decisions_and_state_were_written(here, elsewhere, monkeypatch):
    session = make_session(here)
    old = "2026-11-20T10:00:00+00:00"
    for p in here.participants(session.id):
        for dim, text in here.own_answers(p.token).items():
            here.put_answer(p.id, dim, text, updated_at=old)
    for d in here.decisions(session.id):
        here.save_decision(session.id, d.dimension, d.theme, d.choice, d.note, d.side, updated_at=old)
    for key, value in here.all_state(session.id).items():
        here.set_state(session.id, key, value, updated_at=old)
    restore(elsewhere, backup_bytes(here, session.id))
    assert _times(elsewhere, session.id) == _times(here, session.id)
    assert {old} == set(_times(elsewhere, session.id)[0]) == set(_times(elsewhere, session.id)[2].values())


def test_replacing_names_what_is_lost_and_keeps_a_restorable_backup_of_it(here, elsewhere):
    from workshop.backup import kept_backups

    session = make_session(here)
    data = backup_bytes(here, session.id)
    # Meanwhile the session here moves on: a new participant answers, the key is the same.
    late = here.add_participant(session.id, "Late Comer", "sales")
    here.put_answer(late.id, "trigger", "only in the current session")
    with pytest.raises(SessionExists) as refused:
        restore(here, data)
    message = str(refused.value)
    people, answers = len(here.participants(session.id)), len(here.answers(session.id))
    assert f"{people} participants with {answers} answers" in message
    assert "The personal links of 1 participant will stop working" in message
    assert "backup of the session as it is now is kept" in message
    assert kept_backups(here, session.id) == []

    restore(here, data, replace=True)
    assert here.participant_by_token(late.token) is None  # replaced, as asked
    (kept,) = kept_backups(here, session.id)
    assert kept.stat().st_mode & 0o077 == 0
    # The kept backup undoes the replace.
    restore(here, kept.read_bytes(), replace=True)
    assert here.own_answers(late.token) == {"trigger": "only in the current session"}
    assert len(kept_backups(here, session.id)) == 2


def test_a_restore_inside_a_session_only_brings_back_that_session(here):
    from workshop.backup import OtherSession

    mine = make_session(here)
    other = here.create_session("Board offsite — confidential")
    data = backup_bytes(here, other.id)
    with pytest.raises(OtherSession) as refused:
        restore(here, data, replace=True, within=mine.id)
    assert "confidential" not in str(refused.value) and other.id not in str(refused.value)
    assert here.get_session(other.id).title == "Board offsite — confidential"
    # An edited copy naming another id with a recomputed checksum is refused the same way.
    forged = json.loads(backup_bytes(here, mine.id))
    forged["content"]["session"]["id"] = other.id
    forged["checksum"] = checksum(forged["content"])
    with pytest.raises(OtherSession):
        restore(here, json.dumps(forged), replace=True, within=mine.id)
    assert here.get_session(other.id).title == "Board offsite — confidential"
    # Its own backup restores over it from inside.
    restored = restore(here, backup_bytes(here, mine.id), replace=True, within=mine.id)
    assert restored.id == mine.id


def test_a_session_with_the_largest_accepted_deals_upload_backs_up_within_what_restore_accepts(here, elsewhere):
    """A deals CSV just under the 20 MB upload limit, every row different (the worst case)."""
    from tests.workshop.test_deals import big_file
    from workshop import deals
    from workshop.backup import MAX_BACKUP_BYTES

    data = big_file(300_000, unique=True)
    data = data[: data.rindex(b"\n", 0, deals.MAX_BYTES) + 1]  # whole rows, just under the limit
    assert deals.MAX_BYTES * 0.97 < len(data) <= deals.MAX_BYTES
    parsed = deals.parse_deals(data)
    session = here.create_session("Big deals")
    here.set_state(session.id, "deals", {**parsed.to_dict(), "file": "crm.csv"})
    saved = backup_bytes(here, session.id)
    assert len(saved) < MAX_BACKUP_BYTES
    restore(elsewhere, saved)
    back = deals.DealsFile.from_dict(elsewhere.get_state(session.id, "deals"))
    assert len(back.deals) == len(parsed.deals) and back.deals[-1] == parsed.deals[-1]
