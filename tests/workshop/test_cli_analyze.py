"""`python -m workshop analyze`: exit codes and the JSON contract."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workshop.cli import main

REPO = Path(__file__).resolve().parents[2]
CSV = (
    "participant,function,dimension,answer\r\n"
    'ana,sales,trigger,"new CFO wants one system\nauditor flagged them twice"\r\n'
    "ben,sales,trigger,audit findings again\r\n"
    "dee,marketing,trigger,regulatory pressure after audit findings\r\n"
    "eve,marketing,trigger,a new finance leader wants one platform\r\n"
    "ana,sales,fears,a failed rollout lands on their desk\r\n"
)


@pytest.fixture
def responses(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_text(CSV, encoding="utf-8", newline="")
    return path


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_missing_file_exits_2_with_one_line(tmp_path, capsys):
    code, out, err = run(["analyze", str(tmp_path / "nope.csv")], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "no such file" in err


def test_bad_csv_exits_2_naming_the_line(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("participant,function,dimension,answer\nana,sales,nonsense,hello\n", encoding="utf-8")
    code, _, err = run(["analyze", str(bad)], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Line 2" in err


def test_unreadable_brief_exits_2(responses, tmp_path, capsys):
    code, _, err = run(["analyze", str(responses), "--brief", str(tmp_path / "missing.md")], capsys)
    assert code == 2 and "missing.md" in err
    latin = tmp_path / "latin.md"
    latin.write_bytes("caf\xe9 brief".encode("latin-1"))
    code, _, err = run(["analyze", str(responses), "--brief", str(latin)], capsys)
    assert code == 2 and "UTF-8" in err


def test_missing_model_exits_nonzero_with_one_line(responses, monkeypatch, capsys):
    from embeddings.encoder import Encoder
    from workshop import embedding_model

    monkeypatch.setattr(embedding_model, "_shared", Encoder("/no/such/model"))
    code, out, err = run(["analyze", str(responses)], capsys)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "could not be loaded" in err


@pytest.mark.model
def test_json_contract_in_a_real_process(responses, tmp_path):
    brief = tmp_path / "brief.md"
    brief.write_text("## Triggers\n- Audit findings raise regulatory pressure.\n", encoding="utf-8")
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    done = subprocess.run([sys.executable, "-m", "workshop", "analyze", str(responses), "--brief", str(brief),
                           "--json"], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [d["key"] for d in data["dimensions"]] == ["trigger", "compare", "fears", "objections", "evidence"]
    for d in data["dimensions"]:
        assert d["verdict"] in ("divergent", "aligned", "insufficient")
        assert 0.0 <= d["alignment"] <= 1.0 and isinstance(d["why"], str) and d["why"]
        for theme in d["themes"]:
            assert set(theme) >= {"label", "side", "participants", "statements", "in_brief"}
            assert theme["in_brief"] in (True, False)
            for s in theme["statements"]:
                assert set(s) == {"participant", "function", "text"}
    assert data["dimensions"][2]["verdict"] == "insufficient"
    text = subprocess.run([sys.executable, "-m", "workshop", "analyze", str(responses)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert text.returncode == 0 and text.stdout.startswith("trigger: ")


def test_a_brief_over_the_limit_exits_2_before_any_analysis(responses, tmp_path, capsys):
    big = tmp_path / "brief.md"
    big.write_text("x" * 20_001, encoding="utf-8")
    code, out, err = run(["analyze", str(responses), "--brief", str(big)], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "20,001 characters; the limit is 20,000" in err


def test_escape_sequences_from_a_file_never_reach_the_terminal(tmp_path, monkeypatch, capsys):
    from embeddings import divergence
    from embeddings.report import DimensionResult, Report

    hostile = tmp_path / "hostile.csv"
    hostile.write_text(CSV.replace("audit findings again", "\x1b]0;owned\x07\x1b[2Jaudit findings again"),
                       encoding="utf-8", newline="")
    brief = tmp_path / "brief.md"
    brief.write_text("The buyer\x1b[31m is the CFO", encoding="utf-8")
    seen = {}

    def fake_analyze(answers, brief=None, dimensions=None, prompts=None, encoder=None):
        seen["texts"] = [a.text for a in answers] + [brief]
        return Report([DimensionResult("trigger", "aligned", 0.9, "why \x1b[5m blink")])

    monkeypatch.setattr(divergence, "analyze", fake_analyze)
    code, out, _ = run(["analyze", str(hostile), "--brief", str(brief)], capsys)
    assert code == 0
    assert not any("\x1b" in t or "\x07" in t for t in seen["texts"])
    assert "\x1b" not in out and "why [5m blink" in out
