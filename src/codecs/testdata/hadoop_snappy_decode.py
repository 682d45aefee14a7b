#!/usr/bin/python3
"""Strict reader for Hadoop SnappyCodec (BlockCompressorStream) framing, used by codecs_test.

Reads the framed file named by argv[1] and writes the decoded bytes to stdout. Layout, repeated
until end of file: a 4-byte big-endian uncompressed block length, then compressed chunks (each a
4-byte big-endian length and raw Snappy data) whose decoded sizes add up to exactly that length.
It also enforces what Hadoop's default reader needs: no block or chunk over 256 KiB. Any
violation exits non-zero with a message on stderr.
"""
import struct
import sys

import snappy

HADOOP_BUFFER_SIZE = 256 * 1024


def fail(message):
    sys.stderr.write("hadoop_snappy_decode: " + message + "\n")
    sys.exit(1)


def read_u32(data, at, what):
    if at + 4 > len(data):
        fail("truncated %s at offset %d" % (what, at))
    return struct.unpack(">I", data[at:at + 4])[0], at + 4


def decode(data):
    out = []
    at = 0
    while at < len(data):
        block_size, at = read_u32(data, at, "block length")
        if block_size > HADOOP_BUFFER_SIZE:
            fail("block of %d bytes exceeds Hadoop's buffer" % block_size)
        decoded = 0
        while decoded < block_size:
            chunk_size, at = read_u32(data, at, "chunk length")
            if chunk_size > HADOOP_BUFFER_SIZE:
                fail("chunk of %d bytes exceeds Hadoop's buffer" % chunk_size)
            if at + chunk_size > len(data):
                fail("truncated chunk at offset %d" % at)
            piece = snappy.uncompress(data[at:at + chunk_size])
            at += chunk_size
            decoded += len(piece)
            out.append(piece)
        if decoded != block_size:
            fail("block declared %d bytes but its chunks hold %d" % (block_size, decoded))
    return b"".join(out)


def main():
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    sys.stdout.buffer.write(decode(data))


if __name__ == "__main__":
    main()
