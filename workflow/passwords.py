"""Password hashing with argon2id at OWASP's recommended minimum (``ARGON2_*``) and the password
policy every way of setting a password goes through (``password_problem``).

Why not argon2-cffi's defaults (RFC 9106's low-memory profile: 64 MiB, 3 passes, 4 lanes): one
verification took 223 ms of CPU here (362 ms on 2 cores) and 64 MiB, and sign-in is the
costliest step when the whole school submits on deadline day (``python -m bench concurrency``).
OWASP lists five argon2id settings of equal strength as its minimum; this one (46 MiB, 1 pass,
1 lane) takes 74 ms. Its cheaper sibling (19 MiB, 2 passes: 28 ms) was tried and left: glibc
serves allocations under 32 MiB from per-thread arenas and keeps them, and Streamlit verifies
in each session's own thread, so 32 sign-ins left the process 285 MiB larger (46 MiB blocks are
mapped and unmapped each time: +92 MiB at most, two verifications at once). Hashes made with
other parameters still verify (argon2 keeps them in the hash) and are made again with these at
the account's next sign-in (``AccountService.authenticate``).

The policy: at least ``MIN_PASSWORD_LENGTH`` characters, not only spaces or one repeated
character, not containing the login, and not a common password (``data/common-passwords.txt``,
also with a year or a few digits stuck on the end: ``password2026``). zxcvbn was considered:
its one Python port had one release in five years and knows English words, not the pinyin and
digit patterns Chinese users pick, so the list ships as data the school can extend.
"""

from __future__ import annotations

import functools
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from i18n import Lang, t

MIN_PASSWORD_LENGTH = 10
COMMON_PASSWORDS = Path(__file__).with_name("data") / "common-passwords.txt"
_TAIL = re.compile(r"[\d\W_]{1,6}$")  # digits and punctuation stuck on the end
# Letters and digits nobody misreads on paper or a projector: no 0/O/o, 1/l/I/i.
ARGON2_MEMORY_KIB = 46 * 1024  # OWASP Password Storage Cheat Sheet: m=46 MiB, t=1, p=1
ARGON2_PASSES = 1
ARGON2_LANES = 1
READABLE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"
_CLASSES = (str.isupper, str.islower, str.isdigit)


def default_hasher() -> PasswordHasher:
    """The production hasher; tests may pass a cheaper ``PasswordHasher`` to the services."""
    return PasswordHasher(
        time_cost=ARGON2_PASSES, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_LANES
    )


def verify(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    """True when ``password`` matches; a malformed or empty hash never matches."""
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def common_passwords() -> frozenset[str]:
    """The refused passwords of ``data/common-passwords.txt``, lower case."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip().lower() for s in lines if s.strip() and not s.startswith("#"))


def password_problem(password: str, login: str, lang: Lang = "zh") -> str | None:
    """Why ``password`` may not be used by ``login`` (a message naming the fix), else None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return t("workflow.user.password_short", lang, n=MIN_PASSWORD_LENGTH)
    folded = password.strip().lower()
    if len(set(folded)) <= 2:
        return t("workflow.user.password_repeated", lang)
    if login and len(login) >= 3 and login.strip().lower() in folded:
        return t("workflow.user.password_has_login", lang)
    common = common_passwords()
    if folded in common or _TAIL.sub("", folded) in common:
        return t("workflow.user.password_common", lang)
    return None


def policy(lang: Lang = "zh") -> str:
    """The password policy in words, for every screen that asks for a new password."""
    return t("workflow.field.password_help", lang, n=MIN_PASSWORD_LENGTH)


@dataclass(frozen=True)
class Strength:
    """How hard a password is to guess: ``level`` 0 (refused) to 3 (strong), its word, and
    why it is refused (``problem``, the policy's message) when it is."""

    level: int
    label: str
    problem: str | None = None


def strength(password: str, login: str, lang: Lang = "zh") -> Strength:
    """The strength a new-password field shows as the user types: refused by the policy
    (level 0), else 1–3 by length and the kinds of characters used."""
    problem = password_problem(password, login, lang)
    if problem:
        return Strength(0, t("workflow.password.strength.0", lang), problem)
    kinds = sum(any(test(c) for c in password) for test in _CLASSES)
    kinds += any(not c.isalnum() for c in password)
    if len(password) >= 20 or (len(password) >= 16 and kinds >= 3):
        level = 3
    elif len(password) >= 12 and kinds >= 3:
        level = 2
    else:
        level = 1
    return Strength(level, t(f"workflow.password.strength.{level}", lang))


def readable_password(groups: int = 3, size: int = 4) -> str:
    """A random password to hand on (demo and imported accounts): ``groups`` of ``size``
    characters from ``READABLE_ALPHABET`` joined by "-", e.g. ``Hk7m-x4Pq-9Trn``; always
    accepted by the policy (about 70 bits at the defaults)."""
    while True:
        password = "-".join(
            "".join(secrets.choice(READABLE_ALPHABET) for _ in range(size)) for _ in range(groups)
        )
        if password_problem(password, "") is None and all(
            any(test(c) for c in password) for test in _CLASSES
        ):
            return password
