# SPDX-License-Identifier: BSD-3-Clause
# cython: language_level=3, boundscheck=False, wraparound=False
"""CMS codec: colour transforms and ICC profiles over Little CMS 2.

Each call works in its own lcms context whose error handler records the
library's messages, so that failures become CmsError with the reason and
calls in several threads never share state.
"""

import enum
import sys

import numpy

cimport cython
from libc.stdint cimport uint8_t
from libc.string cimport strlen, memcpy

from imagecodecs._shared cimport (
    Input, readable, new_array, input_array, fresh_output,
)
from imagecodecs._exceptions import CmsError, error_as
from imagecodecs.libs.lcms2 cimport *

cdef extern from 'imcd.h':
    const char* IMCD_VERSION_LCMS2

# lcms counts pixels and bytes per call in 32 bits: large runs are split
cdef Py_ssize_t MAX_RUN = 1 << 24

_ValueError = error_as(CmsError, ValueError)
_TypeError = error_as(CmsError, TypeError)


class CMS:
    """CMS codec constants."""

    available = True

    class INTENT(enum.IntEnum):
        """Rendering intents."""

        PERCEPTUAL = INTENT_PERCEPTUAL
        RELATIVE_COLORIMETRIC = INTENT_RELATIVE_COLORIMETRIC
        SATURATION = INTENT_SATURATION
        ABSOLUTE_COLORIMETRIC = INTENT_ABSOLUTE_COLORIMETRIC

    class FLAGS(enum.IntEnum):
        """Transform flags."""

        NOCACHE = cmsFLAGS_NOCACHE
        NOOPTIMIZE = cmsFLAGS_NOOPTIMIZE
        NULLTRANSFORM = cmsFLAGS_NULLTRANSFORM
        GAMUTCHECK = cmsFLAGS_GAMUTCHECK
        SOFTPROOFING = cmsFLAGS_SOFTPROOFING
        BLACKPOINTCOMPENSATION = cmsFLAGS_BLACKPOINTCOMPENSATION
        NOWHITEONWHITEFIXUP = cmsFLAGS_NOWHITEONWHITEFIXUP
        HIGHRESPRECALC = cmsFLAGS_HIGHRESPRECALC
        LOWRESPRECALC = cmsFLAGS_LOWRESPRECALC
        EIGHTBITS_DEVICELINK = cmsFLAGS_8BITS_DEVICELINK
        GUESSDEVICECLASS = cmsFLAGS_GUESSDEVICECLASS
        KEEP_SEQUENCE = cmsFLAGS_KEEP_SEQUENCE
        FORCE_CLUT = cmsFLAGS_FORCE_CLUT
        CLUT_POST_LINEARIZATION = cmsFLAGS_CLUT_POST_LINEARIZATION
        CLUT_PRE_LINEARIZATION = cmsFLAGS_CLUT_PRE_LINEARIZATION
        NONEGATIVES = cmsFLAGS_NONEGATIVES
        COPY_ALPHA = cmsFLAGS_COPY_ALPHA
        NODEFAULTRESOURCEDEF = cmsFLAGS_NODEFAULTRESOURCEDEF

    class PT(enum.IntEnum):
        """Pixel types (colour spaces of pixel formats)."""

        GRAY = PT_GRAY
        RGB = PT_RGB
        CMY = PT_CMY
        CMYK = PT_CMYK
        YCBCR = PT_YCbCr
        YUV = PT_YUV
        XYZ = PT_XYZ
        LAB = PT_Lab
        YUVK = PT_YUVK
        HSV = PT_HSV
        HLS = PT_HLS
        YXY = PT_Yxy
        MCH1 = PT_MCH1
        MCH2 = PT_MCH2
        MCH3 = PT_MCH3
        MCH4 = PT_MCH4
        MCH5 = PT_MCH5
        MCH6 = PT_MCH6
        MCH7 = PT_MCH7
        MCH8 = PT_MCH8
        MCH9 = PT_MCH9
        MCH10 = PT_MCH10
        MCH11 = PT_MCH11
        MCH12 = PT_MCH12
        MCH13 = PT_MCH13
        MCH14 = PT_MCH14
        MCH15 = PT_MCH15


