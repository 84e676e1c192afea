# SPDX-License-Identifier: BSD-3-Clause
"""CMS codec: ICC profiles and colour transforms over Little CMS 2.

Expected values come from a colorimetric model in NumPy (sRGB, Adobe RGB,
XYZ and CIELAB formulas) and from Pillow's ImageCms, another binding of
lcms, given the same profile bytes.
"""

import io
import struct
import threading

import numpy
import pytest

import imagecodecs
from imagecodecs import (
    CMS, CmsError, cms_check, cms_decode, cms_encode, cms_profile,
    cms_profile_validate, cms_transform, cms_version,
)
from harness import check_array_out, check_corrupt, random_array, require

pytestmark = pytest.mark.usefixtures('available')


@pytest.fixture
def available():
    require('cms')


RGB8 = random_array((23, 31, 3), 'u1', seed=1)
GRAY8 = random_array((23, 31), 'u1', seed=2)
NAMES = ('srgb', 'adobergb', 'linearrgb', 'lab2', 'lab4', 'xyz', 'gray',
         'rgb', 'null')
# ICC header fields: device class, colour space, connection space, version
HEADERS = {
    'srgb': (b'mntr', b'RGB ', b'XYZ ', 4),
    'adobergb': (b'mntr', b'RGB ', b'XYZ ', 4),
    'linearrgb': (b'mntr', b'RGB ', b'XYZ ', 4),
    'lab2': (b'abst', b'Lab ', b'Lab ', 2),
    'lab4': (b'abst', b'Lab ', b'Lab ', 4),
    'xyz': (b'abst', b'XYZ ', b'XYZ ', 4),
    'gray': (b'mntr', b'GRAY', b'XYZ ', 4),
    'rgb': (b'mntr', b'RGB ', b'XYZ ', 4),
    'null': (b'prtr', b'GRAY', b'Lab ', 4),
}


def icc_tags(profile: bytes) -> dict:
    """Return the tags of an ICC profile: signature -> raw tag data."""
    count = struct.unpack('>I', profile[128:132])[0]
    tags = {}
    for i in range(count):
        sig, offset, size = struct.unpack(
            '>4sII', profile[132 + 12 * i:144 + 12 * i])
        tags[sig.decode()] = profile[offset:offset + size]
    return tags


def s15(data: bytes, count: int, start: int = 8) -> list:
    """Return s15Fixed16 numbers of a tag."""
    return [v / 65536 for v in struct.unpack(
        f'>{count}i', data[start:start + 4 * count])]


# -- a colorimetric model -----------------------------------------------------

D50 = numpy.array([0.9642, 1.0, 0.8249])
D65_XY = (0.3127, 0.3290)
SRGB_XY = ((0.64, 0.33), (0.30, 0.60), (0.15, 0.06))
ADOBE_XY = ((0.64, 0.33), (0.21, 0.71), (0.15, 0.06))
BRADFORD = numpy.array([[0.8951, 0.2664, -0.1614],
                        [-0.7502, 1.7135, 0.0367],
                        [0.0389, -0.0685, 1.0296]])


def xyz_of(x, y):
    return numpy.array([x / y, 1.0, (1 - x - y) / y])


def rgb_to_xyz_d50(primaries, white=D65_XY):
    """Return the matrix of linear RGB to XYZ adapted to D50 (Bradford)."""
    columns = numpy.stack([xyz_of(*xy) for xy in primaries], axis=1)
    white = xyz_of(*white)
    matrix = columns * numpy.linalg.solve(columns, white)
    cone = (BRADFORD @ D50) / (BRADFORD @ white)
    adapt = numpy.linalg.inv(BRADFORD) @ numpy.diag(cone) @ BRADFORD
    return adapt @ matrix


def srgb_linear(values):
    return numpy.where(values <= 0.04045, values / 12.92,
                       ((values + 0.055) / 1.055) ** 2.4)


def xyz_to_lab(xyz):
    t = xyz / D50
    delta = 6 / 29
    f = numpy.where(t > delta ** 3, numpy.cbrt(t),
                    t / (3 * delta ** 2) + 4 / 29)
    return numpy.stack([116 * f[..., 1] - 16,
                        500 * (f[..., 0] - f[..., 1]),
                        200 * (f[..., 1] - f[..., 2])], axis=-1)


def model_srgb_to_xyz(rgb):
    return srgb_linear(rgb) @ rgb_to_xyz_d50(SRGB_XY).T


