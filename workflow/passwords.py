"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile) and the
password policy every way of setting a password goes through (``password_problem``).

The policy: at least ``MIN_PASSWORD_LENGTH`` characters, not only spaces or one repeated
character, not containing the login, and not a common password (``data/common-passwords.txt``,
also with a year or a few digits stuck on the end: ``password2026``). zxcvbn was considered:
its one Python port had one release in five years and knows English words, not the pinyin and
digit patterns Chinese users pick, so the list ships as data the school can extend.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from i18n import Lang, t

MIN_PASSWORD_LENGTH = 10
COMMON_PASSWORDS = Path(__file__).with_name("data") / "common-passwords.txt"
_TAIL = re.compile(r"[\d\W_]{1,6}$")  # digits and punctuation stuck on the end


def default_hasher() -> PasswordHasher:
    """The production hasher; tests may pass a cheaper ``PasswordHasher`` to the services."""
    return PasswordHasher()


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
