# SPDX-License-Identifier: BSD-3-Clause
"""PGLZ codec (PostgreSQL's pg_lzcompress)."""

import hashlib

import numpy
import pytest

from imagecodecs import (
    PGLZ, PglzError, pglz_check, pglz_decode, pglz_encode, pglz_version,
)
from harness import (
    INT_DTYPES, SHAPES, check_corrupt, check_inputs, check_out,
    check_roundtrip, random_array, require,
)

pytestmark = pytest.mark.usefixtures('available')

INT32_MAX = 2**31 - 1


@pytest.fixture
def available():
    require('pglz')


def pseudo(n, seed=0):
    """Return deterministic pseudo-random bytes."""
    return hashlib.shake_256(b'pglz%d' % seed).digest(n)


def lowentropy(n, k, base=0, seed=1):
    data = numpy.frombuffer(pseudo(n, seed), 'u1') % k + base
    return data.astype('u1').tobytes()


def header(size):
    return size.to_bytes(4, 'little')


ABC = b'abc' * 45
ABC_ENCODED = bytes.fromhex('08 616263 0f0372')  # 3 literals, 132 bytes 3 back

# Streams made by hand from the format: control bits LSB first; a tag is
# (offset >> 8) << 4 | (length - 3), offset & 0xFF [, length - 18].
HANDMADE = [
    (b'\x00abcdefgh\x00ij', b'abcdefghij'),  # two control bytes, literals
    (b'\x02a\x00\x01', b'aaaa'),  # 3 bytes 1 back
    (b'\x02a\x0f\x01\x00', b'a' * 19),  # 18 bytes, the 3-byte tag
    (b'\x02a\x0f\x01\xff', b'a' * 274),  # 273 bytes, the longest
    # 273 bytes 2 back, then 3 bytes 257 back (offset's high nibble)
    (b'\x0cab\x0f\x02\xff\x10\x01', (b'ab' * 138)[:275] + b'aba'),
]


def test_constants():
    assert PGLZ.available
    assert isinstance(pglz_version(), str)
    assert pglz_check(ABC_ENCODED) is None


@pytest.mark.parametrize('encoded, decoded', HANDMADE)
def test_decode_handmade(encoded, decoded):
    assert pglz_decode(encoded) == decoded
    check_inputs(pglz_decode, encoded, decoded)
    if len(encoded) != len(decoded):
        assert pglz_decode(header(len(decoded)) + encoded,
                           header=True) == decoded
    else:
        # after a header, data of the decoded size is stored data
        assert pglz_decode(header(len(decoded)) + encoded,
                           header=True) == encoded


def test_encode_exact():
    assert pglz_encode(ABC) == ABC_ENCODED
    assert pglz_encode(ABC, header=True) == header(135) + ABC_ENCODED
    assert pglz_decode(ABC_ENCODED) == ABC
    assert pglz_encode(b'abc' * 6, strategy='always') == bytes.fromhex(
        '08 616263 0c03')
    assert pglz_encode(b'aaaaa', strategy='always') == b'\x02a\x01\x01'