# colorspace name: pixel type, colour channels, extra channels, and the
# lcms layout flags (reversed order, extra channel first, inverted values)
# of the TYPE_* formats of that name
_COLORSPACES = {
    'gray': (PT_GRAY, 1, 0, 0, 0, 0),
    'minisblack': (PT_GRAY, 1, 0, 0, 0, 0),
    'miniswhite': (PT_GRAY, 1, 0, 0, 0, 1),
    'graya': (PT_GRAY, 1, 1, 0, 0, 0),
    'rgb': (PT_RGB, 3, 0, 0, 0, 0),
    'rgba': (PT_RGB, 3, 1, 0, 0, 0),
    'bgr': (PT_RGB, 3, 0, 1, 0, 0),
    'bgra': (PT_RGB, 3, 1, 1, 1, 0),
    'argb': (PT_RGB, 3, 1, 0, 1, 0),
    'abgr': (PT_RGB, 3, 1, 1, 0, 0),
    'cmy': (PT_CMY, 3, 0, 0, 0, 0),
    'cmyk': (PT_CMYK, 4, 0, 0, 0, 0),
    'cmyka': (PT_CMYK, 4, 1, 0, 0, 0),
    'kymc': (PT_CMYK, 4, 0, 1, 0, 0),
    'kcmy': (PT_CMYK, 4, 0, 0, 1, 0),
    'yuvk': (PT_CMYK, 4, 0, 0, 0, 1),
    'ycbcr': (PT_YCbCr, 3, 0, 0, 0, 0),
    'yuv': (PT_YUV, 3, 0, 0, 0, 0),
    'lab': (PT_Lab, 3, 0, 0, 0, 0),
    'labv2': (PT_LabV2, 3, 0, 0, 0, 0),
    'alab': (PT_Lab, 3, 1, 0, 1, 0),
    'xyz': (PT_XYZ, 3, 0, 0, 0, 0),
    'yxy': (PT_Yxy, 3, 0, 0, 0, 0),
    'hsv': (PT_HSV, 3, 0, 0, 0, 0),
    'hls': (PT_HLS, 3, 0, 0, 0, 0),
}

# sample dtypes: lcms bytes per sample (0 means double) and float flag
_DTYPES = {
    numpy.dtype('uint8'): (1, 0),
    numpy.dtype('uint16'): (2, 0),
    numpy.dtype('float16'): (2, 1),
    numpy.dtype('float32'): (4, 1),
    numpy.dtype('float64'): (0, 1),
}

_PROFILE_NAMES = ('srgb', 'adobergb', 'linearrgb', 'rgb', 'gray', 'lab2',
                  'lab4', 'xyz', 'null')


def cms_version():
    """Return the version of the Little CMS library."""
    cdef int version = cmsGetEncodedCMMversion()
    vendored = IMCD_VERSION_LCMS2.decode()
    if vendored.startswith(f'{version // 1000}.{version % 1000 // 10}.'):
        return f'lcms2 {vendored}'
    return f'lcms2 {version // 1000}.{version % 1000 // 10}.{version % 10}'


def cms_check(data, /):
    """Return whether data starts like an ICC profile (its 'acsp' tag)."""
    cdef Input src = readable(data)
    if src.size < 40:
        return False
    return src.ptr[36:40] == b'acsp'


# -- contexts and errors ------------------------------------------------------

ctypedef struct _Log:
    char text[1024]
    Py_ssize_t size
    int count


cdef void _log_error(cmsContext context, cmsUInt32Number code,
                     const char* text) noexcept nogil:
    # called by lcms, maybe without the GIL: only C here
    cdef _Log* log = <_Log*> cmsGetContextUserData(context)
    cdef Py_ssize_t n
    if log == NULL or text == NULL:
        return
    log.count += 1
    n = <Py_ssize_t> strlen(text)
    if log.size > 0 and log.size < 1022:
        log.text[log.size] = b'\n'
        log.size += 1
    if n > 1023 - log.size:
        n = 1023 - log.size
    if n > 0:
        memcpy(log.text + log.size, text, n)
        log.size += n
    log.text[log.size] = 0


