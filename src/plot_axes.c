/* What every figure of the plot module shares (plot_internal.h): the Okabe-Ito palette, the
 * mapping of a data range to a plot area, "nice" tick steps (1, 2, 2.5, 5 x 10^k, as most
 * plotting programs choose), the axes with their grid and labels, the legend and the title.
 * Layout is computed from estimated text widths, so the SVG and PNG back ends agree. */
#include <math.h>
#include <string.h>

#include "plot_internal.h"

/* Okabe & Ito (2008), "Color Universal Design": blue, vermillion, bluish green, orange,
 * reddish purple, sky blue, black, yellow (last: the weakest on white). */
static const imbal_rgb axes_palette[8] = {
    {0x00, 0x72, 0xB2}, {0xD5, 0x5E, 0x00}, {0x00, 0x9E, 0x73}, {0xE6, 0x9F, 0x00},
    {0xCC, 0x79, 0xA7}, {0x56, 0xB4, 0xE9}, {0x00, 0x00, 0x00}, {0xF0, 0xE4, 0x42},
};

const imbal_rgb imbal_black = {0x00, 0x00, 0x00};
const imbal_rgb imbal_grey = {0x77, 0x77, 0x77};
const imbal_rgb imbal_light = {0xE4, 0xE4, 0xE4};

imbal_rgb imbal_plot_colour(size_t i) { return axes_palette[i % 8]; }

int imbal_plot_dash(size_t i) { return (int)((i / 8) % 3); /* solid, then dashed, then dotted */ }

void imbal_plot_params_default(imbal_plot_params *p)
{
    memset(p, 0, sizeof(*p));
    p->format = IMBAL_PLOT_SVG;
    p->width = 800;
    p->height = 560;
    p->font_size = 14.0;
}

imbal_status imbal_plot_check_params(const imbal_plot_params *p, imbal_error *err)
{
    if (p == NULL) {
        return imbal_fail(err, IMBAL_EINVAL, "figure parameters are NULL");
    }
    if (!(p->font_size >= 4.0 && p->font_size <= 200.0)) {
        return imbal_fail(err, IMBAL_EINVAL, "font size %g is outside 4..200", p->font_size);
    }
    return IMBAL_OK;
}

double imbal_plot_title(imbal_canvas *c, const imbal_plot_params *p)
{
    if (p->title == NULL || p->title[0] == '\0') {
        return 0.0;
    }
    double size = p->font_size * 1.15;
    imbal_canvas_text(c, p->width / 2.0, 8.0 + size, p->title, size, IMBAL_ANCHOR_MIDDLE, 0.0, 1,
                      imbal_black);
    return size + 12.0;
}

double imbal_frame_x(const imbal_frame *f, double v)
{
    return f->left + (v - f->x0) / (f->x1 - f->x0) * (f->right - f->left);
}

double imbal_frame_y(const imbal_frame *f, double v)
{
    return f->bottom - (v - f->y0) / (f->y1 - f->y0) * (f->bottom - f->top);
}

double imbal_nice_step(double lo, double hi, int target, int *decimals)
{
    double raw = (hi - lo) / (double)(target > 0 ? target : 1);
    if (!(raw > 0.0) || !isfinite(raw)) {
        *decimals = 0;
        return 1.0;
    }
    double p10 = pow(10.0, floor(log10(raw)));
    double m = raw / p10;
    double nice = m <= 1.0 ? 1.0 : m <= 2.0 ? 2.0 : m <= 2.5 ? 2.5 : m <= 5.0 ? 5.0 : 10.0;
    double step = nice * p10;
    int dec = (int)-floor(log10(step) + 1e-9);
    if (nice == 2.5) {
        dec++;
    }
    *decimals = dec > 0 ? dec : 0;
    return step;
}

/* Tick positions lo + i * step in [lo, hi], computed from i (no accumulated error). */
static size_t axes_ticks(double lo, double hi, double step, double *t, size_t max)
{
    size_t n = 0;
    double first = ceil(lo / step - 1e-9);
    for (double i = first; n < max; i += 1.0) {
        double v = i * step;
        if (v > hi + 1e-9 * step) {
            break;
        }
        t[n++] = fabs(v) < 1e-12 * step ? 0.0 : v;
    }
    return n;
}