def model_srgb_to_adobe(rgb):
    linear = model_srgb_to_xyz(rgb) @ numpy.linalg.inv(
        rgb_to_xyz_d50(ADOBE_XY)).T
    return numpy.clip(linear, 0, 1) ** (256 / 563)


# -- version, check, constants ------------------------------------------------

def test_version_check_and_aliases():
    assert cms_version().startswith('lcms2 2.')
    assert cms_check(cms_profile('srgb'))
    assert not cms_check(b'')
    assert not cms_check(b'\0' * 128)
    assert cms_encode is cms_transform
    assert cms_decode is cms_transform
    assert CMS.INTENT.RELATIVE_COLORIMETRIC == 1
    assert CMS.FLAGS.COPY_ALPHA == 0x04000000
    assert CMS.PT.LAB == 10


# -- profiles -----------------------------------------------------------------

@pytest.mark.parametrize('name', NAMES)
def test_named_profiles(name):
    profile = cms_profile(name)
    assert isinstance(profile, bytes)
    assert struct.unpack('>I', profile[:4])[0] == len(profile)
    assert cms_check(profile)
    cms_profile_validate(profile)
    device, space, pcs, major = HEADERS[name]
    assert profile[12:16] == device
    assert profile[16:20] == space
    assert profile[20:24] == pcs
    assert profile[8] == major
    assert cms_profile(name.upper())[16:20] == space


def test_named_profiles_in_pillow():
    ImageCms = pytest.importorskip('PIL.ImageCms')
    for name in NAMES:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(cms_profile(name)))
        device, space, pcs, _ = HEADERS[name]
        assert profile.profile.xcolor_space == space.decode()
        assert profile.profile.connection_space == pcs.decode()
        assert profile.profile.device_class == device.decode()
    profile = ImageCms.ImageCmsProfile(io.BytesIO(cms_profile('linearrgb')))
    assert profile.profile.profile_description == 'Linear RGB'


def test_profile_none_is_null_profile():
    assert cms_profile(None)[12:24] == b'prtrGRAYLab '


def test_parametric_rgb_profile():
    primaries = (0.64, 0.33, 0.21, 0.71, 0.15, 0.06)
    profile = cms_profile('rgb', whitepoint=D65_XY, primaries=primaries,
                          gamma=2.2)
    cms_profile_validate(profile)
    tags = icc_tags(profile)
    assert tags['chrm'][:4] == b'chrm'
    assert numpy.allclose(s15(tags['chrm'], 6, 12), primaries, atol=1e-4)
    for tag in ('rTRC', 'gTRC', 'bTRC'):
        assert tags[tag][:4] == b'para'
        assert abs(s15(tags[tag], 1, 12)[0] - 2.2) < 1e-4
    # colorants are the primaries adapted to D50
    matrix = rgb_to_xyz_d50(list(zip(primaries[::2], primaries[1::2])))
    for i, tag in enumerate(('rXYZ', 'gXYZ', 'bXYZ')):
        assert numpy.allclose(s15(tags[tag], 3), matrix[:, i], atol=2e-4)
    # 9 values (x, y, Y each) are the same primaries
    same = cms_profile('rgb', whitepoint=(*D65_XY, 1.0), gamma=2.2,
                       primaries=numpy.insert(primaries, (2, 4, 6), 1.0))
    assert icc_tags(same)['rXYZ'] == tags['rXYZ']
    # only the given parts are written
    assert set(icc_tags(cms_profile('rgb'))) == {'desc', 'cprt'}
    assert 'chrm' in icc_tags(cms_profile('rgb', primaries=primaries))


def test_parametric_gray_profile():
    tags = icc_tags(cms_profile('gray', gamma=1.8))
    assert abs(s15(tags['kTRC'], 1, 12)[0] - 1.8) < 1e-4
    tags = icc_tags(cms_profile('gray', whitepoint=D65_XY))
    assert numpy.allclose(s15(tags['wtpt'], 3), xyz_of(*D65_XY), atol=1e-4)


