/* SPDX-License-Identifier: BSD-3-Clause */
/* HTJ2K codestreams over OpenJPH; see htj2k.h. */

#include "htj2k.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>

#include <openjph/ojph_arch.h>
#include <openjph/ojph_codestream.h>
#include <openjph/ojph_file.h>
#include <openjph/ojph_mem.h>
#include <openjph/ojph_message.h>
#include <openjph/ojph_params.h>

namespace {

/* A stream the codec refuses before OpenJPH sees more of it. */
class refused : public std::runtime_error {
  public:
    refused(ptrdiff_t status, const char *what)
        : std::runtime_error(what), status(status)
    {
    }
    ptrdiff_t status;
};

/* What OpenJPH's errors become: its default handler throws a bare
   std::runtime_error("ojph error") after printing the message. */
class library_error : public std::runtime_error {
  public:
    explicit library_error(const char *what) : std::runtime_error(what) {}
};

class throwing_handler : public ojph::message_error {
  public:
    void operator()(int code, const char *file_name, int line_num,
                    const char *fmt, ...) override
    {
        char text[400];
        va_list args;
        (void)code;
        (void)file_name;
        (void)line_num;
        va_start(args, fmt);
        vsnprintf(text, sizeof(text), fmt, args);
        va_end(args);
        throw library_error(text);
    }
};

throwing_handler error_handler;

/* Samples a stream may claim per byte of itself: far above what encoders
   reach on flat images, yet a few bytes cannot claim gigabytes. */
const uint64_t MAX_SAMPLES_PER_BYTE = (uint64_t)1 << 20;
const uint64_t MIN_BOUND_BYTES = 64;

ptrdiff_t fail(ptrdiff_t status, const char *what, char *msg, size_t msgsize)
{
    if (msg != NULL && msgsize > 0)
        snprintf(msg, msgsize, "%s", what);
    return status;
}

/* Run `body` and turn every exception into a status and message. */
template <typename Body>
ptrdiff_t guarded(ptrdiff_t library_status, char *msg, size_t msgsize,
                  Body body)
{
    try {
        return body();
    }
    catch (const refused &e) {
        return fail(e.status, e.what(), msg, msgsize);
    }
    catch (const library_error &e) {
        return fail(library_status, e.what(), msg, msgsize);
    }
    catch (const std::bad_alloc &) {
        return fail(IMCD_MEMORY, "out of memory", msg, msgsize);
    }
    catch (const std::exception &e) {
        return fail(IMCD_ERROR, e.what(), msg, msgsize);
    }
    catch (...) {
        return fail(IMCD_ERROR, "unknown OpenJPH exception", msg, msgsize);
    }
}

uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

/* Read the main header, apply skipres and check that the stream is one
   whose decoding is bounded: equal component sizes (OpenJPH's pull()
   loops forever when asked for rows a component does not have), at most
   32 bits per sample, tiles and samples in proportion to its size. */
void open_stream(ojph::codestream &cs, ojph::mem_infile &file,
                 const uint8_t *src, size_t srcsize, uint32_t skipres,
                 int resilient, imcd_htj2k_info *info)
{
    if (srcsize < 4 || src[0] != 0xFF || src[1] != 0x4F || src[2] != 0xFF ||
        src[3] != 0x51)
        throw refused(IMCD_CORRUPT,
                      "not a HTJ2K codestream (no SOC and SIZ markers)");
    file.open(src, srcsize);
    if (resilient)
        cs.enable_resilience();
    cs.read_headers(&file);

    ojph::param_siz siz = cs.access_siz();
    ojph::param_cod cod = cs.access_cod();
    const uint32_t components = siz.get_num_components();
    if (components == 0)
        throw refused(IMCD_CORRUPT, "no components");

    const ojph::point extent = siz.get_image_extent();
    const ojph::point offset = siz.get_image_offset();
    const ojph::size tile = siz.get_tile_size();
    const ojph::point tile_offset = siz.get_tile_offset();
    if (extent.x <= offset.x || extent.y <= offset.y || tile.w == 0 ||
        tile.h == 0 || tile_offset.x > offset.x ||
        tile_offset.y > offset.y)
        throw refused(IMCD_CORRUPT, "invalid image or tile geometry");
    const uint64_t tiles = ceil_div(extent.x - tile_offset.x, tile.w) *
                           ceil_div(extent.y - tile_offset.y, tile.h);
    if (tiles > 65535 || tiles > srcsize)
        throw refused(IMCD_CORRUPT, "more tiles than the stream can hold");
    const uint64_t bound =
        (srcsize > MIN_BOUND_BYTES ? srcsize : MIN_BOUND_BYTES) *
        MAX_SAMPLES_PER_BYTE;
    const uint64_t samples = (uint64_t)(extent.x - offset.x) *
                             (uint64_t)(extent.y - offset.y) * components;
    if (samples / components / (extent.y - offset.y) !=
            (uint64_t)(extent.x - offset.x) ||
        samples > bound)
        throw refused(IMCD_CORRUPT,
                      "image size out of proportion to the stream size");

    uint32_t decompositions = cod.get_num_decompositions();
    for (uint32_t c = 0; c < components; ++c) {
        uint32_t d = cod.get_num_decompositions(c);
        if (d < decompositions)
            decompositions = d;
    }
    if (skipres > decompositions)
        throw refused(IMCD_VALUE,
                      "skipres exceeds the number of decompositions");
    cs.restrict_input_resolution(skipres, skipres);

    const uint32_t width = siz.get_recon_width(0);
    const uint32_t height = siz.get_recon_height(0);
    const bool is_signed = siz.is_signed(0);
    uint32_t bits = 0;
    for (uint32_t c = 0; c < components; ++c) {
        const uint32_t b = siz.get_bit_depth(c);
        if (b < 1 || b > 32)
            throw refused(IMCD_NOT_SUPPORTED,
                          "samples of more than 32 bits not supported");
        if (siz.is_signed(c) != is_signed)
            throw refused(IMCD_NOT_SUPPORTED,
                          "mixed signed and unsigned components");
        if (siz.get_recon_width(c) != width ||
            siz.get_recon_height(c) != height)
            throw refused(IMCD_NOT_SUPPORTED,
                          "subsampled components not supported");
        if (b > bits)
            bits = b;
    }
    if (width == 0 || height == 0)
        throw refused(IMCD_CORRUPT, "empty image");

    info->width = width;
    info->height = height;
    info->components = components;
    info->bitspersample = bits;
    info->is_signed = is_signed ? 1 : 0;
    info->colortransform = cod.is_using_color_transform() ? 1 : 0;
    info->decompositions = decompositions;
}

uint32_t itemsize_of(uint32_t bits)
{
    return bits <= 8 ? 1 : bits <= 16 ? 2 : 4;
}

/* Copy one exchanged row to row `y` of component `c` of dst. */
void store_row(const ojph::line_buf *line, uint8_t *dst, uint32_t itemsize,
               const imcd_htj2k_info &info, int planar, uint32_t c,
               uint32_t y)
{
    if (!(line->flags & ojph::line_buf::LFT_32BIT) ||
        !(line->flags & ojph::line_buf::LFT_INTEGER) ||
        line->size < info.width)
        throw refused(IMCD_ERROR, "unexpected OpenJPH line buffer");
    const ojph::si32 *sp = line->i32;
    size_t start, step;
    if (planar) {
        start = ((size_t)c * info.height + y) * info.width;
        step = 1;
    }
    else {
        start = (size_t)y * info.width * info.components + c;
        step = info.components;
    }
    /* two's complement bits; unsigned 32-bit samples come as si32 too */
    if (itemsize == 1) {
        uint8_t *dp = dst + start;
        for (uint32_t x = 0; x < info.width; ++x, dp += step)
            *dp = (uint8_t)sp[x];
    }
    else if (itemsize == 2) {
        uint16_t *dp = (uint16_t *)dst + start;
        for (uint32_t x = 0; x < info.width; ++x, dp += step)
            *dp = (uint16_t)sp[x];
    }
    else {
        uint32_t *dp = (uint32_t *)dst + start;
        for (uint32_t x = 0; x < info.width; ++x, dp += step)
            *dp = (uint32_t)sp[x];
    }
}

/* Copy row `y` of component `c` of src into an exchange line. */
void load_row(ojph::line_buf *line, const uint8_t *src,
              const imcd_htj2k_params &p, uint32_t c, uint32_t y)
{
    if (!(line->flags & ojph::line_buf::LFT_32BIT) ||
        !(line->flags & ojph::line_buf::LFT_INTEGER) ||
        line->size < p.width)
        throw refused(IMCD_ERROR, "unexpected OpenJPH line buffer");
    ojph::si32 *dp = line->i32;
    size_t start, step;
    if (p.planar) {
        start = ((size_t)c * p.height + y) * p.width;
        step = 1;
    }
    else {
        start = (size_t)y * p.width * p.components + c;
        step = p.components;
    }
    if (p.itemsize == 1) {
        const uint8_t *sp = src + start;
        for (uint32_t x = 0; x < p.width; ++x, sp += step)
            dp[x] = p.is_signed ? (ojph::si32)(int8_t)*sp : (ojph::si32)*sp;
    }
    else if (p.itemsize == 2) {
        const uint16_t *sp = (const uint16_t *)src + start;
        for (uint32_t x = 0; x < p.width; ++x, sp += step)
            dp[x] = p.is_signed ? (ojph::si32)(int16_t)*sp : (ojph::si32)*sp;
    }
    else {
        const uint32_t *sp = (const uint32_t *)src + start;
        for (uint32_t x = 0; x < p.width; ++x, sp += step)
            dp[x] = (ojph::si32)*sp;
    }
}

} // namespace