cdef class _Context:
    """An lcms context of one call; holds its profiles and transform."""

    cdef cmsContext ctx
    cdef _Log log
    cdef bint verbose
    cdef list profiles
    cdef cmsHTRANSFORM transform

    def __cinit__(self, verbose=None):
        self.log.size = 0
        self.log.count = 0
        self.log.text[0] = 0
        self.verbose = bool(verbose)
        self.profiles = []
        self.transform = NULL
        self.ctx = cmsCreateContext(NULL, &self.log)
        if self.ctx == NULL:
            raise MemoryError('cmsCreateContext failed')
        cmsSetLogErrorHandlerTHR(self.ctx, _log_error)

    def __dealloc__(self):
        # the transform and profiles of a context go before it
        if self.transform != NULL:
            cmsDeleteTransform(self.transform)
            self.transform = NULL
        if self.profiles is not None:
            for handle in self.profiles:
                cmsCloseProfile(<cmsHPROFILE> <size_t> handle)
            self.profiles = None
        if self.ctx != NULL:
            cmsDeleteContext(self.ctx)

    cdef str messages(self):
        return self.log.text[:self.log.size].decode('utf-8', 'replace')

    cdef report(self):
        """Print the library's messages if verbose."""
        if self.verbose and self.log.count:
            print(f'CMS: {self.messages()}', file=sys.stderr)

    cdef object error(self, str what):
        """Return CmsError for a failed library call, with its messages."""
        self.report()
        message = self.messages()
        if message:
            return CmsError(f'{what} failed: {message}')
        return CmsError(f'{what} failed')

    cdef cmsHPROFILE keep(self, cmsHPROFILE handle, str what) except NULL:
        if handle == NULL:
            raise self.error(what)
        self.profiles.append(<size_t> handle)
        return handle

    cdef cmsHPROFILE open(self, profile) except NULL:
        """Return a handle of an ICC profile given by bytes or by name."""
        if isinstance(profile, str):
            return self.keep(_create_profile(self, profile.lower(), None,
                                             None, None, None),
                             'cmsCreateProfile')
        return self.open_bytes(self.profile_bytes(profile))

    cdef Input profile_bytes(self, profile):
        if profile is None or isinstance(profile, str):
            raise _TypeError(
                f'profile must be bytes, not {type(profile).__name__}')
        try:
            return readable(profile)
        except TypeError:
            raise _TypeError(
                f'profile must be bytes, not {type(profile).__name__}'
            ) from None

    cdef cmsHPROFILE open_bytes(self, Input src) except NULL:
        cdef cmsHPROFILE handle
        if src.size > 0xFFFFFFFF:
            raise _ValueError('profile too large')
        with nogil:
            handle = cmsOpenProfileFromMemTHR(self.ctx, src.ptr,
                                              <cmsUInt32Number> src.size)
        return self.keep(handle, 'cmsOpenProfileFromMem')


# -- profiles -----------------------------------------------------------------

cdef int _xyy(object values, cmsCIExyY* xyy, str what) except -1:
    """Fill xyy from a sequence x, y[, Y] (Y defaults to 1)."""
    values = numpy.asarray(values, numpy.float64).reshape(-1)
    if values.size < 2:
        raise _ValueError(f'invalid {what} {values.tolist()!r}')
    xyy.x = values[0]
    xyy.y = values[1]
    xyy.Y = values[2] if values.size > 2 else 1.0
    if not xyy.y > 0.0:  # lcms divides by y
        raise _ValueError(f'invalid {what} {values.tolist()!r}')
    return 0


cdef int _primaries(object values, cmsCIExyYTRIPLE* primaries) except -1:
    """Fill primaries from red, green, blue x, y or x, y, Y."""
    values = numpy.asarray(values, numpy.float64).reshape(-1)
    if values.size == 6:
        values = numpy.insert(values, (2, 4, 6), 1.0)
    elif values.size != 9:
        raise _ValueError(f'invalid length of primaries {values.size}')
    _xyy(values[0:3], &primaries.Red, 'primaries')
    _xyy(values[3:6], &primaries.Green, 'primaries')
    _xyy(values[6:9], &primaries.Blue, 'primaries')
    return 0


