/* The plot module's canvas (plot_internal.h): one drawing interface, two back ends.
 * SVG is text imbal writes itself, element by element, into a growing buffer: labels stay
 * <text> (searchable, inline-able in HTML, no font embedded), where cairo's SVG surface turns
 * glyphs into paths, and no library is needed for it. PNG is a cairo image surface (ARGB32,
 * antialiased), encoded by cairo's PNG writer into memory. Both are then written with
 * imbal_write_atomic (a temporary name, then rename) and/or handed back as bytes.
 * Without cairo (IMBAL_HAVE_CAIRO undefined: the build found no libcairo2-dev) PNG is refused
 * with EUNSUP; everything else is the same. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef IMBAL_HAVE_CAIRO
#include <cairo.h>
#endif

#include "alloc.h"
#include "plot_internal.h"
#include "strbuf.h"

#define CANVAS_PI 3.14159265358979323846

struct imbal_canvas {
    imbal_plot_format format;
    int width, height;
    imbal_buf svg; /* SVG: the document so far */
#ifdef IMBAL_HAVE_CAIRO
    cairo_surface_t *surface;
    cairo_t *cr;
#endif
    int failed; /* an allocation failed while drawing */
};

/* A growable byte buffer for cairo's PNG stream (binary, so not imbal_buf). */
typedef struct {
    unsigned char *s;
    size_t len, cap;
    int failed;
} canvas_bytes;

int imbal_plot_have_png(void)
{
#ifdef IMBAL_HAVE_CAIRO
    return 1;
#else
    return 0;
#endif
}

imbal_status imbal_canvas_new(const imbal_plot_params *p, imbal_canvas **out, imbal_error *err)
{
    *out = NULL;
    if (p->width < 16 || p->width > 10000 || p->height < 16 || p->height > 10000) {
        return imbal_fail(err, IMBAL_EINVAL, "figure size %d x %d is outside 16..10000", p->width,
                          p->height);
    }
    if (p->path == NULL && p->data == NULL) {
        return imbal_fail(err, IMBAL_EINVAL, "figure has no output: set path or data");
    }
    if (p->data != NULL && p->len == NULL) {
        return imbal_fail(err, IMBAL_EINVAL, "figure data asked for without len");
    }
    if (p->format != IMBAL_PLOT_SVG && p->format != IMBAL_PLOT_PNG) {
        return imbal_fail(err, IMBAL_EINVAL, "unknown figure format %d", (int)p->format);
    }
#ifndef IMBAL_HAVE_CAIRO
    if (p->format == IMBAL_PLOT_PNG) {
        return imbal_fail(err, IMBAL_EUNSUP,
                          "PNG figures need cairo: install libcairo2-dev and rebuild "
                          "(rm -f build/*/config.mk; make); SVG works without it");
    }
#endif
    imbal_canvas *c = imbal_calloc(1, sizeof(*c));
    if (c == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for a figure");
    }
    c->format = p->format;
    c->width = p->width;
    c->height = p->height;
    if (p->format == IMBAL_PLOT_SVG) {
        imbal_buf_printf(&c->svg,
                         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                         "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Verdana, "
                         "sans-serif\">\n<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
                         p->width, p->height, p->width, p->height, p->width, p->height);
        c->failed |= c->svg.failed;
    }
#ifdef IMBAL_HAVE_CAIRO
    else {
        c->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, p->width, p->height);
        c->cr = cairo_create(c->surface);
        if (cairo_status(c->cr) != CAIRO_STATUS_SUCCESS) {
            imbal_canvas_free(c);
            return imbal_fail(err, IMBAL_ENOMEM, "cairo could not make a %d x %d surface", p->width,
                              p->height);
        }
        cairo_set_source_rgb(c->cr, 1.0, 1.0, 1.0);
        cairo_paint(c->cr);
        cairo_select_font_face(c->cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                               CAIRO_FONT_WEIGHT_NORMAL);
    }
#endif
    *out = c;
    return IMBAL_OK;
}

void imbal_canvas_free(imbal_canvas *c)
{
    if (c == NULL) {
        return;
    }
    imbal_buf_free(&c->svg);
#ifdef IMBAL_HAVE_CAIRO
    if (c->cr != NULL) {
        cairo_destroy(c->cr);
    }
    if (c->surface != NULL) {
        cairo_surface_destroy(c->surface);
    }
#endif
    free(c);
}

static void canvas_hex(char out[8], imbal_rgb col)
{
    snprintf(out, 8, "#%02x%02x%02x", col.r, col.g, col.b);
}

static const char *canvas_dash_svg(int dash)
{
    switch (dash) {
    case IMBAL_DASH_DASHED:
        return " stroke-dasharray=\"7 4\"";
    case IMBAL_DASH_DOTTED:
        return " stroke-dasharray=\"2 3\"";
    default:
        return "";
    }
}