extern "C" {

void imcd_htj2k_init(int verbose)
{
    ojph::configure_error(&error_handler);
    ojph::set_info_stream(verbose ? stderr : NULL);
    ojph::set_warning_stream(verbose ? stderr : NULL);
}

ptrdiff_t imcd_htj2k_decode_info(
    const uint8_t *src, size_t srcsize, uint32_t skipres, int resilient,
    imcd_htj2k_info *info, char *msg, size_t msgsize)
{
    if (src == NULL || info == NULL)
        return fail(IMCD_VALUE, "invalid argument", msg, msgsize);
    return guarded(IMCD_CORRUPT, msg, msgsize, [&]() -> ptrdiff_t {
        ojph::codestream cs;
        ojph::mem_infile file;
        open_stream(cs, file, src, srcsize, skipres, resilient, info);
        return IMCD_OK;
    });
}

ptrdiff_t imcd_htj2k_decode(
    const uint8_t *src, size_t srcsize, uint32_t skipres, int resilient,
    int planar, uint8_t *dst, size_t dstsize, char *msg, size_t msgsize)
{
    if (src == NULL || dst == NULL)
        return fail(IMCD_VALUE, "invalid argument", msg, msgsize);
    return guarded(IMCD_CORRUPT, msg, msgsize, [&]() -> ptrdiff_t {
        ojph::codestream cs;
        ojph::mem_infile file;
        imcd_htj2k_info info;
        open_stream(cs, file, src, srcsize, skipres, resilient, &info);
        const uint32_t itemsize = itemsize_of(info.bitspersample);
        const size_t nbytes = (size_t)info.width * info.height *
                              info.components * itemsize;
        if (dstsize < nbytes)
            throw refused(IMCD_OUTPUT_TOO_SMALL, "output too small");
        cs.create();
        /* pull exactly the rows the image has, in the library's order:
           the library never signals the end itself when over-asked */
        ojph::ui32 comp = 0;
        if (cs.is_planar()) {
            for (uint32_t c = 0; c < info.components; ++c)
                for (uint32_t y = 0; y < info.height; ++y) {
                    ojph::line_buf *line = cs.pull(comp);
                    if (line == NULL || comp != c)
                        throw refused(IMCD_ERROR, "unexpected row order");
                    store_row(line, dst, itemsize, info, planar, c, y);
                }
        }
        else {
            for (uint32_t y = 0; y < info.height; ++y)
                for (uint32_t c = 0; c < info.components; ++c) {
                    ojph::line_buf *line = cs.pull(comp);
                    if (line == NULL || comp != c)
                        throw refused(IMCD_ERROR, "unexpected row order");
                    store_row(line, dst, itemsize, info, planar, c, y);
                }
        }
        return (ptrdiff_t)nbytes;
    });
}

ptrdiff_t imcd_htj2k_encode(
    const void *src, size_t srcsize, const imcd_htj2k_params *params,
    uint8_t **dst, char *msg, size_t msgsize)
{
    if (src == NULL || params == NULL || dst == NULL)
        return fail(IMCD_VALUE, "invalid argument", msg, msgsize);
    *dst = NULL;
    const imcd_htj2k_params &p = *params;
    if (p.width == 0 || p.height == 0 || p.components == 0 ||
        p.components > 16384 ||
        (p.itemsize != 1 && p.itemsize != 2 && p.itemsize != 4))
        return fail(IMCD_VALUE, "invalid image geometry or sample size",
                    msg, msgsize);
    if ((uint64_t)p.width * p.height * p.components * p.itemsize >
        (uint64_t)srcsize)
        return fail(IMCD_VALUE, "input smaller than the image", msg,
                    msgsize);
    return guarded(IMCD_VALUE, msg, msgsize, [&]() -> ptrdiff_t {
        ojph::codestream cs;
        ojph::param_siz siz = cs.access_siz();
        siz.set_image_extent(ojph::point(p.width, p.height));
        siz.set_image_offset(ojph::point(0, 0));
        siz.set_tile_size(
            ojph::size(p.tilewidth ? p.tilewidth : p.width,
                       p.tileheight ? p.tileheight : p.height));
        siz.set_tile_offset(ojph::point(0, 0));
        siz.set_num_components(p.components);
        for (uint32_t c = 0; c < p.components; ++c)
            siz.set_component(c, ojph::point(1, 1), 8 * p.itemsize,
                              p.is_signed != 0);

        ojph::param_cod cod = cs.access_cod();
        if (p.decompositions >= 0)
            cod.set_num_decomposition((ojph::ui32)p.decompositions);
        cod.set_color_transform(p.colortransform != 0);
        cod.set_reversible(p.reversible != 0);
        if (!p.reversible && p.quantstep > 0)
            cs.access_qcd().set_irrev_quant(p.quantstep);
        /* the colour transform needs all components of a row at once */
        cs.set_planar(p.colortransform == 0);
        cs.set_tilepart_divisions((p.tilepart & 1) != 0,
                                  (p.tilepart & 2) != 0);
        cs.request_tlm_marker(p.tlm != 0);

        ojph::mem_outfile out;
        out.open();
        cs.write_headers(&out);
        const uint8_t *samples = (const uint8_t *)src;
        ojph::ui32 comp = 0;
        ojph::line_buf *line = cs.exchange(NULL, comp);
        if (cs.is_planar()) {
            for (uint32_t c = 0; c < p.components; ++c)
                for (uint32_t y = 0; y < p.height; ++y) {
                    if (line == NULL || comp != c)
                        throw refused(IMCD_ERROR, "unexpected row order");
                    load_row(line, samples, p, c, y);
                    line = cs.exchange(line, comp);
                }
        }
        else {
            for (uint32_t y = 0; y < p.height; ++y)
                for (uint32_t c = 0; c < p.components; ++c) {
                    if (line == NULL || comp != c)
                        throw refused(IMCD_ERROR, "unexpected row order");
                    load_row(line, samples, p, c, y);
                    line = cs.exchange(line, comp);
                }
        }
        cs.flush();
        const size_t size = out.get_used_size();
        uint8_t *result = (uint8_t *)malloc(size ? size : 1);
        if (result == NULL)
            throw std::bad_alloc();
        memcpy(result, out.get_data(), size);
        *dst = result;
        return (ptrdiff_t)size;
    });
}

} // extern "C"