cdef list _curves(_Context context, transferfunction, gamma, int count):
    """Return `count` tone curve handles (as ints), or None.

    gamma takes precedence; a transfer function is a table of uint16 or
    float32 values, one for all channels or one row per channel.
    """
    cdef cmsToneCurve* curve
    cdef const cmsUInt16Number[::1] table16
    cdef const cmsFloat32Number[::1] table32
    cdef list curves = []
    if gamma is not None:
        gamma = float(gamma)
        for _ in range(count):
            curve = cmsBuildGamma(context.ctx, gamma)
            if curve == NULL:
                _free_curves(curves)
                raise context.error('cmsBuildGamma')
            curves.append(<size_t> curve)
        return curves
    if transferfunction is None:
        return None
    table = numpy.asarray(transferfunction)
    if (table.dtype.kind, table.dtype.itemsize) not in (('u', 2), ('f', 4)):
        raise _ValueError('invalid transferfunction shape or dtype')
    if not (table.ndim == 1 or (
            table.ndim == 2 and count > 1 and table.shape[0] == count)):
        raise _ValueError('invalid transferfunction shape or dtype')
    if table.shape[table.ndim - 1] < 1 or table.shape[
            table.ndim - 1] > 0xFFFF:
        raise _ValueError(
            f'invalid transferfunction size {table.shape[table.ndim - 1]}')
    table = numpy.ascontiguousarray(table, table.dtype.newbyteorder('='))
    for i in range(count):
        row = table if table.ndim == 1 else table[i]
        if row.dtype.kind == 'u':
            table16 = row
            curve = cmsBuildTabulatedToneCurve16(
                context.ctx, <cmsUInt32Number> row.size, &table16[0])
        else:
            table32 = row
            curve = cmsBuildTabulatedToneCurveFloat(
                context.ctx, <cmsUInt32Number> row.size, &table32[0])
        if curve == NULL:
            _free_curves(curves)
            raise context.error('cmsBuildTabulatedToneCurve')
        curves.append(<size_t> curve)
    return curves


cdef void _free_curves(list curves):
    for curve in curves or ():
        cmsFreeToneCurve(<cmsToneCurve*> <size_t> curve)


cdef int _describe(_Context context, cmsHPROFILE handle,
                   const char* text) except -1:
    """Replace the profile description."""
    cdef cmsMLU* mlu = cmsMLUalloc(context.ctx, 1)
    cdef bint ok
    if mlu == NULL:
        raise MemoryError('cmsMLUalloc failed')
    ok = cmsMLUsetASCII(mlu, b'en', b'US', text) and cmsWriteTag(
        handle, cmsSigProfileDescriptionTag, mlu)
    cmsMLUfree(mlu)
    if not ok:
        raise context.error('cmsWriteTag')
    return 0


cdef int _srgb_primaries(cmsCIExyY* white,
                         cmsCIExyYTRIPLE* primaries) except -1:
    white.x = 0.3127
    white.y = 0.3290
    white.Y = 1.0
    primaries.Red.x = 0.64
    primaries.Red.y = 0.33
    primaries.Red.Y = 1.0
    primaries.Green.x = 0.30
    primaries.Green.y = 0.60
    primaries.Green.Y = 1.0
    primaries.Blue.x = 0.15
    primaries.Blue.y = 0.06
    primaries.Blue.Y = 1.0
    return 0


