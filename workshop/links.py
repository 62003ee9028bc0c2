"""The URLs people are given: join, personal, facilitator and admin links.

Built from one base URL, the address participants' devices can reach:
BRIEF_RESET_BASE_URL when it is set (e.g. a name on the company network),
else this machine's address on the local network, found the way Streamlit
finds its "Network URL", so phones on the meeting-room Wi-Fi can join with no
setting at all. No Streamlit, no store.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlencode, urlsplit

from workshop import settings

DEFAULT_PORT = settings.DEFAULT_PORT
DEFAULT_BASE_URL = f"http://localhost:{DEFAULT_PORT}"


def configured_base_url(environ=None) -> str | None:
    """BRIEF_RESET_BASE_URL without a trailing slash, or None if unset."""
    value = (settings.base_url_override(environ) or "").strip()
    return value.rstrip("/") or None


def lan_address(probe=None) -> str | None:
    """This machine's IPv4 address on the local network, or None when it has none.

    Connecting a UDP socket sends nothing; it only makes the system pick the
    interface it would route out of, whose address other devices on that
    network can reach (Streamlit's net_util.get_internal_ip does the same).
    `probe` stands in for the socket in tests.
    """
    try:
        with (probe or socket.socket(socket.AF_INET, socket.SOCK_DGRAM)) as s:
            s.connect(("8.8.8.8", 1))
            address = s.getsockname()[0]
    except OSError:
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    return None if ip.is_loopback or ip.is_unspecified or ip.is_link_local else address


def network_base_url(port: int | str | None = None, path: str = "", address: str | None = None) -> str | None:
    """http://<LAN address>:<port>[/path], or None without a LAN address."""
    address = address or lan_address()
    if not address:
        return None
    path = path.strip("/")
    return f"http://{address}:{port or DEFAULT_PORT}" + (f"/{path}" if path else "")


def base_url(environ=None, port: int | str | None = None, lan: str | None = None) -> str:
    """The address for links: the setting, else this machine's LAN address, else localhost.

    lan: the LAN address to use ("" for none); looked up when not given.
    """
    configured = configured_base_url(environ)
    if configured:
        return configured
    port = port or DEFAULT_PORT
    network = network_base_url(port, address=lan) if lan != "" else None
    return network or f"http://localhost:{port}"


def _url(base: str | None, **params: str) -> str:
    return f"{(base or base_url()).rstrip('/')}/?{urlencode(params)}"


def join_url(code: str, base: str | None = None) -> str:
    return _url(base, code=code)


def personal_url(token: str, base: str | None = None) -> str:
    return _url(base, p=token)


def facilitator_url(session_id: str, key: str, base: str | None = None) -> str:
    return _url(base, session=session_id, key=key)


def admin_url(key: str, base: str | None = None) -> str:
    return _url(base, admin=key)


def is_local(base: str) -> bool:
    """True when other devices cannot open `base` (it points at this machine)."""
    host = (urlsplit(base).hostname or "").lower()
    return host in ("localhost", "127.0.0.1", "::1", "0.0.0.0") or host.endswith(".localhost")


def reach_note(base: str, configured: bool = False) -> str:
    """One line for the lobby: which address phones must reach, and what to do when they cannot."""
    host = urlsplit(base).hostname or base
    if is_local(base):
        return ("Phones cannot open localhost, and this computer has no network address: connect it to "
                "the room's Wi-Fi and reload, or start the app with BRIEF_RESET_BASE_URL set to an "
                "address phones can reach.")
    if configured:
        return f"Phones open {host}, the address set in BRIEF_RESET_BASE_URL."
    return (f"Phones must reach this computer at {host}: the same Wi-Fi as this computer. "
            "Another address? Start the app with BRIEF_RESET_BASE_URL set.")
