from urllib.parse import parse_qs, urlsplit

import pytest

from workshop import links


def query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_default_base_is_localhost_8501():
    assert links.base_url({}) == "http://localhost:8501"


def test_env_sets_base_and_trailing_slash_is_dropped():
    env = {"BRIEF_RESET_BASE_URL": " http://192.168.1.20:8501/ "}
    assert links.base_url(env) == "http://192.168.1.20:8501"
    assert links.configured_base_url({"BRIEF_RESET_BASE_URL": ""}) is None


def test_each_link_carries_its_role_in_the_query():
    base = "https://reset.example.com/app"
    assert links.join_url("ACD379", base) == "https://reset.example.com/app/?code=ACD379"
    assert query(links.personal_url("tok-en_1", base)) == {"p": "tok-en_1"}
    assert query(links.facilitator_url("ab12cd34", "k/y+=", base)) == {
        "session": "ab12cd34",
        "key": "k/y+=",
    }
    assert query(links.admin_url("adm", base + "/")) == {"admin": "adm"}


def test_links_use_the_environment_when_no_base_is_given(monkeypatch):
    monkeypatch.setenv("BRIEF_RESET_BASE_URL", "http://10.0.0.5:8600")
    assert links.join_url("XYZ") == "http://10.0.0.5:8600/?code=XYZ"


@pytest.mark.parametrize(
    "base, local",
    [
        ("http://localhost:8501", True),
        ("http://127.0.0.1:8501", True),
        ("http://192.168.1.20:8501", False),
        ("https://reset.example.com", False),
    ],
)
def test_is_local_spots_addresses_phones_cannot_reach(base, local):
    assert links.is_local(base) is local
