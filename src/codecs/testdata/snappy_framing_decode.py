#!/usr/bin/python3
"""Reads a Snappy framing-format file (argv[1]) with python3-snappy and writes the decoded bytes
to stdout, used by codecs_test. python3-snappy's StreamDecompressor checks the stream identifier,
each chunk's masked CRC-32C and, in flush(), that no chunk is truncated; any error exits non-zero.

Debian 12's python3-snappy 0.5.3 ships a native _crc32c that raises SystemError on Python 3.11
(PY_SSIZE_T_CLEAN), which breaks every CRC check. When that is the case, a table-driven CRC-32C
(Castagnoli, reflected polynomial 0x82F63B78) is swapped in so the checks still run.
"""
import sys

import snappy
import snappy.snappy as snappy_impl

CASTAGNOLI_REFLECTED = 0x82F63B78


def make_table():
    table = []
    for value in range(256):
        for _ in range(8):
            value = (value >> 1) ^ (CASTAGNOLI_REFLECTED if value & 1 else 0)
        table.append(value)
    return table


TABLE = make_table()


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc = TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def native_crc32c_works():
    try:
        return snappy_impl._crc32c(b"123456789") == 0xE3069283
    except SystemError:
        return False


def main():
    assert crc32c(b"123456789") == 0xE3069283  # the CRC-32C check value
    if not native_crc32c_works():
        snappy_impl._crc32c = crc32c
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    decompressor = snappy.StreamDecompressor()
    out = decompressor.decompress(data)
    decompressor.flush()
    sys.stdout.buffer.write(out)


if __name__ == "__main__":
    main()
