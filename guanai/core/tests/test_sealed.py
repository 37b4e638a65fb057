"""The sealed stream under backups: what goes in comes out; a wrong key, a changed, moved, cut
or added byte is refused."""

import io
import os

import pytest

from guanai.core import sealed

KEY = "a passphrase long enough"


def _seal(data: bytes, key: str = KEY) -> bytes:
    out = io.BytesIO()
    with sealed.Writer(out, key) as writer:
        for start in range(0, len(data), 100_000):  # written in pieces, as gzip writes
            writer.write(data[start : start + 100_000])
    return out.getvalue()


def _open(blob: bytes, key: str = KEY) -> bytes:
    with sealed.Reader(io.BytesIO(blob), key) as reader:
        return reader.read()


DATA = os.urandom(sealed.CHUNK * 2 + 12345)  # three chunks, the last one short


@pytest.mark.parametrize("size", [0, 1, sealed.CHUNK, len(DATA)])
def test_it_returns_what_was_sealed(size):
    assert _open(_seal(DATA[:size])) == DATA[:size]


def test_the_same_data_seals_differently_each_time():
    assert _seal(DATA[:1000]) != _seal(DATA[:1000])


def test_a_wrong_key_is_told_before_anything_is_decrypted():
    blob = _seal(DATA)
    with pytest.raises(sealed.WrongKey, match="备份密钥不对"):
        sealed.key_check(io.BytesIO(blob), "another passphrase, also long")
    with pytest.raises(sealed.WrongKey):
        _open(blob, "another passphrase, also long")


def _records(blob: bytes) -> tuple[bytes, list[bytes]]:
    at = sealed.HEADER.size + sealed.CHECK_BYTES
    head, records = blob[:at], []
    while at < len(blob):
        _, length = sealed.RECORD.unpack(blob[at : at + sealed.RECORD.size])
        end = at + sealed.RECORD.size + length
        records.append(blob[at:end])
        at = end
    return head, records


def _flipped(blob: bytes, at: int) -> bytes:
    changed = bytearray(blob)
    changed[at] ^= 0x80
    return bytes(changed)


def test_every_kind_of_damage_is_refused():
    blob = _seal(DATA)
    head, records = _records(blob)
    assert len(records) == 3
    damaged = {
        "a byte of the first chunk": _flipped(blob, len(head) + 40),
        "a byte of the last tag": _flipped(blob, len(blob) - 1),
        "the last-chunk flag": _flipped(blob, len(head)),
        "cut after a chunk": head + records[0] + records[1],
        "cut inside a chunk": blob[:-10],
        "chunks swapped": head + records[1] + records[0] + records[2],
        "a chunk dropped": head + records[0] + records[2],
        "bytes added": blob + b"\x00",
    }
    for what, bad in damaged.items():
        with pytest.raises(sealed.Tampered, match="已损坏或被改动过"):
            _open(bad)
            pytest.fail(what)
    # The header's salt or nonce changed: the key check cannot tell it from another key.
    with pytest.raises(sealed.WrongKey, match="文件头已损坏"):
        _open(_flipped(blob, len(sealed.MAGIC) + 2))


def test_not_an_archive_says_so():
    with pytest.raises(sealed.DomainError, match="不是 guanai 备份文件"):
        _open(b"PK\x03\x04" + bytes(200))
