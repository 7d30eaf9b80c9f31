/* ROC and precision-recall figures (plot.h): every technique's curve on one pair of [0, 1]
 * axes, the no-skill line, an optional sd band per series, and the legend to the right of the
 * plot area, where it can never hide a curve (curves fill every corner of the unit square
 * between them). */
#include <math.h>
#include <stdlib.h>

#include "alloc.h"
#include "plot_internal.h"

imbal_plot_series imbal_plot_series_curve(const imbal_curve *c, const char *label)
{
    imbal_plot_series s = {label, c->n, c->x, c->y, NULL};
    return s;
}

imbal_plot_series imbal_plot_series_avg(const imbal_curve_avg *a, const char *label)
{
    imbal_plot_series s = {label, a->n_grid, a->x, a->mean, a->sd};
    return s;
}

static imbal_status curves_check(const imbal_plot_series *series, size_t n_series,
                                 imbal_curve_kind kind, double prevalence, imbal_error *err)
{
    if (n_series == 0) {
        return imbal_fail(err, IMBAL_EINVAL, "curve figure without a series");
    }
    if (kind == IMBAL_CURVE_PR && !(prevalence > 0.0 && prevalence <= 1.0)) {
        return imbal_fail(err, IMBAL_EINVAL, "prevalence %g is outside (0, 1]", prevalence);
    }
    for (size_t s = 0; s < n_series; s++) {
        const imbal_plot_series *v = &series[s];
        if (v->n == 0 || v->label == NULL) {
            return imbal_fail(err, IMBAL_EINVAL, "series %zu has no point or no label", s);
        }
        for (size_t i = 0; i < v->n; i++) {
            if (!(v->x[i] >= 0.0 && v->x[i] <= 1.0 && v->y[i] >= 0.0 && v->y[i] <= 1.0) ||
                (v->sd != NULL && !(isfinite(v->sd[i]) && v->sd[i] >= 0.0))) {
                return imbal_fail(err, IMBAL_EINVAL,
                                  "series %zu point %zu is not finite or outside [0, 1]", s, i);
            }
        }
    }
    return IMBAL_OK;
}

/* The series' band y -/+ sd clipped to [0, 1], as one polygon: upper edge out, lower back. */
static imbal_status curves_band(imbal_canvas *c, const imbal_frame *f, const imbal_plot_series *v,
                                imbal_rgb col, imbal_error *err)
{
    double *px = imbal_malloc(2 * v->n, sizeof(double));
    double *py = imbal_malloc(2 * v->n, sizeof(double));
    if (px == NULL || py == NULL) {
        free(px);
        free(py);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for a band of %zu points", v->n);
    }
    for (size_t i = 0; i < v->n; i++) {
        double hi = fmin(1.0, v->y[i] + v->sd[i]);
        double lo = fmax(0.0, v->y[i] - v->sd[i]);
        px[i] = imbal_frame_x(f, v->x[i]);
        py[i] = imbal_frame_y(f, hi);
        px[2 * v->n - 1 - i] = px[i];
        py[2 * v->n - 1 - i] = imbal_frame_y(f, lo);
    }
    imbal_canvas_fill(c, px, py, 2 * v->n, col, 0.18);
    free(px);
    free(py);
    return IMBAL_OK;
}

static imbal_status curves_line(imbal_canvas *c, const imbal_frame *f, const imbal_plot_series *v,
                                size_t i, imbal_error *err)
{
    double *px = imbal_malloc(v->n, sizeof(double));
    double *py = imbal_malloc(v->n, sizeof(double));
    if (px == NULL || py == NULL) {
        free(px);
        free(py);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for a line of %zu points", v->n);
    }
    for (size_t k = 0; k < v->n; k++) {
        px[k] = imbal_frame_x(f, v->x[k]);
        py[k] = imbal_frame_y(f, v->y[k]);
    }
    imbal_canvas_line(c, px, py, v->n, imbal_plot_colour(i), 2.2, imbal_plot_dash(i));
    free(px);
    free(py);
    return IMBAL_OK;
}

imbal_status imbal_plot_curves(const imbal_plot_params *p, imbal_curve_kind kind,
                               const imbal_plot_series *series, size_t n_series, double prevalence,
                               imbal_error *err)
{
    imbal_canvas *c = NULL;
    const char **labels = NULL;
    imbal_status st = imbal_plot_check_params(p, err);
    if (st == IMBAL_OK) {
        st = curves_check(series, n_series, kind, prevalence, err);
    }
    if (st == IMBAL_OK) {
        st = imbal_canvas_new(p, &c, err);
    }
    if (st != IMBAL_OK) {
        return st;
    }
    labels = imbal_malloc(n_series, sizeof(*labels));
    if (labels == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu labels", n_series);
        goto cleanup;
    }
    for (size_t s = 0; s < n_series; s++) {
        labels[s] = series[s].label;
    }
    double font = p->font_size;
    double title_h = imbal_plot_title(c, p);
    const char *extra = kind == IMBAL_CURVE_ROC ? "no skill (AUC 0.5)" : "no skill (prevalence)";
    double lw = imbal_legend_width(labels, n_series, extra, font);
    imbal_frame f = {4.2 * font + 20.0,
                     title_h + 16.0,
                     p->width - lw - 28.0,
                     p->height - 3.2 * font - 26.0,
                     0.0,
                     1.0,
                     0.0,
                     1.0};
    if (f.right - f.left < 60.0) {
        f.right = f.left + 60.0; /* a long legend overflows rather than crushing the plot */
    }
    imbal_plot_axes(c, &f, 0.1, 1, 0.1, 1,
                    kind == IMBAL_CURVE_ROC ? "False positive rate" : "Recall",
                    kind == IMBAL_CURVE_ROC ? "True positive rate" : "Precision", font);
    double nx[2] = {imbal_frame_x(&f, 0.0), imbal_frame_x(&f, 1.0)};
    double ny[2] = {imbal_frame_y(&f, kind == IMBAL_CURVE_ROC ? 0.0 : prevalence),
                    imbal_frame_y(&f, kind == IMBAL_CURVE_ROC ? 1.0 : prevalence)};
    imbal_canvas_line(c, nx, ny, 2, imbal_grey, 1.5, IMBAL_DASH_DASHED);
    for (size_t s = 0; s < n_series && st == IMBAL_OK; s++) {
        if (series[s].sd != NULL) {
            st = curves_band(c, &f, &series[s], imbal_plot_colour(s), err);
        }
    }
    for (size_t s = 0; s < n_series && st == IMBAL_OK; s++) {
        st = curves_line(c, &f, &series[s], s, err);
    }
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    imbal_plot_legend(c, f.right + 14.0, f.top, labels, n_series, 1, extra, font);
    st = imbal_canvas_finish(c, p, err);
cleanup:
    free(labels);
    imbal_canvas_free(c);
    return st;
}
