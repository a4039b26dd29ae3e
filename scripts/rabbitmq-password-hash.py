#!/usr/bin/env python3
"""Print a RabbitMQ password hash for rabbitmq/definitions.json.

Algorithm rabbit_password_hashing_sha256 (the RabbitMQ default):
    base64( salt + sha256(salt + utf8(password)) ), salt = 4 random bytes.
Use with "hashing_algorithm": "rabbit_password_hashing_sha256" in the user entry.

Usage: scripts/rabbitmq-password-hash.py PASSWORD
       scripts/rabbitmq-password-hash.py --check PASSWORD HASH
"""
import base64
import hashlib
import os
import sys


def make_hash(password: str) -> str:
    salt = os.urandom(4)
    digest = hashlib.sha256(salt + password.encode("utf-8")).digest()
    return base64.b64encode(salt + digest).decode("ascii")


def check_hash(password: str, encoded: str) -> bool:
    raw = base64.b64decode(encoded)
    salt, digest = raw[:4], raw[4:]
    return len(raw) == 36 and hashlib.sha256(salt + password.encode("utf-8")).digest() == digest


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--check":
        ok = check_hash(sys.argv[2], sys.argv[3])
        print("match" if ok else "NO MATCH")
        sys.exit(0 if ok else 1)
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    print(make_hash(sys.argv[1]))
