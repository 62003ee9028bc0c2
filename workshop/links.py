"""The URLs people are given: join, personal, facilitator and admin links.

Built from one base URL, the address participants' devices can reach
(BRIEF_RESET_BASE_URL, e.g. http://192.168.1.20:8501 on a meeting-room
network). Pure functions: no Streamlit, no store.
"""

from __future__ import annotations

import os
from urllib.parse import urlencode, urlsplit

DEFAULT_BASE_URL = "http://localhost:8501"
BASE_URL_ENV = "BRIEF_RESET_BASE_URL"


def configured_base_url(environ=None) -> str | None:
    """BRIEF_RESET_BASE_URL without a trailing slash, or None if unset."""
    value = ((environ if environ is not None else os.environ).get(BASE_URL_ENV) or "").strip()
    return value.rstrip("/") or None


def base_url(environ=None) -> str:
    return configured_base_url(environ) or DEFAULT_BASE_URL


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
