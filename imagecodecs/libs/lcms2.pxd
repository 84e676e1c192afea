# SPDX-License-Identifier: BSD-3-Clause
# C declarations of Little CMS 2 (lcms2.h) used by imagecodecs.

cdef extern from 'lcms2.h' nogil:
    int LCMS_VERSION

    ctypedef unsigned char cmsUInt8Number
    ctypedef unsigned short cmsUInt16Number
    ctypedef unsigned int cmsUInt32Number
    ctypedef int cmsInt32Number
    ctypedef float cmsFloat32Number
    ctypedef double cmsFloat64Number
    ctypedef int cmsBool

    ctypedef void* cmsContext
    ctypedef void* cmsHPROFILE
    ctypedef void* cmsHTRANSFORM

    ctypedef struct cmsToneCurve:
        pass

    ctypedef struct cmsMLU:
        pass

    ctypedef struct cmsCIExyY:
        cmsFloat64Number x
        cmsFloat64Number y
        cmsFloat64Number Y

    ctypedef struct cmsCIExyYTRIPLE:
        cmsCIExyY Red
        cmsCIExyY Green
        cmsCIExyY Blue

    ctypedef unsigned int cmsColorSpaceSignature
    ctypedef unsigned int cmsProfileClassSignature
    ctypedef unsigned int cmsTagSignature

    cmsTagSignature cmsSigProfileDescriptionTag
    cmsTagSignature cmsSigCopyrightTag

    # pixel types
    int PT_ANY
    int PT_GRAY
    int PT_RGB
    int PT_CMY
    int PT_CMYK
    int PT_YCbCr
    int PT_YUV
    int PT_XYZ
    int PT_Lab
    int PT_YUVK
    int PT_HSV
    int PT_HLS
    int PT_Yxy
    int PT_MCH1
    int PT_MCH2
    int PT_MCH3
    int PT_MCH4
    int PT_MCH5
    int PT_MCH6
    int PT_MCH7
    int PT_MCH8
    int PT_MCH9
    int PT_MCH10
    int PT_MCH11
    int PT_MCH12
    int PT_MCH13
    int PT_MCH14
    int PT_MCH15
    int PT_LabV2

    # parts of a pixel format (the TYPE_* macros are built from these)
    cmsUInt32Number FLOAT_SH(cmsUInt32Number)
    cmsUInt32Number COLORSPACE_SH(cmsUInt32Number)
    cmsUInt32Number SWAPFIRST_SH(cmsUInt32Number)
    cmsUInt32Number FLAVOR_SH(cmsUInt32Number)
    cmsUInt32Number PLANAR_SH(cmsUInt32Number)
    cmsUInt32Number DOSWAP_SH(cmsUInt32Number)
    cmsUInt32Number EXTRA_SH(cmsUInt32Number)
    cmsUInt32Number CHANNELS_SH(cmsUInt32Number)
    cmsUInt32Number BYTES_SH(cmsUInt32Number)

    int INTENT_PERCEPTUAL
    int INTENT_RELATIVE_COLORIMETRIC
    int INTENT_SATURATION
    int INTENT_ABSOLUTE_COLORIMETRIC

    int cmsFLAGS_NOCACHE
    int cmsFLAGS_NOOPTIMIZE
    int cmsFLAGS_NULLTRANSFORM
    int cmsFLAGS_GAMUTCHECK
    int cmsFLAGS_SOFTPROOFING
    int cmsFLAGS_BLACKPOINTCOMPENSATION
    int cmsFLAGS_NOWHITEONWHITEFIXUP
    int cmsFLAGS_HIGHRESPRECALC
    int cmsFLAGS_LOWRESPRECALC
    int cmsFLAGS_8BITS_DEVICELINK
    int cmsFLAGS_GUESSDEVICECLASS
    int cmsFLAGS_KEEP_SEQUENCE
    int cmsFLAGS_FORCE_CLUT
    int cmsFLAGS_CLUT_POST_LINEARIZATION
    int cmsFLAGS_CLUT_PRE_LINEARIZATION
    int cmsFLAGS_NONEGATIVES
    int cmsFLAGS_COPY_ALPHA
    int cmsFLAGS_NODEFAULTRESOURCEDEF

    ctypedef void (*cmsLogErrorHandlerFunction)(
        cmsContext ContextID,
        cmsUInt32Number ErrorCode,
        const char* Text
    ) noexcept nogil

    int cmsGetEncodedCMMversion()
    cmsBool cmsWhitePointFromTemp(cmsCIExyY* WhitePoint,
                                  cmsFloat64Number TempK)

    cmsContext cmsCreateContext(void* Plugin, void* UserData)
    void cmsDeleteContext(cmsContext ContextID)
    void* cmsGetContextUserData(cmsContext ContextID)
    void cmsSetLogErrorHandlerTHR(cmsContext ContextID,
                                  cmsLogErrorHandlerFunction Fn)

    cmsToneCurve* cmsBuildGamma(cmsContext ContextID, cmsFloat64Number Gamma)
    cmsToneCurve* cmsBuildTabulatedToneCurve16(
        cmsContext ContextID,
        cmsUInt32Number nEntries,
        const cmsUInt16Number* values
    )
    cmsToneCurve* cmsBuildTabulatedToneCurveFloat(
        cmsContext ContextID,
        cmsUInt32Number nEntries,
        const cmsFloat32Number* values
    )
    void cmsFreeToneCurve(cmsToneCurve* Curve)

    cmsMLU* cmsMLUalloc(cmsContext ContextID, cmsUInt32Number nItems)
    void cmsMLUfree(cmsMLU* mlu)
    cmsBool cmsMLUsetASCII(cmsMLU* mlu, const char* LanguageCode,
                           const char* CountryCode, const char* ASCIIString)

    cmsBool cmsWriteTag(cmsHPROFILE hProfile, cmsTagSignature sig,
                        const void* data)

    cmsColorSpaceSignature cmsGetPCS(cmsHPROFILE hProfile)
    cmsColorSpaceSignature cmsGetColorSpace(cmsHPROFILE hProfile)
    cmsProfileClassSignature cmsGetDeviceClass(cmsHPROFILE hProfile)
    int _cmsLCMScolorSpace(cmsColorSpaceSignature ProfileSpace)
    cmsInt32Number cmsChannelsOfColorSpace(
        cmsColorSpaceSignature ColorSpace
    )

    cmsHPROFILE cmsOpenProfileFromMemTHR(cmsContext ContextID,
                                         const void* MemPtr,
                                         cmsUInt32Number dwSize)
    cmsBool cmsCloseProfile(cmsHPROFILE hProfile)
    cmsBool cmsSaveProfileToMem(cmsHPROFILE hProfile, void* MemPtr,
                                cmsUInt32Number* BytesNeeded)

    cmsHPROFILE cmsCreateRGBProfileTHR(
        cmsContext ContextID,
        const cmsCIExyY* WhitePoint,
        const cmsCIExyYTRIPLE* Primaries,
        cmsToneCurve* const* TransferFunction
    )
    cmsHPROFILE cmsCreateGrayProfileTHR(
        cmsContext ContextID,
        const cmsCIExyY* WhitePoint,
        const cmsToneCurve* TransferFunction
    )
    cmsHPROFILE cmsCreateLab2ProfileTHR(cmsContext ContextID,
                                        const cmsCIExyY* WhitePoint)
    cmsHPROFILE cmsCreateLab4ProfileTHR(cmsContext ContextID,
                                        const cmsCIExyY* WhitePoint)
    cmsHPROFILE cmsCreateXYZProfileTHR(cmsContext ContextID)
    cmsHPROFILE cmsCreate_sRGBProfileTHR(cmsContext ContextID)
    cmsHPROFILE cmsCreateNULLProfileTHR(cmsContext ContextID)

    cmsHTRANSFORM cmsCreateTransformTHR(
        cmsContext ContextID,
        cmsHPROFILE Input,
        cmsUInt32Number InputFormat,
        cmsHPROFILE Output,
        cmsUInt32Number OutputFormat,
        cmsUInt32Number Intent,
        cmsUInt32Number dwFlags
    )
    void cmsDeleteTransform(cmsHTRANSFORM hTransform)
    void cmsDoTransformLineStride(
        cmsHTRANSFORM Transform,
        const void* InputBuffer,
        void* OutputBuffer,
        cmsUInt32Number PixelsPerLine,
        cmsUInt32Number LineCount,
        cmsUInt32Number BytesPerLineIn,
        cmsUInt32Number BytesPerLineOut,
        cmsUInt32Number BytesPerPlaneIn,
        cmsUInt32Number BytesPerPlaneOut
    )