cdef cmsHPROFILE _create_profile(_Context context, str name, whitepoint,
                                 primaries, transferfunction,
                                 gamma) except? NULL:
    """Return a new profile handle of a named kind (NULL on lcms failure)."""
    cdef cmsCIExyY white
    cdef cmsCIExyYTRIPLE xyys
    cdef cmsCIExyY* pwhite = NULL
    cdef cmsCIExyYTRIPLE* pxyys = NULL
    cdef cmsToneCurve* trc[3]
    cdef list curves = None
    if name not in _PROFILE_NAMES:
        raise _ValueError(f'failed to create CMS profile={name!r}')
    if name == 'srgb':
        return cmsCreate_sRGBProfileTHR(context.ctx)
    if name == 'xyz':
        return cmsCreateXYZProfileTHR(context.ctx)
    if name == 'null':
        return cmsCreateNULLProfileTHR(context.ctx)
    if whitepoint is not None:
        _xyy(whitepoint, &white, 'whitepoint')
        pwhite = &white
    if name == 'lab2':
        return cmsCreateLab2ProfileTHR(context.ctx, pwhite)
    if name == 'lab4':
        return cmsCreateLab4ProfileTHR(context.ctx, pwhite)
    if primaries is not None:
        _primaries(primaries, &xyys)
        pxyys = &xyys
    if name == 'gray':
        curves = _curves(context, transferfunction, gamma, 1)
        try:
            return cmsCreateGrayProfileTHR(
                context.ctx, pwhite,
                NULL if curves is None else
                <cmsToneCurve*> <size_t> curves[0])
        finally:
            _free_curves(curves)
    if name == 'rgb':
        curves = _curves(context, transferfunction, gamma, 3)
    elif name == 'linearrgb':
        # sRGB's primaries and white point, with linear transfer functions
        _srgb_primaries(&white, &xyys)
        pwhite = &white
        pxyys = &xyys
        curves = _curves(context, None, 1.0, 1)  # one, shared
    else:  # adobergb
        # Adobe RGB (1998) primaries, D65, gamma 2 51/256 (563/256)
        _srgb_primaries(&white, &xyys)
        xyys.Green.x = 0.21
        xyys.Green.y = 0.71
        pwhite = &white
        pxyys = &xyys
        curves = _curves(context, None, 563.0 / 256.0, 1)
    try:
        if curves is not None:
            for i in range(3):
                trc[i] = <cmsToneCurve*> <size_t> curves[i % len(curves)]
        return cmsCreateRGBProfileTHR(context.ctx, pwhite, pxyys,
                                      NULL if curves is None else trc)
    finally:
        _free_curves(curves)


# descriptions of the profiles lcms has no constructor of its own for
_DESCRIPTIONS = {
    'linearrgb': b'Linear RGB',
    'adobergb': b'AdobeRGB compatible built-in',
}


cdef bytes _save(_Context context, cmsHPROFILE handle):
    cdef cmsUInt32Number size = 0
    cdef bytes result
    if not cmsSaveProfileToMem(handle, NULL, &size) or size == 0:
        raise context.error('cmsSaveProfileToMem')
    result = bytes(size)
    if not cmsSaveProfileToMem(handle, <char*> result, &size):
        raise context.error('cmsSaveProfileToMem')
    return result[:size]


def cms_profile(profile, /, whitepoint=None, primaries=None,
                transferfunction=None, gamma=None):
    """Return an ICC profile as bytes.

    profile names a built-in kind: 'srgb', 'adobergb' (compatible),
    'linearrgb' (sRGB primaries, linear), 'lab2' and 'lab4' (identity Lab
    of ICC version 2 or 4; whitepoint applies), 'xyz', 'null' (None),
    'gray' (whitepoint, gamma or transferfunction apply) or 'rgb' (all of
    whitepoint x, y[, Y], primaries (6 or 9 values), gamma, and
    transferfunction: uint16 or float32 tables, one for all channels or one
    row per channel, apply). Tags not given are left out.
    Bytes of an ICC profile are checked and returned as they are.
    """
    cdef _Context context = _Context()
    cdef cmsHPROFILE handle
    cdef Input src
    if profile is None:
        profile = 'null'
    if not isinstance(profile, str):
        src = context.profile_bytes(profile)
        context.open_bytes(src)
        return src.ptr[:src.size]
    name = profile.lower()
    handle = context.keep(
        _create_profile(context, name, whitepoint, primaries,
                        transferfunction, gamma),
        'cmsCreateProfile')
    if name in _DESCRIPTIONS:
        _describe(context, handle, _DESCRIPTIONS[name])
    return _save(context, handle)


def cms_profile_validate(profile, /, verbose=False):
    """Raise CmsError if profile is not a readable ICC profile."""
    cdef _Context context = _Context(verbose)
    context.open_bytes(context.profile_bytes(profile))
    context.report()


# -- transforms ---------------------------------------------------------------

cdef tuple _colorspace(name):
    """Return the format parts of a colorspace name."""
    if not isinstance(name, str) or name.lower() not in _COLORSPACES:
        raise _ValueError(f'invalid colorspace={name!r}')
    return _COLORSPACES[name.lower()]


