# SPDX-License-Identifier: BSD-3-Clause
"""LZFSE codec, checked against pyliblzfse (a separate binding)."""

import struct

import numpy
import pytest

from imagecodecs import (
    LZFSE, LzfseError, lzfse_check, lzfse_decode, lzfse_encode,
    lzfse_version,
)
from harness import (
    FLOAT_DTYPES, INT_DTYPES, PAYLOADS, check_compressor, check_corrupt,
    check_numcodecs,
    check_out, random_array, require,
)


@pytest.fixture(autouse=True)
def available():
    require('lzfse')


# The reference package's stream of b'abc' * 1500: one 'bvx2' block with
# packed frequency tables, then 'bvx$'.
ABC = b'abc' * 1500
ABC_V2 = bytes.fromhex(
    '62767832941100000800200000030020c000063c500c0070880000002490b00de770'
    'cd350000005c03000000c04ff03e7c0f7c0f00000000000000000000000000000000'
    '00000000000000000000000000000000000000000000003c3a8fd6a3050000000000'
    '00000000000000000000000000000000000000000000000000000000000000000000'
    '00000000000000000000a8e3faff62767824'
)
END = b'bvx$'


def test_compressor():
    check_compressor(lzfse_encode, lzfse_decode, LzfseError, partial=True)


def test_pyliblzfse_interop():
    liblzfse = pytest.importorskip('liblzfse')

    def decompress(data):
        # pyliblzfse cannot tell an empty result from an error
        return b'' if data == lzfse_encode(b'') else liblzfse.decompress(data)

    check_compressor(lzfse_encode, lzfse_decode, LzfseError,
                     compress=liblzfse.compress, decompress=decompress,
                     partial=True)


def test_block_kinds():
    assert lzfse_decode(ABC_V2) == ABC
    check_out(lzfse_decode, ABC_V2, ABC, LzfseError, partial=True)
    # small inputs: raw and LZVN blocks
    assert lzfse_encode(b'') == b'bvx-\x00\x00\x00\x00' + END
    assert lzfse_encode(b'x') == b'bvx-\x01\x00\x00\x00x' + END
    assert lzfse_decode(END) == b''
    assert lzfse_decode(b'') == b''
    lzvn = lzfse_encode(bytes(1000))
    assert lzvn[:4] == b'bvxn' and lzfse_decode(lzvn) == bytes(1000)
    # concatenated blocks of each kind in one stream
    joined = ABC_V2[:-4] + lzvn[:-4] + b'bvx-\x02\x00\x00\x00ok' + END
    assert lzfse_decode(joined) == ABC + bytes(1000) + b'ok'


_NBITS = [2, 3, 2, 5, 2, 3, 2, 8, 2, 3, 2, 5, 2, 3, 2, 14] * 2
_VALUE = [0, 2, 1, 4, 0, 3, 1, -1, 0, 2, 1, 5, 0, 3, 1, -1,
          0, 2, 1, 6, 0, 3, 1, -1, 0, 2, 1, 7, 0, 3, 1, -1]


def as_v1(stream):
    """Return a 'bvx2' block rewritten as 'bvx1' (unpacked tables)."""
    raw, v0, v1, v2 = struct.unpack_from('<4xIQQQ', stream)
    head = v2 & 0xFFFFFFFF
    bits = int.from_bytes(stream[32:head], 'little')
    freqs, pos = [], 0
    for _ in range(20 + 20 + 64 + 256):  # L, M, D and literal symbols
        code = (bits >> pos) & 31
        nbits = _NBITS[code]
        if nbits == 8:
            freqs.append(8 + ((bits >> (pos + 4)) & 0xF))
        elif nbits == 14:
            freqs.append(24 + ((bits >> (pos + 4)) & 0x3FF))
        else:
            freqs.append(_VALUE[code])
        pos += nbits

    def field(value, offset, nbits):
        return (value >> offset) & ((1 << nbits) - 1)

    literal_payload, lmd_payload = field(v0, 20, 20), field(v1, 40, 20)
    header = struct.pack(
        '<4s6Ii4HiHHH360H2x', b'bvx1', raw, literal_payload + lmd_payload,
        field(v0, 0, 20), field(v0, 40, 20), literal_payload, lmd_payload,
        field(v0, 60, 3) - 7, *(field(v1, 10 * i, 10) for i in range(4)),
        field(v1, 60, 3) - 7, field(v2, 32, 10), field(v2, 42, 10),
        field(v2, 52, 10), *freqs,
    )
    return header + stream[head:]


def test_v1_block_grows_output():
    # the header walk does not size 'bvx1': the output grows
    v1 = as_v1(ABC_V2)
    assert v1[:4] == b'bvx1' and len(ABC) > 4 * len(v1)
    assert lzfse_decode(v1) == ABC
    assert lzfse_decode(v1, out=bytearray) == ABC
    assert lzfse_decode(v1, out=len(ABC)) == ABC
    with pytest.raises(LzfseError):
        lzfse_decode(v1, out=len(ABC) - 1)
    with pytest.raises(LzfseError):
        lzfse_decode(v1[:-5])


@pytest.mark.parametrize('dtype', INT_DTYPES + FLOAT_DTYPES)
def test_dtypes(dtype):
    data = random_array((7, 33), dtype, low=0, high=20)
    assert lzfse_decode(lzfse_encode(data)) == data.tobytes()


def test_check_and_version():
    assert LZFSE.available
    assert lzfse_check(ABC_V2) and lzfse_check(END)
    assert lzfse_check(lzfse_encode(PAYLOADS['random']))
    assert not lzfse_check(b'bvx') and not lzfse_check(b'bvxz1234')
    assert not lzfse_check(b'')
    assert lzfse_version().startswith('lzfse 1.')


def test_claimed_sizes():
    # raw block claiming 4 GiB that is not there
    with pytest.raises(LzfseError, match='corrupt'):
        lzfse_decode(b'bvx-\xff\xff\xff\xff' + END)
    # LZVN block claiming more than its payload can hold
    with pytest.raises(LzfseError, match='corrupt'):
        lzfse_decode(b'bvxn\x00\x00\x00\x40\x01\x00\x00\x00\x06' + END)
    # a bare 'bvx2' header claiming the largest block, 23.6 MB from 36 B
    n_literals, n_matches = 40000, 10000
    claim = n_literals + n_matches * 2359
    header = b'bvx2' + struct.pack('<IQQQ', claim,
                                   n_literals | n_matches << 40, 0, 32)
    with pytest.raises(LzfseError, match='claim'):
        lzfse_decode(header + END)
    # header sizes that do not add up
    with pytest.raises(LzfseError, match='corrupt'):
        lzfse_decode(ABC_V2[:4] + b'\x95' + ABC_V2[5:])
    with pytest.raises(LzfseError, match='corrupt'):
        lzfse_decode(b'bvxq' + bytes(8) + END)
    check_corrupt(lzfse_decode, ABC_V2, LzfseError,
                  truncations=range(1, len(ABC_V2)))


def test_numcodecs_class():
    check_numcodecs('Lzfse', {}, lzfse_encode)


@pytest.mark.slow
def test_large():
    data = numpy.random.default_rng(3).integers(0, 4, 64 << 20, 'u1')
    assert lzfse_decode(lzfse_encode(data)) == data.tobytes()
