# SPDX-License-Identifier: BSD-3-Clause
# C declarations of giflib (gif_lib.h) used by imagecodecs.

cdef extern from 'gif_lib.h' nogil:
    int GIFLIB_MAJOR
    int GIFLIB_MINOR
    int GIFLIB_RELEASE
    int GIF_ERROR
    int GIF_OK
    int NO_TRANSPARENT_COLOR
    int DISPOSE_BACKGROUND
    int DISPOSE_PREVIOUS

    ctypedef unsigned char GifByteType
    ctypedef unsigned char GifPixelType
    ctypedef int GifWord

    ctypedef struct GifColorType:
        GifByteType Red
        GifByteType Green
        GifByteType Blue

    ctypedef struct ColorMapObject:
        int ColorCount
        int BitsPerPixel
        bint SortFlag
        GifColorType* Colors

    ctypedef struct GifImageDesc:
        GifWord Left
        GifWord Top
        GifWord Width
        GifWord Height
        bint Interlace
        ColorMapObject* ColorMap

    ctypedef struct SavedImage:
        GifImageDesc ImageDesc
        GifByteType* RasterBits
        int ExtensionBlockCount

    ctypedef struct GifFileType:
        GifWord SWidth
        GifWord SHeight
        GifWord SColorResolution
        GifWord SBackGroundColor
        ColorMapObject* SColorMap
        int ImageCount
        SavedImage* SavedImages
        int Error
        void* UserData

    ctypedef struct GraphicsControlBlock:
        int DisposalMode
        bint UserInputFlag
        int DelayTime
        int TransparentColor

    ctypedef int (*InputFunc)(GifFileType*, GifByteType*, int) noexcept nogil
    ctypedef int (*OutputFunc)(GifFileType*, const GifByteType*,
                               int) noexcept nogil

    GifFileType* DGifOpen(void* userPtr, InputFunc readFunc, int* Error)
    int DGifSlurp(GifFileType* GifFile)
    int DGifCloseFile(GifFileType* GifFile, int* ErrorCode)
    int DGifSavedExtensionToGCB(GifFileType* GifFile, int ImageIndex,
                                GraphicsControlBlock* GCB)

    GifFileType* EGifOpen(void* userPtr, OutputFunc writeFunc, int* Error)
    void EGifSetGifVersion(GifFileType* GifFile, bint gif89)
    int EGifPutScreenDesc(GifFileType* GifFile, int GifWidth, int GifHeight,
                          int GifColorRes, int GifBackGround,
                          const ColorMapObject* GifColorMap)
    int EGifPutImageDesc(GifFileType* GifFile, int GifLeft, int GifTop,
                         int GifWidth, int GifHeight, bint GifInterlace,
                         const ColorMapObject* GifColorMap)
    int EGifPutLine(GifFileType* GifFile, GifPixelType* GifLine,
                    int GifLineLen)
    int EGifCloseFile(GifFileType* GifFile, int* ErrorCode)

    ColorMapObject* GifMakeMapObject(int ColorCount,
                                     const GifColorType* ColorMap)
    void GifFreeMapObject(ColorMapObject* Object)
    const char* GifErrorString(int ErrorCode)