cdef tuple _profile_space(cmsHPROFILE handle, int extra):
    """Return the format parts of a profile's own colour space."""
    cdef cmsColorSpaceSignature sig = cmsGetColorSpace(handle)
    cdef int pt = _cmsLCMScolorSpace(sig)
    cdef int channels = cmsChannelsOfColorSpace(sig)
    if pt <= 0 or channels <= 0:
        raise CmsError(f'unsupported profile colour space {sig:#x}')
    return (pt, channels, extra, 0, 0, 0)


cdef cmsUInt32Number _format(tuple space, object dtype, bint planar):
    cdef int pt, channels, extra, doswap, swapfirst, flavor
    pt, channels, extra, doswap, swapfirst, flavor = space
    nbytes, isfloat = _DTYPES[dtype]
    return (COLORSPACE_SH(pt) | CHANNELS_SH(channels) | EXTRA_SH(extra)
            | BYTES_SH(nbytes) | FLOAT_SH(isfloat) | PLANAR_SH(planar)
            | DOSWAP_SH(doswap) | SWAPFIRST_SH(swapfirst)
            | FLAVOR_SH(flavor))


cdef object _dtype(dtype):
    try:
        dtype = numpy.dtype(dtype)
    except TypeError:
        raise _ValueError(f'dtype={dtype!r} not supported') from None
    native = dtype.newbyteorder('=')
    if native not in _DTYPES:
        raise _ValueError(f'dtype={dtype!r} not supported')
    return native


cdef cmsUInt32Number _code(value, kind, str what) except? 0xFFFFFFFF:
    """Return an intent or flags given as number, member or name."""
    if isinstance(value, str):
        try:
            return int(kind[value.upper()])
        except KeyError:
            raise _ValueError(f'invalid {what}={value!r}') from None
    value = int(value)
    if not 0 <= value <= 0xFFFFFFFF:
        raise _ValueError(f'invalid {what}={value!r}')
    return value


