"""Password hashes for accounts (argon2id through argon2-cffi); the clear password is never stored."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ledger.errors import RuleViolated

_HASHER = PasswordHasher()
MIN_LENGTH = 10


def check_strength(name: str, password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise RuleViolated("password-short", name, f"a password has at least {MIN_LENGTH} characters")
    if password.casefold() == name.casefold():
        raise RuleViolated("password-is-name", name, "the password may not be the account's name")


def hash_password(name: str, password: str) -> str:
    check_strength(name, password)
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
