/* Bar figures (plot.h): a metric per technique with interval whiskers, and the class counts of
 * the training set before and after each technique's resampling. Both put categories on the x
 * axis and turn their names by 45 degrees when they do not fit their slot; each bar carries
 * its number, so a minority count of 26 beside 3313 is still read exactly. A technique keeps
 * the colour it has in the curve figures (its index in the palette). */
#include <math.h>
#include <stdlib.h>

#include "alloc.h"
#include "plot_internal.h"

#define BARS_SIN45 0.70710678118654752

/* Widest of n names at size font. */
static double bars_widest(const char *const *name, size_t n, double font)
{
    double w = 0.0;
    for (size_t i = 0; i < n; i++) {
        double t = imbal_text_width(name[i], font);
        w = t > w ? t : w;
    }
    return w;
}

/* Height the category names need under the axis: flat when they fit their slot, else turned. */
static double bars_label_height(double widest, double slot, double font, int *turned)
{
    *turned = widest > 0.95 * slot;
    return *turned ? widest * BARS_SIN45 + font + 14.0 : font + 14.0;
}

static void bars_names(imbal_canvas *c, const imbal_frame *f, const char *const *name, size_t n,
                       int turned, double font)
{
    double slot = (f->right - f->left) / (double)n;
    for (size_t i = 0; i < n; i++) {
        double x = f->left + slot * ((double)i + 0.5);
        if (turned) {
            imbal_canvas_text(c, x + font * 0.3, f->bottom + 10.0 + font * 0.5, name[i], font,
                              IMBAL_ANCHOR_END, 45.0, 0, imbal_black);
        } else {
            imbal_canvas_text(c, x, f->bottom + 8.0 + font, name[i], font, IMBAL_ANCHOR_MIDDLE, 0.0,
                              0, imbal_black);
        }
    }
}

/* A y range with nice ends that holds [lo, hi] and 0; [0, 1] when the data lie there. */
static void bars_range(double lo, double hi, int unit_ok, double *y0, double *y1, double *step,
                       int *dec)
{
    lo = fmin(lo, 0.0);
    if (unit_ok && lo >= 0.0 && hi <= 1.0) {
        *y0 = 0.0;
        *y1 = 1.0;
        *step = 0.1;
        *dec = 1;
        return;
    }
    if (!(hi > lo)) {
        hi = lo + 1.0;
    }
    *step = imbal_nice_step(lo, hi, 6, dec);
    *y0 = floor(lo / *step + 1e-9) * *step; /* lo = 0 gives 0, not -step */
    *y1 = ceil(hi / *step - 1e-9) * *step;
    if (*y1 < hi * 1.04) { /* room for the numbers above the tallest bar */
        *y1 += *step;
    }
}

static void bars_zero_line(imbal_canvas *c, const imbal_frame *f)
{
    if (f->y0 < 0.0) {
        double zx[2] = {f->left, f->right};
        double zy[2] = {imbal_frame_y(f, 0.0), imbal_frame_y(f, 0.0)};
        imbal_canvas_line(c, zx, zy, 2, imbal_black, 1.0, IMBAL_DASH_SOLID);
    }
}

imbal_status imbal_plot_bars(const imbal_plot_params *p, const char *metric,
                             const char *const *name, const double *value, const double *lo,
                             const double *hi, size_t k, imbal_error *err)
{
    imbal_canvas *c = NULL;
    imbal_status st = imbal_plot_check_params(p, err);
    if (st != IMBAL_OK) {
        return st;
    }
    if (k == 0 || (lo == NULL) != (hi == NULL)) {
        return imbal_fail(err, IMBAL_EINVAL, "bar chart needs k >= 1 and both or no ends");
    }
    double vmin = 0.0;
    double vmax = 0.0;
    for (size_t j = 0; j < k; j++) {
        double a = lo != NULL ? lo[j] : value[j];
        double b = hi != NULL ? hi[j] : value[j];
        if (name[j] == NULL || !isfinite(value[j]) || !isfinite(a) || !isfinite(b) ||
            a > value[j] || b < value[j]) {
            return imbal_fail(err, IMBAL_EINVAL,
                              "bar %zu: no name, a value not finite or not inside [lo, hi]", j);
        }
        vmin = fmin(vmin, a);
        vmax = fmax(vmax, b);
    }
    st = imbal_canvas_new(p, &c, err);
    if (st != IMBAL_OK) {
        return st;
    }
    double font = p->font_size;
    double tick = font * 0.85;
    double title_h = imbal_plot_title(c, p);
    imbal_frame f = {4.2 * font + 24.0, title_h + 16.0, p->width - 20.0, 0.0, 0.0, 1.0, 0.0, 1.0};
    double slot = (f.right - f.left) / (double)k;
    int turned = 0;
    double widest = bars_widest(name, k, tick);
    f.bottom = p->height - bars_label_height(widest, slot, tick, &turned);
    if (turned) { /* the first name runs down-left from its slot: keep it on the figure */
        double need = widest * BARS_SIN45 - slot / 2.0 + 8.0;
        if (need > f.left) {
            f.left = need;
            slot = (f.right - f.left) / (double)k;
        }
    }
    double step = 0.1;
    int dec = 1;
    bars_range(vmin, vmax, 1, &f.y0, &f.y1, &step, &dec);
    imbal_plot_axes(c, &f, 0.0, 0, step, dec, NULL, metric, font);
    bars_zero_line(c, &f);
    for (size_t j = 0; j < k; j++) {
        double x = f.left + slot * (double)j + slot * 0.15;
        double w = slot * 0.7;
        double top = imbal_frame_y(&f, fmax(value[j], 0.0));
        double base = imbal_frame_y(&f, fmin(value[j], 0.0));
        imbal_canvas_rect(c, x, top, w, base - top, imbal_plot_colour(j), 1);
        double label_y = imbal_frame_y(&f, fmax(value[j], 0.0));
        if (lo != NULL) {
            double cx = x + w / 2.0;
            double wy[2] = {imbal_frame_y(&f, lo[j]), imbal_frame_y(&f, hi[j])};
            double wx[2] = {cx, cx};
            double cap[2] = {cx - w * 0.2, cx + w * 0.2};
            double ylo[2] = {wy[0], wy[0]};
            double yhi[2] = {wy[1], wy[1]};
            imbal_canvas_line(c, wx, wy, 2, imbal_black, 1.5, IMBAL_DASH_SOLID);
            imbal_canvas_line(c, cap, ylo, 2, imbal_black, 1.5, IMBAL_DASH_SOLID);
            imbal_canvas_line(c, cap, yhi, 2, imbal_black, 1.5, IMBAL_DASH_SOLID);
            label_y = fmin(label_y, wy[1]);
        }
        char num[32];
        snprintf(num, sizeof(num), "%.3f", value[j]);
        imbal_canvas_text(c, x + w / 2.0, label_y - 5.0, num, tick, IMBAL_ANCHOR_MIDDLE, 0.0, 0,
                          imbal_black);
    }
    bars_names(c, &f, name, k, turned, tick);
    st = imbal_canvas_finish(c, p, err);
    imbal_canvas_free(c);
    return st;
}