void imbal_plot_axes(imbal_canvas *c, const imbal_frame *f, double x_step, int x_dec, double y_step,
                     int y_dec, const char *xlabel, const char *ylabel, double font)
{
    double t[64];
    char lab[32];
    double tick_font = font * 0.85;
    size_t n = axes_ticks(f->y0, f->y1, y_step, t, 64);
    for (size_t i = 0; i < n; i++) {
        double y = imbal_frame_y(f, t[i]);
        double gx[2] = {f->left, f->right};
        double gy[2] = {y, y};
        double kx[2] = {f->left - 5.0, f->left};
        imbal_canvas_line(c, gx, gy, 2, imbal_light, 1.0, IMBAL_DASH_SOLID);
        imbal_canvas_line(c, kx, gy, 2, imbal_black, 1.0, IMBAL_DASH_SOLID);
        snprintf(lab, sizeof(lab), "%.*f", y_dec, t[i]);
        imbal_canvas_text(c, f->left - 8.0, y + tick_font * 0.35, lab, tick_font, IMBAL_ANCHOR_END,
                          0.0, 0, imbal_black);
    }
    if (x_step > 0.0) {
        n = axes_ticks(f->x0, f->x1, x_step, t, 64);
        for (size_t i = 0; i < n; i++) {
            double x = imbal_frame_x(f, t[i]);
            double gx[2] = {x, x};
            double gy[2] = {f->top, f->bottom};
            double ky[2] = {f->bottom, f->bottom + 5.0};
            imbal_canvas_line(c, gx, gy, 2, imbal_light, 1.0, IMBAL_DASH_SOLID);
            imbal_canvas_line(c, gx, ky, 2, imbal_black, 1.0, IMBAL_DASH_SOLID);
            snprintf(lab, sizeof(lab), "%.*f", x_dec, t[i]);
            imbal_canvas_text(c, x, f->bottom + 8.0 + tick_font, lab, tick_font,
                              IMBAL_ANCHOR_MIDDLE, 0.0, 0, imbal_black);
        }
    }
    double bx[5] = {f->left, f->right, f->right, f->left, f->left};
    double by[5] = {f->top, f->top, f->bottom, f->bottom, f->top};
    imbal_canvas_line(c, bx, by, 5, imbal_black, 1.2, IMBAL_DASH_SOLID);
    if (xlabel != NULL) {
        imbal_canvas_text(c, (f->left + f->right) / 2.0, f->bottom + 16.0 + tick_font + font,
                          xlabel, font, IMBAL_ANCHOR_MIDDLE, 0.0, 0, imbal_black);
    }
    if (ylabel != NULL) {
        /* left of the widest tick label, reading upwards */
        char wide[32];
        snprintf(wide, sizeof(wide), "%.*f", y_dec, -fabs(f->y1) - fabs(f->y0));
        double x = f->left - 14.0 - imbal_text_width(wide, tick_font) - font * 0.3;
        imbal_canvas_text(c, x, (f->top + f->bottom) / 2.0, ylabel, font, IMBAL_ANCHOR_MIDDLE, 90.0,
                          0, imbal_black);
    }
}

double imbal_legend_width(const char *const *label, size_t n, const char *extra, double font)
{
    double w = extra != NULL ? imbal_text_width(extra, font) : 0.0;
    for (size_t i = 0; i < n; i++) {
        double t = imbal_text_width(label[i], font);
        w = t > w ? t : w;
    }
    return w + 2.2 * font + 24.0; /* 8 padding, the sample, 8 gap, text, 8 padding */
}

double imbal_legend_height(size_t n_entries, double font)
{
    return font * 1.5 * (double)n_entries + 10.0;
}

void imbal_plot_legend(imbal_canvas *c, double x, double y, const char *const *label, size_t n,
                       int lines, const char *extra, double font)
{
    double row = font * 1.5;
    size_t m = n + (extra != NULL);
    double w = imbal_legend_width(label, n, extra, font);
    double h = imbal_legend_height(m, font);
    double bx[5] = {x, x + w, x + w, x, x};
    double by[5] = {y, y, y + h, y + h, y};
    imbal_canvas_line(c, bx, by, 5, imbal_grey, 1.0, IMBAL_DASH_SOLID);
    for (size_t i = 0; i < m; i++) {
        double cy = y + 5.0 + row * ((double)i + 0.5);
        const char *text = i < n ? label[i] : extra;
        if (lines || i >= n) {
            double lx[2] = {x + 8.0, x + 8.0 + 2.2 * font};
            double ly[2] = {cy, cy};
            if (i < n) {
                imbal_canvas_line(c, lx, ly, 2, imbal_plot_colour(i), 2.5, imbal_plot_dash(i));
            } else {
                imbal_canvas_line(c, lx, ly, 2, imbal_grey, 1.5, IMBAL_DASH_DASHED);
            }
        } else {
            imbal_canvas_rect(c, x + 8.0 + 0.6 * font, cy - 0.5 * font, font, font,
                              imbal_plot_colour(i), 0);
        }
        imbal_canvas_text(c, x + 16.0 + 2.2 * font, cy + font * 0.35, text, font,
                          IMBAL_ANCHOR_START, 0.0, 0, imbal_black);
    }
}
