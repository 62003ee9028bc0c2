"""Join codes, session ids and secret keys.

Join codes are read off a projector and typed on a phone, so they avoid
characters people confuse (0/O, 1/I/L, 2/Z, 5/S, 8/B) and ignore case,
spaces and dashes when typed. Keys and tokens come from `secrets`: they are
the only thing standing between a curious participant and the facilitator
pages or someone else's answers.
"""

import secrets

JOIN_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
JOIN_CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What a person typed, as a stored join code would be spelled."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def new_session_id() -> str:
    return secrets.token_hex(4)


def new_key() -> str:
    """An unguessable key or personal token (128 bits), safe in a URL."""
    return secrets.token_urlsafe(16)