@cython.wraparound(True)  # shapes are sliced from their ends
def cms_transform(data, /, profile, outprofile, *, colorspace=None,
                  planar=None, outcolorspace=None, outplanar=None,
                  outdtype=None, intent=None, flags=None, verbose=None,
                  out=None):
    """Return an image transformed from one ICC profile to another.

    data is a 2-D image of one channel, or an array of pixels whose last
    axis holds the samples (planar: the third last axis, (..., c, h, w)).
    Profiles are ICC profile bytes or names of cms_profile. colorspace
    names the sample layout ('gray', 'graya', 'rgb', 'rgba', 'bgr', 'bgra',
    'argb', 'abgr', 'cmyk', 'lab', 'xyz', ...); by default that of the
    profile, with one extra channel if there is one more sample.
    outcolorspace defaults to colorspace if the output profile is of the
    same kind, else to the output profile's own with the input's extra
    channels (filled with zeros unless flags has COPY_ALPHA).
    dtype and outdtype are uint8, uint16, float16, float32 or float64;
    outdtype defaults to that of out or of data.
    """
    cdef _Context context = _Context(verbose)
    cdef cmsHPROFILE hin, hout
    cdef cmsUInt32Number informat, outformat, cintent, cflags
    cdef const uint8_t* src
    cdef uint8_t* dst
    cdef Py_ssize_t npixels, nimages, pixels_image, i, run, done
    cdef Py_ssize_t inpixel, outpixel, inplane, outplane
    cdef bint inplanar = bool(planar)
    cdef bint isplanar_out

    array = input_array(data)
    dtype = _dtype(array.dtype)
    if array.dtype != dtype:
        array = numpy.ascontiguousarray(array, dtype)
    if array.ndim < 2:
        raise _ValueError(f'invalid shape {array.shape}')
    if array.ndim == 2:
        inplanar = False
        samples = 1
        pixelshape = array.shape
    elif inplanar:
        samples = array.shape[array.ndim - 3]
        pixelshape = array.shape[:array.ndim - 3] + array.shape[-2:]
    else:
        samples = array.shape[array.ndim - 1]
        pixelshape = array.shape[:-1]

    hin = context.open(profile)
    hout = context.open(outprofile)

    # input layout and the extra channels it names
    if colorspace is None:
        space = _profile_space(hin, 0)
        space = space[:2] + (max(samples - space[1], 0),) + space[3:]
    else:
        space = _colorspace(colorspace)
    named_extra = space[2]
    if samples == space[1] + space[2] + 1 and space[2] == 0:
        space = space[:2] + (1,) + space[3:]  # an alpha channel to skip
    if space[2] > 7 or space[1] + space[2] > 16:
        # lcms formats hold at most 7 extra and 16 samples in all
        raise _ValueError(f'too many samples for colorspace={colorspace!r}')
    if samples != space[1] + space[2]:
        raise _ValueError(
            f'shape {array.shape} does not match colorspace={colorspace!r} '
            f'with {space[1] + space[2]} '
            f'{"planar" if inplanar else "contig"} samples')

    if outcolorspace is not None:
        outspace = _colorspace(outcolorspace)
    elif _profile_space(hout, 0)[0] == space[0] or (
            space[0] == PT_LabV2 and _profile_space(hout, 0)[0] == PT_Lab):
        outspace = space[:2] + (named_extra,) + space[3:]
    else:
        outspace = _profile_space(hout, named_extra)
    outsamples = outspace[1] + outspace[2]

    if outdtype is None:
        outdtype = out.dtype if isinstance(out, numpy.ndarray) else dtype
    outdtype = _dtype(outdtype)
    isplanar_out = bool(outplanar) if outplanar is not None else inplanar
    if outsamples == 1:
        isplanar_out = False

    cintent = 0 if intent is None else _code(intent, CMS.INTENT, 'intent')
    cflags = 0 if flags is None else _code(flags, CMS.FLAGS, 'flags')
    informat = _format(space, dtype, inplanar)
    outformat = _format(outspace, outdtype, isplanar_out)
    with nogil:
        context.transform = cmsCreateTransformTHR(
            context.ctx, hin, informat, hout, outformat, cintent, cflags)
    if context.transform == NULL:
        raise context.error('cmsCreateTransform')

    if outsamples == 1:
        outshape = pixelshape if samples > 1 or array.ndim == 2 else (
            array.shape)
    elif isplanar_out:
        outshape = pixelshape[:-2] + (outsamples,) + pixelshape[-2:]
    else:
        outshape = pixelshape + (outsamples,)
    given = not (fresh_output(out) or isinstance(out, int))
    result = new_array(out, tuple(outshape), outdtype, CmsError)
    if outspace[2] > 0 and not given and not (cflags & cmsFLAGS_COPY_ALPHA):
        result[...] = 0  # lcms leaves extra channels it does not copy

    npixels = array.size // samples if samples else 0
    if npixels == 0:
        context.report()
        return result

    src = <const uint8_t*> <size_t> array.ctypes.data
    dst = <uint8_t*> <size_t> result.ctypes.data
    inpixel = samples * array.itemsize
    outpixel = outsamples * result.itemsize
    if inplanar or isplanar_out:
        # one call per image: planes are as large as an image
        pixels_image = pixelshape[-1] * pixelshape[-2]
        nimages = npixels // pixels_image
        inplane = pixels_image * array.itemsize
        outplane = pixels_image * result.itemsize
        if pixels_image * max(inpixel, outpixel) > 0xFFFFFFFF:
            raise _ValueError('planar image too large for lcms')
        with nogil:
            for i in range(nimages):
                cmsDoTransformLineStride(
                    context.transform,
                    src + i * pixels_image * inpixel,
                    dst + i * pixels_image * outpixel,
                    <cmsUInt32Number> pixels_image, 1,
                    <cmsUInt32Number> (pixels_image * inpixel),
                    <cmsUInt32Number> (pixels_image * outpixel),
                    <cmsUInt32Number> inplane, <cmsUInt32Number> outplane)
    else:
        with nogil:
            done = 0
            while done < npixels:
                run = min(npixels - done, MAX_RUN)
                cmsDoTransformLineStride(
                    context.transform, src + done * inpixel,
                    dst + done * outpixel, <cmsUInt32Number> run, 1,
                    <cmsUInt32Number> (run * inpixel),
                    <cmsUInt32Number> (run * outpixel), 0, 0)
                done += run
    context.report()
    return result


cms_encode = cms_transform
cms_decode = cms_transform
