from urllib.parse import parse_qs, urlsplit

import pytest

from workshop import links


def query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


class FakeSocket:
    """Stands in for the UDP socket lan_address connects (nothing is sent either way)."""

    def __init__(self, address=None, fail=False):
        self.address, self.fail, self.connected = address, fail, None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def connect(self, target):
        if self.fail:
            raise OSError("Network is unreachable")
        self.connected = target

    def getsockname(self):
        return (self.address, 40000)


def test_without_a_setting_links_use_this_machines_network_address():
    # Issue 15 item 6: links and the QR code said localhost unless BRIEF_RESET_BASE_URL was set.
    assert links.base_url({}, lan="192.168.1.20") == "http://192.168.1.20:8501"
    assert links.base_url({}, port=8610, lan="10.0.0.7") == "http://10.0.0.7:8610"
    assert links.base_url({"BRIEF_RESET_BASE_URL": "http://reset.lan:80"}, lan="10.0.0.7") == "http://reset.lan:80"


def test_localhost_only_when_there_is_no_network():
    assert links.base_url({}, lan="") == "http://localhost:8501"


def test_lan_address_is_the_outgoing_interface_like_streamlits_network_url():
    probe = FakeSocket("192.168.1.20")
    assert links.lan_address(probe) == "192.168.1.20"
    assert probe.connected == ("8.8.8.8", 1)
    assert links.lan_address(FakeSocket(fail=True)) is None  # offline: no route at all
    assert links.lan_address(FakeSocket("127.0.0.1")) is None
    assert links.lan_address(FakeSocket("0.0.0.0")) is None
    assert links.lan_address(FakeSocket("169.254.3.4")) is None  # link-local: no DHCP, phones cannot reach it


def test_the_lobby_says_which_address_phones_must_reach():
    assert "192.168.1.20" in links.reach_note("http://192.168.1.20:8501")
    assert "same Wi-Fi" in links.reach_note("http://192.168.1.20:8501")
    assert "BRIEF_RESET_BASE_URL" in links.reach_note("http://reset.lan", configured=True)
    assert "cannot open localhost" in links.reach_note("http://localhost:8501")


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
