"""A stream sealed with AES-256-GCM in chunks, for backup archives of any size.

Layout: a header (magic, version, scrypt salt, nonce prefix, key check), then records of
flag (1 byte: 1 for the last), length (4 bytes) and one chunk's ciphertext with its tag. Each
chunk's nonce is the prefix, its number and the flag, and the header is its associated data:
a changed byte, a chunk moved, dropped or cut off, or a header altered fails authentication, and
the stream must end with the flagged last chunk. The key comes from a passphrase through scrypt;
the key check (an HMAC of the header under a key derived beside the encryption key) tells a wrong
passphrase from a damaged archive before anything is decrypted.
"""

import hashlib
import hmac
import io
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.utils.translation import gettext_lazy as _

from guanai.core.errors import DomainError

MAGIC = b"GUANAI-BACKUP\n"
VERSION = 1
CHUNK = 1024 * 1024
SALT_BYTES, PREFIX_BYTES, CHECK_BYTES = 16, 7, 32
HEADER = struct.Struct(f">{len(MAGIC)}sB{SALT_BYTES}s{PREFIX_BYTES}s")
RECORD = struct.Struct(">BI")
TAG_BYTES = 16
MIN_KEY_LENGTH = 16


class WrongKey(DomainError):
    def __init__(self):
        super().__init__(
            "备份密钥不对:这份备份不是用 GUANAI_BACKUP_KEY 中的密钥加密的(或备份文件头已损坏),未恢复"
        )


class Tampered(DomainError):
    def __init__(self):
        super().__init__("备份文件已损坏或被改动过(校验未通过),未恢复任何数据")


def passphrase_check(passphrase: str) -> None:
    if len(passphrase) < MIN_KEY_LENGTH:
        raise DomainError(
            _("备份密钥太短:至少 %(min_key_length)s 个字符"), min_key_length=MIN_KEY_LENGTH
        )


def _keys(passphrase: str, salt: bytes) -> tuple[bytes, bytes]:
    passphrase_check(passphrase)
    master = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())

    def derived(purpose: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)

    return derived(b"guanai backup encryption"), derived(b"guanai backup key check")


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", number, last)


class Writer(io.RawIOBase):
    """A write-only stream that seals what is written into ``raw``; close() seals the end."""

    def __init__(self, raw, passphrase: str):
        salt, prefix = os.urandom(SALT_BYTES), os.urandom(PREFIX_BYTES)
        self.header = HEADER.pack(MAGIC, VERSION, salt, prefix)
        key, check_key = _keys(passphrase, salt)
        check = hmac.new(check_key, self.header, hashlib.sha256).digest()
        self.raw, self.aead, self.prefix = raw, AESGCM(key), prefix
        self.buffer = bytearray()
        self.number = 0
        raw.write(self.header + check)

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:  # keep one back: the last chunk is sealed as such
            self._seal(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        if self.number >= 2**32:
            raise DomainError(_("备份太大:超过加密分块数的上限"))
        nonce = _nonce(self.prefix, self.number, last)
        sealed = self.aead.encrypt(nonce, chunk, self.header)
        self.raw.write(RECORD.pack(last, len(sealed)) + sealed)
        self.number += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self.buffer), last=True)
            self.buffer.clear()
        super().close()


def _header(raw, passphrase: str) -> tuple[bytes, bytes, bytes]:
    """Read and check the header: (header, encryption key, nonce prefix)."""
    header = raw.read(HEADER.size)
    check = raw.read(CHECK_BYTES)
    if len(header) < HEADER.size or len(check) < CHECK_BYTES:
        raise Tampered()
    magic, version, salt, prefix = HEADER.unpack(header)
    if magic != MAGIC:
        raise DomainError(_("这不是 guanai 备份文件"))
    if version != VERSION:
        raise DomainError(_("不认识的备份文件版本:%(version)s"), version=version)
    key, check_key = _keys(passphrase, salt)
    if not hmac.compare_digest(hmac.new(check_key, header, hashlib.sha256).digest(), check):
        raise WrongKey()
    return header, key, prefix


def key_check(raw, passphrase: str) -> None:
    """WrongKey unless the archive was sealed with this passphrase (reads only the header)."""
    _header(raw, passphrase)


class Reader(io.RawIOBase):
    """A read-only stream of what ``raw`` holds sealed; Tampered at the first bad chunk."""

    def __init__(self, raw, passphrase: str):
        self.raw = raw
        self.header, key, self.prefix = _header(raw, passphrase)
        self.aead = AESGCM(key)
        self.number = 0
        self.pending = b""
        self.offset = 0  # into pending: read out in small pieces, never copied down
        self.ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self.offset == len(self.pending) and not self.ended:
            self._open_next()
        size = min(len(buffer), len(self.pending) - self.offset)
        buffer[:size] = memoryview(self.pending)[self.offset : self.offset + size]
        self.offset += size
        return size

    def _open_next(self) -> None:
        record = self.raw.read(RECORD.size)
        if len(record) < RECORD.size:
            raise Tampered()  # cut off before the last chunk
        last, length = RECORD.unpack(record)
        sealed = self.raw.read(length)
        if last not in (0, 1) or length > CHUNK + TAG_BYTES or len(sealed) < length:
            raise Tampered()
        try:
            self.pending = self.aead.decrypt(
                _nonce(self.prefix, self.number, bool(last)), sealed, self.header
            )
        except InvalidTag:
            raise Tampered() from None
        self.offset = 0
        self.number += 1
        if last:
            if self.raw.read(1):
                raise Tampered()  # something after the last chunk
            self.ended = True
