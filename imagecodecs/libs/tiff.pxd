# SPDX-License-Identifier: BSD-3-Clause
# C declarations of libtiff (tiffio.h) used by imagecodecs, and of our
# in-memory client I/O over it (_c/tiffmem.h).

from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t, int64_t

cdef extern from 'tiffio.h' nogil:
    int TIFFLIB_VERSION
    # 'struct tiff' is TIFF: the name TIFF is the module's constants class
    cdef struct tiff:
        pass
    ctypedef int64_t tmsize_t
    ctypedef uint32_t tdir_t
    ctypedef void (*TIFFErrorHandler)(const char*, const char*, ...)

    const char* TIFFGetVersion()
    TIFFErrorHandler TIFFSetErrorHandler(TIFFErrorHandler)
    TIFFErrorHandler TIFFSetWarningHandler(TIFFErrorHandler)
    int TIFFGetField(tiff*, uint32_t, ...)
    int TIFFSetField(tiff*, uint32_t, ...)
    int TIFFSetDirectory(tiff*, tdir_t)
    int TIFFReadDirectory(tiff*)
    tdir_t TIFFNumberOfDirectories(tiff*)
    int TIFFIsByteSwapped(tiff*)
    int TIFFIsBigEndian(tiff*)
    int TIFFIsBigTIFF(tiff*)
    int TIFFIsCODECConfigured(uint16_t)

    int TIFFTAG_SUBFILETYPE
    int TIFFTAG_IMAGEWIDTH
    int TIFFTAG_IMAGELENGTH
    int TIFFTAG_BITSPERSAMPLE
    int TIFFTAG_COMPRESSION
    int TIFFTAG_PHOTOMETRIC
    int TIFFTAG_IMAGEDESCRIPTION
    int TIFFTAG_SAMPLESPERPIXEL
    int TIFFTAG_ROWSPERSTRIP
    int TIFFTAG_XRESOLUTION
    int TIFFTAG_YRESOLUTION
    int TIFFTAG_PLANARCONFIG
    int TIFFTAG_RESOLUTIONUNIT
    int TIFFTAG_SOFTWARE
    int TIFFTAG_DATETIME
    int TIFFTAG_PREDICTOR
    int TIFFTAG_COLORMAP
    int TIFFTAG_TILEWIDTH
    int TIFFTAG_TILELENGTH
    int TIFFTAG_EXTRASAMPLES
    int TIFFTAG_SAMPLEFORMAT
    int TIFFTAG_ICCPROFILE
    int TIFFTAG_ZIPQUALITY
    int TIFFTAG_JPEGQUALITY
    int TIFFTAG_JPEGCOLORMODE
    int TIFFTAG_LZMAPRESET
    int TIFFTAG_ZSTD_LEVEL
    int TIFFTAG_WEBP_LEVEL
    int TIFFTAG_WEBP_LOSSLESS
    int TIFFTAG_LERC_MAXZERROR
    int TIFFTAG_LERC_ADD_COMPRESSION
    int TIFFTAG_YCBCRSUBSAMPLING
    int JPEGCOLORMODE_RGB
    int LERC_ADD_COMPRESSION_NONE
    int LERC_ADD_COMPRESSION_DEFLATE
    int LERC_ADD_COMPRESSION_ZSTD


cdef extern from 'tiffmem.h' nogil:
    int IMCD_TIFF_MESSAGE

    ctypedef struct imcd_tiff:
        tiff* tif
        uint8_t* data
        size_t size
        int verbose
        char* error
        char* warnings

    ctypedef struct imcd_tiff_page:
        uint32_t width, length, depth
        uint32_t tilewidth, tilelength, tiledepth
        uint32_t rowsperstrip
        uint16_t samples, bitspersample, sampleformat, planarconfig
        uint16_t photometric, compression
        uint16_t ycbcrsub[2]
        int tiled

    Py_ssize_t imcd_tiff_open(imcd_tiff* h, const uint8_t* data, size_t size,
                              const char* mode, int64_t maxalloc, int verbose)
    void imcd_tiff_close(imcd_tiff* h)
    void imcd_tiff_free(imcd_tiff* h)
    Py_ssize_t imcd_tiff_page_info(imcd_tiff* h, imcd_tiff_page* page)
    int64_t imcd_tiff_segment_size(const imcd_tiff_page* page)
    Py_ssize_t imcd_tiff_read_page(imcd_tiff* h, const imcd_tiff_page* page,
                                   int itemsize, uint8_t* dst,
                                   Py_ssize_t dstsize)
    Py_ssize_t imcd_tiff_read_rgba(imcd_tiff* h, uint32_t width,
                                   uint32_t length, uint8_t* dst,
                                   Py_ssize_t dstsize)
    Py_ssize_t imcd_tiff_write_page(imcd_tiff* h, const imcd_tiff_page* page,
                                    int itemsize, const uint8_t* src,
                                    Py_ssize_t srcsize)