# Test data, and the size and sha256 (head) of the output of PostgreSQL's
# pglz_compress (15.6, x86-64) for each strategy of STRATEGIES, or None
# where it fails.
DATA = {
    'text': b''.join(b'row %d: value %d\n' % (i, i * i % 1000)
                     for i in range(3000)),
    'lowentropy': lowentropy(20000, 4),
    'highbytes': lowentropy(20000, 5, 128),  # sign extension in the hash
    'ramp_u2': (numpy.arange(30000) % 1000).astype('<u2').tobytes(),
    'image_u1': ((numpy.add.outer(numpy.arange(200), numpy.arange(300)) // 7)
                 % 256).astype('u1').tobytes(),
    'float_f4': (numpy.arange(20000) % 300).astype('<f4').tobytes(),
    'period4095': pseudo(4095, 2) * 3,  # beyond the farthest offset
    'period4094': pseudo(4094, 3) * 3,  # the farthest offset
    'mixed': pseudo(500, 4) + bytes(3000) + b'xyz' * 1000,
    'short': b'abcabcabcabcabcabc',
}
STRATEGIES = {
    'default': None,
    'always': 'always',
    'eager': (0, INT32_MAX, 0, INT32_MAX, 40, 50),
    'thorough': (0, INT32_MAX, 10, INT32_MAX, 273, 0),
    'quick': (16, INT32_MAX, 0, 100, 1, 100),
}
POSTGRESQL = {
    'text': [(15137, 'ffd421647022eee8'), (15137, '8e4e7c380b417211'),
             (15311, '598b019548d9d5a1'), (15137, '8e4e7c380b417211'),
             (17127, '271288efa4c851bf')],
    'lowentropy': [(7449, '265a32892b73ecaf'), (7449, '265a32892b73ecaf'),
                   (8432, 'f88334c4c7a36b5b'), (7449, '265a32892b73ecaf'),
                   (9339, '75e469b83a07088c')],
    'highbytes': [(8790, '6fde22f9b5f70f2f'), (8790, '6fde22f9b5f70f2f'),
                  (9705, 'a6935c6af3a9c6df'), (8790, '6fde22f9b5f70f2f'),
                  (11163, '13c687b19033a75e')],
    'ramp_u2': [None, (2916, 'c1bc0171767c2649'), (2916, 'c1bc0171767c2649'),
                (2916, 'c1bc0171767c2649'), None],
    'image_u1': [(1693, 'a3faf4a038b19511'), (1693, 'a3faf4a038b19511'),
                 (1693, 'a3faf4a038b19511'), (1693, 'a3faf4a038b19511'),
                 (1972, 'a165de27e47957ed')],
    'float_f4': [(2250, 'e65926141403131a'), (2250, 'e65926141403131a'),
                 (2250, 'e65926141403131a'), (2250, 'e65926141403131a'),
                 (2257, '2acc18a83412b72c')],
    'period4095': [None, None, None, None, None],
    'period4094': [None, (4700, 'f25e8059a825dc2a'),
                   (4700, 'f25e8059a825dc2a'), (4700, 'f25e8059a825dc2a'),
                   None],
    'mixed': [(636, 'abb70c99da364dd7'), (636, 'abb70c99da364dd7'),
              (636, 'abb70c99da364dd7'), (636, 'abb70c99da364dd7'), None],
    'short': [None, (6, '741c857a65cdffdf'), (6, '741c857a65cdffdf'),
              (6, '741c857a65cdffdf'), (6, '741c857a65cdffdf')],
}


@pytest.mark.parametrize('name', DATA)
def test_encode_as_postgresql(name):
    data = DATA[name]
    for strategy, expected in zip(STRATEGIES.values(), POSTGRESQL[name]):
        stored = pglz_encode(data, header=True, strategy=strategy)
        if expected is None:
            with pytest.raises(PglzError):
                pglz_encode(data, strategy=strategy)
            assert stored == header(len(data)) + data
        else:
            encoded = pglz_encode(data, strategy=strategy)
            digest = hashlib.sha256(encoded).hexdigest()[:16]
            assert (len(encoded), digest) == expected, strategy
            assert stored == header(len(data)) + encoded
            assert pglz_decode(encoded) == data
        assert pglz_decode(stored, header=True) == data


def alphabet_data(n, k, seed):
    alphabet = numpy.frombuffer(pseudo(k, seed + 100000), 'u1')
    return alphabet[numpy.frombuffer(pseudo(n, seed), 'u1') % k].tobytes()


@pytest.mark.parametrize('n, k, seed, expected', [
    (1102, 4, 2, (598, '36674b5f493f3749')),  # bytes 1 and 2 of the hash
    (160, 5, 120, (135, '8d43992d339890e0')),  # the hash of the last bytes
    (107, 4, 67, (91, '084c3db75f90584a')),  # byte 3 of the hash
])
def test_encode_hash_of_signed_char(n, k, seed, expected):
    # PostgreSQL hashes signed chars; where the hash lists collide
    # differently, the search, which here tries only two candidates,
    # chooses other matches
    encoded = pglz_encode(alphabet_data(n, k, seed),
                          strategy=(0, INT32_MAX, 0, INT32_MAX, 1, 100))
    assert (len(encoded), hashlib.sha256(encoded).hexdigest()[:16]) == \
        expected
    assert pglz_decode(encoded) == alphabet_data(n, k, seed)


def test_strategy_default():
    # at least 32 bytes, 25% smaller, a match in the first 1024 bytes
    assert pglz_decode(pglz_encode(b'a' * 32)) == b'a' * 32
    with pytest.raises(PglzError):
        pglz_encode(b'a' * 31)
    assert pglz_decode(pglz_encode(b'a' * 31, strategy='always')) == b'a' * 31
    assert pglz_encode(b'a' * 32, strategy='default') == pglz_encode(
        b'a' * 32, strategy='DEFAULT')
    data = pseudo(1100, 5) + bytes(5000)
    with pytest.raises(PglzError):
        pglz_encode(data)
    assert pglz_decode(pglz_encode(data, strategy='always')) == data


def test_strategy_tuple():
    always = (0, INT32_MAX, 0, INT32_MAX, 128, 6)
    assert pglz_encode(DATA['text'], strategy=always) == pglz_encode(
        DATA['text'], strategy='always')
    assert pglz_encode(b'aaaaa', strategy=list(always)) == b'\x02a\x01\x01'
    # 'aaaa' would give 4 bytes, not smaller
    with pytest.raises(PglzError):
        pglz_encode(b'aaaa', strategy=always)
    # min_input_size, max_input_size
    with pytest.raises(PglzError):
        pglz_encode(ABC, strategy=(136, INT32_MAX, 0, INT32_MAX, 128, 6))
    assert pglz_encode(ABC, strategy=(135, 135, 0, INT32_MAX, 128, 6)) == \
        ABC_ENCODED
    with pytest.raises(PglzError):
        pglz_encode(ABC, strategy=(0, 134, 0, INT32_MAX, 128, 6))
    # min_comp_rate: 7 of 135 bytes is 94.8% smaller
    assert pglz_encode(
        ABC, strategy=(0, INT32_MAX, 94, INT32_MAX, 128, 6)) == ABC_ENCODED
    with pytest.raises(PglzError):
        pglz_encode(ABC, strategy=(0, INT32_MAX, 95, INT32_MAX, 128, 6))
    # first_success_by: the first match follows 101 literals and their 13
    # control bytes
    data = pseudo(100, 6) + b'x' * 100
    assert len(pglz_encode(
        data, strategy=(0, INT32_MAX, 0, 115, 128, 6))) == 117
    with pytest.raises(PglzError):
        pglz_encode(data, strategy=(0, INT32_MAX, 0, 114, 128, 6))
    # match_size_good <= 0 disables compression
    with pytest.raises(PglzError):
        pglz_encode(ABC, strategy=(0, INT32_MAX, 0, INT32_MAX, 0, 6))


@pytest.mark.parametrize('strategy', [
    'fast', 1, (1, 2), (0, 1, 2, 3, 4, 5, 6), (0, 2**31, 0, 0, 128, 6)])
def test_strategy_invalid(strategy):
    with pytest.raises((ValueError, TypeError)):
        pglz_encode(ABC, strategy=strategy)


@pytest.mark.parametrize('dtype', INT_DTYPES)
@pytest.mark.parametrize('shape', SHAPES, ids=str)
def test_roundtrip_arrays(dtype, shape):
    data = random_array(shape, dtype, low=0, high=3)
    check_roundtrip(pglz_encode, pglz_decode, data,
                    encode_kwargs={'header': True, 'strategy': 'always'},
                    decode_kwargs={'header': True})


@pytest.mark.parametrize('header', [False, True])
def test_out(header):
    data = DATA['text']
    encoded = pglz_encode(data, header=header)
    # a smaller given output gets the first bytes
    check_out(pglz_decode, encoded, data, PglzError, partial=True,
              header=header)
    check_out(pglz_encode, data, encoded, PglzError, header=header)
    check_inputs(pglz_decode, encoded, data, header=header)


def test_out_stored():
    data = pseudo(3000, 7)
    encoded = pglz_encode(data, header=True)
    assert encoded == header(3000) + data
    check_out(pglz_decode, encoded, data, PglzError, partial=True,
              header=True)
    check_out(pglz_encode, data, encoded, PglzError, header=True)


def test_empty():
    with pytest.raises(PglzError):
        pglz_encode(b'', strategy='always')
    assert pglz_encode(b'', header=True) == header(0)
    assert pglz_decode(header(0), header=True) == b''
    assert pglz_decode(b'') == b''


def test_checkcomplete():
    # without header: None decodes the whole stream into any large output
    assert pglz_decode(ABC_ENCODED, out=200) == ABC
    with pytest.raises(PglzError):
        pglz_decode(ABC_ENCODED, out=200, checkcomplete=True)
    assert pglz_decode(ABC_ENCODED, out=135, checkcomplete=True) == ABC
    # into a smaller given output, None decodes the first bytes as False
    assert pglz_decode(ABC_ENCODED, out=134) == ABC[:134]
    # False decodes a prefix
    assert pglz_decode(ABC_ENCODED, out=100, checkcomplete=False) == ABC[:100]
    assert pglz_decode(ABC_ENCODED, out=2, checkcomplete=False) == b'ab'
    # with header, the size must match unless False
    for size in (100, 134, 136, 140):
        encoded = header(size) + ABC_ENCODED
        with pytest.raises(PglzError):
            pglz_decode(encoded, header=True)
        with pytest.raises(PglzError):
            pglz_decode(encoded, header=True, checkcomplete=True)
        assert pglz_decode(encoded, header=True,
                           checkcomplete=False) == ABC[:size]
    # a prefix of stored data
    encoded = header(10) + b'0123456789'
    assert pglz_decode(encoded, header=True, out=4,
                       checkcomplete=False) == b'0123'


def test_decode_sizes():
    # the size pass of the decoder gives the whole result
    data = bytes(1_000_000) + b'end'
    encoded = pglz_encode(data)
    assert len(encoded) < 12000  # 3 bytes for 273
    assert pglz_decode(encoded) == data
    assert pglz_decode(encoded, out=bytearray) == data


@pytest.mark.parametrize('encoded, message', [
    (b'\x01\x00\x01', 'match before the start'),
    (b'\x02a\x00\x02', 'offset 2 after one byte'),
    (b'\x02a\x10\x01', 'offset 257 after one byte'),
    (b'\x02a\x00\x00', 'offset 0'),
    (b'\x02a\x00', 'tag cut'),
    (b'\x02a\x0f\x01', 'extended length cut'),
])
def test_decode_invalid(encoded, message):
    with pytest.raises(PglzError):
        pglz_decode(encoded)
    with pytest.raises(PglzError):
        pglz_decode(encoded, out=1000, checkcomplete=False)
    with pytest.raises(PglzError):
        pglz_decode(header(1000) + encoded, header=True, checkcomplete=False)


def test_decode_invalid_header():
    with pytest.raises(PglzError):
        pglz_decode(b'\x00\x00\x00', header=True)
    # sizes that the data cannot reach are refused before allocating
    for size in (0xFFFFFFFF, INT32_MAX, 88 * 7 + 1):
        with pytest.raises(PglzError):
            pglz_decode(header(size) + ABC_ENCODED, header=True)
    assert pglz_decode(header(INT32_MAX) + ABC_ENCODED, header=True,
                       checkcomplete=False) == ABC


def test_corrupt():
    encoded = pglz_encode(DATA['text'], header=True)
    check_corrupt(pglz_decode, encoded, PglzError, header=True)
    # without header a cut stream is valid unless cut inside a tag (see
    # test_decode_invalid); damaged data raises or decodes
    encoded = pglz_encode(DATA['text'])
    check_corrupt(pglz_decode, encoded, PglzError, truncations=())


def test_random_input_never_crashes():
    rng = numpy.random.default_rng(3)
    for size in range(1, 400, 7):
        data = rng.bytes(size)
        for kwargs in ({}, {'out': 64, 'checkcomplete': False},
                       {'header': True, 'checkcomplete': False}):
            try:
                pglz_decode(data, **kwargs)
            except PglzError:
                pass