/* A count as text: whole numbers without decimals, means with one. */
static void bars_count_text(double v, char *buf, size_t n)
{
    if (v == floor(v)) {
        snprintf(buf, n, "%.0f", v);
    } else {
        snprintf(buf, n, "%.1f", v);
    }
}

imbal_status imbal_plot_class_counts(const imbal_plot_params *p, const char *const *class_name,
                                     size_t n_class, const double *before,
                                     const char *const *technique, const double *after,
                                     size_t n_tech, imbal_error *err)
{
    imbal_canvas *c = NULL;
    const char **group = NULL;
    imbal_status st = imbal_plot_check_params(p, err);
    if (st != IMBAL_OK) {
        return st;
    }
    if (n_class == 0 || n_tech == 0) {
        return imbal_fail(err, IMBAL_EINVAL, "class-count chart needs classes and techniques");
    }
    double vmax = 0.0;
    for (size_t g = 0; g <= n_tech; g++) {
        for (size_t k = 0; k < n_class; k++) {
            double v = g == 0 ? before[k] : after[(g - 1) * n_class + k];
            if (!(isfinite(v) && v >= 0.0) || class_name[k] == NULL ||
                (g > 0 && technique[g - 1] == NULL)) {
                return imbal_fail(err, IMBAL_EINVAL,
                                  "class count %zu of group %zu is negative, not finite or "
                                  "unnamed",
                                  k, g);
            }
            vmax = fmax(vmax, v);
        }
    }
    group = imbal_malloc(n_tech + 1, sizeof(*group));
    if (group == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu groups", n_tech + 1);
    }
    group[0] = "before";
    for (size_t t = 0; t < n_tech; t++) {
        group[t + 1] = technique[t];
    }
    st = imbal_canvas_new(p, &c, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    double font = p->font_size;
    double tick = font * 0.85;
    double small = font * 0.7;
    size_t n_group = n_tech + 1;
    double title_h = imbal_plot_title(c, p);
    double lw = imbal_legend_width(class_name, n_class, NULL, font);
    imbal_frame f = {
        4.2 * font + 30.0, title_h + 16.0, p->width - lw - 28.0, 0.0, 0.0, 1.0, 0.0, 1.0};
    double slot = (f.right - f.left) / (double)n_group;
    int turned = 0;
    double widest = bars_widest(group, n_group, tick);
    f.bottom = p->height - bars_label_height(widest, slot, tick, &turned);
    if (turned) {
        double need = widest * BARS_SIN45 - slot / 2.0 + 8.0;
        if (need > f.left) {
            f.left = need;
            slot = (f.right - f.left) / (double)n_group;
        }
    }
    double step = 1.0;
    int dec = 0;
    bars_range(0.0, vmax * 1.12, 0, &f.y0, &f.y1, &step, &dec);
    imbal_plot_axes(c, &f, 0.0, 0, step, dec, NULL, "training rows", font);
    double w = slot * 0.8 / (double)n_class;
    for (size_t g = 0; g < n_group; g++) {
        for (size_t k = 0; k < n_class; k++) {
            double v = g == 0 ? before[k] : after[(g - 1) * n_class + k];
            double x = f.left + slot * (double)g + slot * 0.1 + w * (double)k;
            double top = imbal_frame_y(&f, v);
            imbal_canvas_rect(c, x, top, w, f.bottom - top, imbal_plot_colour(k), 1);
            char num[32];
            bars_count_text(v, num, sizeof(num));
            if (imbal_text_width(num, small) <= w * 1.05) {
                imbal_canvas_text(c, x + w / 2.0, top - 4.0, num, small, IMBAL_ANCHOR_MIDDLE, 0.0,
                                  0, imbal_black);
            } else { /* reads upwards from the bar's top */
                imbal_canvas_text(c, x + w / 2.0 + small * 0.35, top - 4.0, num, small,
                                  IMBAL_ANCHOR_START, 90.0, 0, imbal_black);
            }
        }
    }
    bars_names(c, &f, group, n_group, turned, tick);
    imbal_plot_legend(c, f.right + 14.0, f.top, class_name, n_class, 0, NULL, font);
    st = imbal_canvas_finish(c, p, err);
cleanup:
    imbal_canvas_free(c);
    free(group);
    return st;
}