static void canvas_points_svg(imbal_buf *b, const double *x, const double *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        imbal_buf_printf(b, "%s%.2f,%.2f", i == 0 ? "" : " ", x[i], y[i]);
    }
}

#ifdef IMBAL_HAVE_CAIRO
static void canvas_source(cairo_t *cr, imbal_rgb col, double alpha)
{
    cairo_set_source_rgba(cr, col.r / 255.0, col.g / 255.0, col.b / 255.0, alpha);
}

static void canvas_path(cairo_t *cr, const double *x, const double *y, size_t n)
{
    cairo_new_path(cr);
    for (size_t i = 0; i < n; i++) {
        if (i == 0) {
            cairo_move_to(cr, x[i], y[i]);
        } else {
            cairo_line_to(cr, x[i], y[i]);
        }
    }
}
#endif

void imbal_canvas_line(imbal_canvas *c, const double *x, const double *y, size_t n, imbal_rgb col,
                       double width, int dash)
{
    if (n < 2) {
        return;
    }
    if (c->format == IMBAL_PLOT_SVG) {
        char hex[8];
        canvas_hex(hex, col);
        imbal_buf_printf(&c->svg,
                         "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%.2f\""
                         " stroke-linejoin=\"round\"%s points=\"",
                         hex, width, canvas_dash_svg(dash));
        canvas_points_svg(&c->svg, x, y, n);
        imbal_buf_printf(&c->svg, "\"/>\n");
        c->failed |= c->svg.failed;
        return;
    }
#ifdef IMBAL_HAVE_CAIRO
    static const double dashed[] = {7.0, 4.0};
    static const double dotted[] = {2.0, 3.0};
    canvas_path(c->cr, x, y, n);
    canvas_source(c->cr, col, 1.0);
    cairo_set_line_width(c->cr, width);
    cairo_set_line_join(c->cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_dash(c->cr, dash == IMBAL_DASH_DASHED ? dashed : dotted,
                   dash == IMBAL_DASH_SOLID ? 0 : 2, 0.0);
    cairo_stroke(c->cr);
    cairo_set_dash(c->cr, NULL, 0, 0.0);
#endif
}

void imbal_canvas_fill(imbal_canvas *c, const double *x, const double *y, size_t n, imbal_rgb col,
                       double alpha)
{
    if (n < 3) {
        return;
    }
    if (c->format == IMBAL_PLOT_SVG) {
        char hex[8];
        canvas_hex(hex, col);
        imbal_buf_printf(&c->svg,
                         "<polygon fill=\"%s\" fill-opacity=\"%.3f\" stroke=\"none\""
                         " points=\"",
                         hex, alpha);
        canvas_points_svg(&c->svg, x, y, n);
        imbal_buf_printf(&c->svg, "\"/>\n");
        c->failed |= c->svg.failed;
        return;
    }
#ifdef IMBAL_HAVE_CAIRO
    canvas_path(c->cr, x, y, n);
    cairo_close_path(c->cr);
    canvas_source(c->cr, col, alpha);
    cairo_fill(c->cr);
#endif
}

void imbal_canvas_rect(imbal_canvas *c, double x, double y, double w, double h, imbal_rgb col,
                       int outline)
{
    if (c->format == IMBAL_PLOT_SVG) {
        char hex[8];
        canvas_hex(hex, col);
        imbal_buf_printf(
            &c->svg, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"%s/>\n",
            x, y, w, h, hex, outline ? " stroke=\"#000000\" stroke-width=\"1\"" : "");
        c->failed |= c->svg.failed;
        return;
    }
#ifdef IMBAL_HAVE_CAIRO
    cairo_new_path(c->cr);
    cairo_rectangle(c->cr, x, y, w, h);
    canvas_source(c->cr, col, 1.0);
    if (outline) {
        cairo_fill_preserve(c->cr);
        canvas_source(c->cr, imbal_black, 1.0);
        cairo_set_line_width(c->cr, 1.0);
        cairo_stroke(c->cr);
    } else {
        cairo_fill(c->cr);
    }
#endif
}

/* s with & < > " escaped, for SVG text (XML); ill-formed UTF-8 was repaired before. */
static void canvas_xml_text(imbal_buf *b, const char *s)
{
    for (const char *p = s; *p != '\0'; p++) {
        switch (*p) {
        case '&':
            imbal_buf_printf(b, "&amp;");
            break;
        case '<':
            imbal_buf_printf(b, "&lt;");
            break;
        case '>':
            imbal_buf_printf(b, "&gt;");
            break;
        case '"':
            imbal_buf_printf(b, "&quot;");
            break;
        default:
            /* XML 1.0 forbids most control characters even as references: drop them */
            if ((unsigned char)*p >= 0x20 || *p == '\t') {
                imbal_buf_printf(b, "%c", *p);
            }
        }
    }
}

void imbal_canvas_text(imbal_canvas *c, double x, double y, const char *s, double size, int anchor,
                       double angle, int bold, imbal_rgb col)
{
    char *text = imbal_utf8_repair(s);
    if (text == NULL) {
        c->failed = 1;
        return;
    }
    if (c->format == IMBAL_PLOT_SVG) {
        static const char *const anchors[] = {"start", "middle", "end"};
        char hex[8];
        canvas_hex(hex, col);
        imbal_buf_printf(&c->svg, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\" fill=\"%s\"", x,
                         y, size, hex);
        if (anchor != IMBAL_ANCHOR_START) {
            imbal_buf_printf(&c->svg, " text-anchor=\"%s\"", anchors[anchor]);
        }
        if (bold) {
            imbal_buf_printf(&c->svg, " font-weight=\"bold\"");
        }
        if (angle != 0.0) {
            imbal_buf_printf(&c->svg, " transform=\"rotate(%.2f %.2f %.2f)\"", -angle, x, y);
        }
        imbal_buf_printf(&c->svg, ">");
        canvas_xml_text(&c->svg, text);
        imbal_buf_printf(&c->svg, "</text>\n");
        c->failed |= c->svg.failed;
    }
#ifdef IMBAL_HAVE_CAIRO
    else {
        cairo_text_extents_t ext;
        cairo_save(c->cr);
        cairo_select_font_face(c->cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(c->cr, size);
        cairo_text_extents(c->cr, text, &ext);
        cairo_translate(c->cr, x, y);
        cairo_rotate(c->cr, -angle * CANVAS_PI / 180.0);
        double dx = anchor == IMBAL_ANCHOR_MIDDLE ? -ext.x_advance / 2.0
                    : anchor == IMBAL_ANCHOR_END  ? -ext.x_advance
                                                  : 0.0;
        cairo_move_to(c->cr, dx, 0.0);
        canvas_source(c->cr, col, 1.0);
        cairo_show_text(c->cr, text);
        cairo_restore(c->cr);
    }
#endif
    free(text);
}

#ifdef IMBAL_HAVE_CAIRO
static cairo_status_t canvas_png_write(void *closure, const unsigned char *data,
                                       unsigned int length)
{
    canvas_bytes *b = closure;
    if (b->len + length > b->cap) {
        size_t cap = b->cap == 0 ? 65536 : b->cap;
        while (cap < b->len + length) {
            cap *= 2;
        }
        unsigned char *s = imbal_realloc(b->s, cap, 1);
        if (s == NULL) {
            b->failed = 1;
            return CAIRO_STATUS_NO_MEMORY;
        }
        b->s = s;
        b->cap = cap;
    }
    memcpy(b->s + b->len, data, length);
    b->len += length;
    return CAIRO_STATUS_SUCCESS;
}
#endif

imbal_status imbal_canvas_finish(imbal_canvas *c, const imbal_plot_params *p, imbal_error *err)
{
    const char *bytes = NULL;
    size_t len = 0;
    canvas_bytes png = {NULL, 0, 0, 0};
    imbal_status st = IMBAL_OK;
    if (c->format == IMBAL_PLOT_SVG) {
        imbal_buf_printf(&c->svg, "</svg>\n");
        c->failed |= c->svg.failed;
        bytes = c->svg.s;
        len = c->svg.len;
    }
#ifdef IMBAL_HAVE_CAIRO
    else {
        cairo_surface_flush(c->surface);
        cairo_status_t cs = cairo_status(c->cr);
        if (cs == CAIRO_STATUS_SUCCESS) {
            cs = cairo_surface_write_to_png_stream(c->surface, canvas_png_write, &png);
        }
        if (cs != CAIRO_STATUS_SUCCESS && !png.failed && !c->failed) {
            st = imbal_fail(err, cs == CAIRO_STATUS_NO_MEMORY ? IMBAL_ENOMEM : IMBAL_EIO,
                            "cairo could not draw the figure: %s", cairo_status_to_string(cs));
            goto cleanup;
        }
        c->failed |= png.failed;
        bytes = (const char *)png.s;
        len = png.len;
    }
#endif
    if (c->failed || bytes == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory drawing a figure");
        goto cleanup;
    }
    if (p->path != NULL) {
        st = imbal_write_atomic(p->path, bytes, len, err);
        if (st != IMBAL_OK) {
            imbal_error_set_file(err, p->path);
            goto cleanup;
        }
    }
    if (p->data != NULL) {
        char *copy = imbal_malloc(len + 1, 1);
        if (copy == NULL) {
            st = imbal_fail(err, IMBAL_ENOMEM, "out of memory copying a figure");
            goto cleanup;
        }
        memcpy(copy, bytes, len);
        copy[len] = '\0';
        *p->data = copy;
        *p->len = len;
    }
cleanup:
    free(png.s);
    return st;
}

double imbal_text_width(const char *s, double size)
{
    size_t chars = 0;
    for (const unsigned char *q = (const unsigned char *)s; *q != '\0'; q++) {
        chars += (*q & 0xC0) != 0x80; /* count code points, not bytes */
    }
    return 0.6 * size * (double)chars;
}