def test_transfer_function_tables():
    table = (numpy.linspace(0, 1, 300) ** 2 * 65535).astype('u2')
    tags = icc_tags(cms_profile('gray', transferfunction=table))
    curve = tags['kTRC']
    assert curve[:4] == b'curv'
    assert struct.unpack('>I', curve[8:12])[0] == 300
    assert numpy.array_equal(
        numpy.frombuffer(curve[12:612], '>u2'), table)
    # big-endian tables are read by value
    swapped = cms_profile('gray', transferfunction=table.astype('>u2'))
    assert icc_tags(swapped)['kTRC'] == curve
    # one row per channel
    rows = numpy.stack([table, table // 2, table // 3])
    tags = icc_tags(cms_profile('rgb', transferfunction=rows))
    assert numpy.array_equal(
        numpy.frombuffer(tags['gTRC'][12:612], '>u2'), table // 2)
    # float32 tables are sampled by lcms; the curve keeps the shape
    curve = icc_tags(cms_profile(
        'rgb', transferfunction=numpy.linspace(0, 1, 64, dtype='f4') ** 2
    ))['rTRC']
    count = struct.unpack('>I', curve[8:12])[0]
    values = numpy.frombuffer(curve[12:12 + 2 * count], '>u2') / 65535
    assert numpy.allclose(values, numpy.linspace(0, 1, count) ** 2,
                          atol=2e-3)
    # gamma wins over a table
    assert icc_tags(cms_profile('gray', gamma=2.0, transferfunction=table)
                    )['kTRC'][:4] == b'para'


@pytest.mark.parametrize('kwargs', [
    {'whitepoint': (0.3,)},
    {'whitepoint': (0.3, 0.0)},
    {'primaries': (0.64, 0.33, 0.3, 0.6, 0.15)},
    {'transferfunction': numpy.zeros(0, 'u2')},
    {'transferfunction': numpy.zeros(10, 'f8')},
    {'transferfunction': numpy.zeros(10, 'u1')},
    {'transferfunction': numpy.zeros((2, 10), 'u2')},
])
def test_invalid_profile_parameters(kwargs):
    with pytest.raises(CmsError):
        cms_profile('rgb', **kwargs)


def test_invalid_profile_names_and_bytes():
    for name in ('bogus', '', 'grey'):
        with pytest.raises(CmsError):
            cms_profile(name)
        with pytest.raises(ValueError):
            cms_profile(name)
    with pytest.raises(CmsError):
        cms_profile(b'not a profile' * 20)
    profile = cms_profile('srgb')
    assert cms_profile(profile) == profile
    assert cms_profile(bytearray(profile)) == profile


def test_profile_validate_errors(capsys):
    profile = cms_profile('srgb')
    cms_profile_validate(bytearray(profile))
    cms_profile_validate(numpy.frombuffer(profile, 'u1'))
    for data in (b'', b'abc', profile[:100], b'\0' * len(profile)):
        with pytest.raises(CmsError):
            cms_profile_validate(data)
    damaged = bytearray(profile)
    damaged[36:40] = b'xxxx'
    with pytest.raises(CmsError, match='signature'):
        cms_profile_validate(bytes(damaged), verbose=True)
    assert 'signature' in capsys.readouterr().err
    for obj in ('srgb', None, 1):
        with pytest.raises(CmsError):
            cms_profile_validate(obj)
        with pytest.raises(TypeError):
            cms_profile_validate(obj)


def test_corrupt_profiles_raise_or_transform():
    profile = cms_profile('adobergb')

    def transform(data):
        return cms_transform(RGB8, data, 'srgb', colorspace='rgb')

    check_corrupt(transform, profile, CmsError, truncations=(0, 64, 127),
                  trials=200)


# -- transforms against the model and Pillow ----------------------------------

def test_identity_transforms_are_exact():
    srgb = cms_profile('srgb')
    assert numpy.array_equal(cms_transform(RGB8, srgb, srgb), RGB8)
    data16 = RGB8.astype('u2') * 257
    assert numpy.array_equal(cms_transform(data16, srgb, srgb), data16)
    for dtype in ('f2', 'f4', 'f8'):
        data = (RGB8 / 255).astype(dtype)
        result = cms_transform(data, srgb, srgb,
                               flags=CMS.FLAGS.NULLTRANSFORM)
        assert result.dtype == dtype
        if dtype == 'f8':  # lcms copies through float32
            assert numpy.allclose(result, data, rtol=0, atol=1e-7)
        else:
            assert numpy.array_equal(result, data)


def test_output_dtypes_scale():
    srgb = cms_profile('srgb')
    result = cms_transform(RGB8, srgb, srgb, outdtype='u2')
    assert numpy.array_equal(result, RGB8.astype('u2') * 257)
    for dtype in ('f4', 'f8'):
        result = cms_transform(RGB8, srgb, srgb, outdtype=dtype)
        assert result.dtype == dtype
        assert numpy.allclose(result, RGB8 / 255, atol=1e-6)
    result = cms_transform(RGB8.astype('u2') * 257, srgb, srgb,
                           outdtype='u1')
    assert numpy.array_equal(result, RGB8)


@pytest.mark.parametrize('dtype', ['f4', 'f8'])
def test_srgb_to_xyz_and_lab_float(dtype):
    rgb = random_array((20, 20, 3), 'f8', seed=3)
    rgb = ((rgb - rgb.min()) / (rgb.max() - rgb.min())).astype(dtype)
    xyz = cms_transform(rgb, 'srgb', 'xyz', outcolorspace='xyz')
    assert xyz.dtype == dtype
    expected = model_srgb_to_xyz(rgb.astype('f8'))
    assert numpy.abs(xyz - expected).max() < 1e-3
    lab = cms_transform(rgb, cms_profile('srgb'), cms_profile('lab4'),
                        outdtype='f8')
    assert lab.dtype == 'f8'
    assert numpy.abs(lab - xyz_to_lab(expected)).max() < 0.1


def test_srgb_to_adobergb():
    srgb = cms_profile('srgb')
    adobe = cms_profile('adobergb')
    expected = model_srgb_to_adobe(RGB8 / 255)
    result = cms_transform(RGB8, srgb, adobe, outdtype='f4')
    assert numpy.abs(result - expected).max() < 2e-3
    result = cms_transform(RGB8, srgb, adobe)
    assert numpy.abs(result - expected * 255).max() <= 1.5
    # the intents of matrix-shaper profiles are colorimetric alike
    assert numpy.array_equal(
        cms_transform(RGB8, srgb, adobe, intent='relative_colorimetric'),
        result)


def test_gray_gamma():
    gamma22 = cms_profile('gray', gamma=2.2)
    linear = cms_profile('gray', gamma=1.0)
    result = cms_transform(GRAY8, gamma22, linear)
    assert result.shape == GRAY8.shape
    expected = (GRAY8 / 255) ** 2.2 * 255
    assert numpy.abs(result - expected).max() <= 1.0
    # gray to RGB: three equal channels of the same lightness
    rgb = cms_transform(GRAY8, linear, 'linearrgb')
    assert rgb.shape == GRAY8.shape + (3,)
    assert numpy.abs(rgb.astype(int) - GRAY8[..., None]).max() <= 1
    # RGB to gray drops the sample axis
    assert cms_transform(rgb, 'linearrgb', linear).shape == GRAY8.shape
    # (h, w, 1) keeps its shape
    assert cms_transform(GRAY8[..., None], gamma22, linear).shape == (
        GRAY8.shape + (1,))
    # miniswhite: 0 is white
    assert numpy.array_equal(
        cms_transform(255 - GRAY8, gamma22, linear, colorspace='miniswhite',
                      outcolorspace='gray'),
        result)


def test_lab_round_trip():
    srgb = cms_profile('srgb')
    lab = cms_profile('lab4')
    for dtype in ('f4', 'f8', 'u2'):
        encoded = cms_transform(RGB8, srgb, lab, outdtype=dtype)
        assert encoded.dtype == dtype
        decoded = cms_transform(encoded, lab, srgb, outdtype='u1')
        assert numpy.abs(decoded.astype(int) - RGB8).max() <= 1


def pillow_transform(data, profile, outprofile, mode, outmode):
    Image = pytest.importorskip('PIL.Image')
    ImageCms = pytest.importorskip('PIL.ImageCms')
    transform = ImageCms.buildTransform(
        ImageCms.ImageCmsProfile(io.BytesIO(profile)),
        ImageCms.ImageCmsProfile(io.BytesIO(outprofile)), mode, outmode)
    result = numpy.array(ImageCms.applyTransform(
        Image.fromarray(data, mode), transform))
    if outmode == 'LAB':
        result[..., 1:] ^= 128  # Pillow stores a and b as signed bytes
    return result


@pytest.mark.parametrize('outname', ['srgb', 'adobergb', 'linearrgb',
                                     'lab2', 'lab4'])
def test_pillow_agrees(outname):
    srgb = cms_profile('srgb')
    outprofile = cms_profile(outname)
    outmode = 'LAB' if outname.startswith('lab') else 'RGB'
    expected = pillow_transform(RGB8, srgb, outprofile, 'RGB', outmode)
    result = cms_transform(RGB8, srgb, outprofile)
    assert result.shape == expected.shape
    assert numpy.abs(result.astype(int) - expected).max() <= 1
    if outmode == 'RGB':
        back = pillow_transform(RGB8, outprofile, srgb, 'RGB', 'RGB')
        result = cms_transform(RGB8, outprofile, srgb)
        assert numpy.abs(result.astype(int) - back).max() <= 1


def test_pillow_agrees_gray():
    gray = cms_profile('gray', gamma=2.2)
    expected = pillow_transform(GRAY8, gray, cms_profile('srgb'), 'L',
                                'RGB')
    result = cms_transform(GRAY8, gray, 'srgb')
    assert numpy.abs(result.astype(int) - expected).max() <= 1


# -- layouts ------------------------------------------------------------------

def test_channel_orders_and_alpha():
    srgb = cms_profile('srgb')
    adobe = cms_profile('adobergb')
    alpha = random_array(RGB8.shape[:2] + (1,), 'u1', seed=4)
    rgba = numpy.concatenate([RGB8, alpha], axis=-1)
    rgb = cms_transform(RGB8, srgb, adobe)
    copy = CMS.FLAGS.COPY_ALPHA
    result = cms_transform(rgba, srgb, adobe, flags=copy)
    assert numpy.array_equal(result, numpy.concatenate([rgb, alpha], -1))
    # alpha not copied is zero, not left uninitialised
    result = cms_transform(rgba, srgb, adobe, colorspace='rgba')
    assert numpy.array_equal(result[..., :3], rgb)
    assert not result[..., 3].any()
    # one sample more than a colorspace names is skipped
    assert numpy.array_equal(
        cms_transform(rgba, srgb, adobe, colorspace='rgb'), rgb)
    bgr = cms_transform(RGB8[..., ::-1], srgb, adobe, colorspace='bgr')
    assert numpy.array_equal(bgr, rgb[..., ::-1])
    assert numpy.array_equal(
        cms_transform(RGB8, srgb, adobe, outcolorspace='bgr'),
        rgb[..., ::-1])
    layouts = {'rgba': [0, 1, 2, 3], 'argb': [3, 0, 1, 2],
               'bgra': [2, 1, 0, 3], 'abgr': [3, 2, 1, 0]}
    expected = numpy.concatenate([rgb, alpha], -1)
    for name, order in layouts.items():
        for outname, outorder in layouts.items():
            result = cms_transform(rgba[..., order], srgb, adobe,
                                   colorspace=name, outcolorspace=outname,
                                   flags=copy)
            assert numpy.array_equal(result, expected[..., outorder])
    with pytest.raises(CmsError):
        cms_transform(RGB8, srgb, adobe, colorspace='cmyk')
    with pytest.raises(ValueError):
        cms_transform(RGB8, srgb, adobe, colorspace='xyzzy')


def test_planar():
    srgb = cms_profile('srgb')
    adobe = cms_profile('adobergb')
    expected = cms_transform(RGB8, srgb, adobe)
    planar = numpy.ascontiguousarray(numpy.moveaxis(RGB8, -1, 0))
    result = cms_transform(planar, srgb, adobe, planar=True)
    assert numpy.array_equal(result, numpy.moveaxis(expected, -1, 0))
    result = cms_transform(planar, srgb, adobe, planar=True, outplanar=False)
    assert numpy.array_equal(result, expected)
    result = cms_transform(RGB8, srgb, adobe, outplanar=True)
    assert numpy.array_equal(result, numpy.moveaxis(expected, -1, 0))
    # a stack of planar images
    stack = numpy.stack([planar, planar[:, ::-1].copy()])
    result = cms_transform(stack, srgb, adobe, planar=True, outdtype='f4')
    assert result.shape == stack.shape
    assert numpy.array_equal(
        result[1], numpy.moveaxis(
            cms_transform(RGB8[::-1], srgb, adobe, outdtype='f4'), -1, 0))


def test_default_colorspaces_follow_profiles():
    srgb = cms_profile('srgb')
    lab = cms_profile('lab4')
    # the output profile's space, keeping the extra channel
    rgba = numpy.concatenate([RGB8, RGB8[..., :1]], -1)
    result = cms_transform(rgba, srgb, lab, outdtype='f4',
                           flags=CMS.FLAGS.COPY_ALPHA)
    assert result.shape == RGB8.shape[:2] + (4,)
    assert numpy.allclose(result[..., 3], RGB8[..., 0] / 255, atol=1e-6)
    with pytest.raises(CmsError):
        cms_transform(RGB8[..., :2], srgb, lab)


# -- arguments, degenerate arrays, out= ---------------------------------------

def test_degenerate_arrays():
    srgb = cms_profile('srgb')
    gray = cms_profile('gray', gamma=1.0)
    for shape in ((0, 5, 3), (5, 0, 3), (0, 0), (2, 0)):
        data = numpy.zeros(shape, 'u1')
        profile = gray if len(shape) == 2 else srgb
        result = cms_transform(data, profile, profile)
        assert result.shape == shape
        assert result.dtype == 'u1'
    pixel = numpy.array([[[255, 0, 0]]], 'u1')
    lab = cms_transform(pixel, srgb, 'lab4', outdtype='f8')
    assert lab.shape == (1, 1, 3)
    assert numpy.abs(lab[0, 0] - xyz_to_lab(model_srgb_to_xyz(
        numpy.array([1.0, 0, 0])))).max() < 0.1
    # non-contiguous and big-endian input
    assert numpy.array_equal(cms_transform(RGB8[::2, ::3], srgb, srgb),
                             RGB8[::2, ::3])
    big = RGB8.astype('>u2')
    assert numpy.array_equal(cms_transform(big, srgb, srgb), RGB8)
    # 4-D: a stack of images
    stack = numpy.stack([RGB8, RGB8[::-1]])
    assert numpy.array_equal(cms_transform(stack, srgb, srgb), stack)
    for data in (numpy.uint8(1), numpy.zeros(3, 'u1'), b'abc'):
        with pytest.raises(CmsError):
            cms_transform(data, srgb, srgb)
    for dtype in ('i1', 'i2', 'u4', 'bool'):
        with pytest.raises(ValueError):
            cms_transform(RGB8.astype(dtype), srgb, srgb)
    with pytest.raises(CmsError):
        cms_transform(RGB8, srgb, srgb, outdtype='i4')


def test_invalid_arguments():
    srgb = cms_profile('srgb')
    with pytest.raises(CmsError, match='intent'):
        cms_transform(RGB8, srgb, srgb, intent=99)
    with pytest.raises(ValueError):
        cms_transform(RGB8, srgb, srgb, intent='bogus')
    with pytest.raises(ValueError):
        cms_transform(RGB8, srgb, srgb, flags=-1)
    with pytest.raises(CmsError):
        cms_transform(RGB8, srgb, b'junk' * 40)
    with pytest.raises(CmsError):
        cms_transform(RGB8, srgb[:100], srgb)
    with pytest.raises(CmsError):
        cms_transform(RGB8, None, srgb)
    # a gray profile without a tone curve cannot be linked
    with pytest.raises(CmsError, match='cmsCreateTransform'):
        cms_transform(GRAY8, 'gray', srgb)
    assert numpy.array_equal(
        cms_transform(RGB8, srgb, srgb, flags='nocache', intent='perceptual'),
        RGB8)


def test_out():
    srgb = cms_profile('srgb')
    adobe = cms_profile('adobergb')
    expected = cms_transform(RGB8, srgb, adobe)

    def transform(data, **kwargs):
        return cms_transform(data, srgb, adobe, **kwargs)

    check_array_out(transform, RGB8, expected, CmsError, outdtype='u1')
    # out's dtype is the output dtype unless outdtype says otherwise
    out = numpy.zeros(RGB8.shape, 'u2')
    assert transform(RGB8, out=out) is out
    assert numpy.array_equal(out, cms_transform(RGB8, srgb, adobe,
                                                outdtype='u2'))


def test_threads_share_nothing():
    srgb = cms_profile('srgb')
    lab = cms_profile('lab4')
    data = random_array((256, 256, 3), 'u1', seed=5)
    expected = cms_transform(data, srgb, lab, outdtype='f4')
    results = [None] * 8

    def work(i):
        if i % 2:
            with pytest.raises(CmsError):
                cms_profile_validate(b'x' * 200)
        results[i] = cms_transform(data, srgb, lab, outdtype='f4')

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results:
        assert numpy.array_equal(result, expected)


def test_lazy_names():
    assert imagecodecs.CMS.available
    assert imagecodecs.cms_transform is cms_transform
