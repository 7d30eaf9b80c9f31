/* What a report builds from single curves (curves.h): curve values at a fixed grid (numpy's
 * linear interpolation for ROC, the interpolated precision for PR), their mean and sd over the
 * folds, the set of per-fold, pooled and mean curves of one technique, the one-vs-rest view of
 * a k-class problem, and the set as CSV text. The curves themselves come from curves.c. */
#include "imbal/curves.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "strbuf.h"

imbal_status imbal_curve_grid(double *grid, size_t n, imbal_error *err)
{
    if (n < 2) {
        return imbal_fail(err, IMBAL_EINVAL, "a grid needs at least 2 points, got %zu", n);
    }
    double step = 1.0 / (double)(n - 1);
    for (size_t i = 0; i < n; i++) {
        grid[i] = (double)i * step;
    }
    grid[n - 1] = 1.0;
    return IMBAL_OK;
}

static imbal_status curves_check_grid(const double *grid, size_t n_grid, imbal_error *err)
{
    if (n_grid == 0) {
        return imbal_fail(err, IMBAL_EINVAL, "empty grid");
    }
    for (size_t g = 0; g < n_grid; g++) {
        if (!(grid[g] >= 0.0 && grid[g] <= 1.0) || (g > 0 && !(grid[g] > grid[g - 1]))) {
            return imbal_fail(err, IMBAL_EINVAL, "grid point %zu (%g) is not ascending in [0, 1]",
                              g, grid[g]);
        }
    }
    return IMBAL_OK;
}

/* numpy.interp(grid, x, y) for x non-decreasing: at a run of equal x the last point (the top
 * of a vertical ROC segment), between points the line. */
static void curves_roc_at(const imbal_curve *c, const double *grid, size_t n_grid, double *v)
{
    size_t j = 0;
    for (size_t g = 0; g < n_grid; g++) {
        double f = grid[g];
        while (j + 1 < c->n && c->x[j + 1] <= f) {
            j++;
        }
        if (f < c->x[0]) {
            v[g] = c->y[0]; /* left of the first point */
        } else if (j + 1 >= c->n || c->x[j] == f) {
            v[g] = c->y[j];
        } else {
            double slope = (c->y[j + 1] - c->y[j]) / (c->x[j + 1] - c->x[j]);
            v[g] = slope * (f - c->x[j]) + c->y[j];
        }
    }
}

/* Interpolated precision: max precision over the operating points (all but the last) with
 * recall >= r. Recall falls along the points, so those points are a prefix 0..K(r) whose
 * running maximum answers; K only shrinks as r grows. */
static void curves_pr_at(const imbal_curve *c, const double *grid, size_t n_grid, double *v,
                         double *runmax)
{
    size_t m = c->n - 1; /* operating points */
    for (size_t k = 0; k < m; k++) {
        runmax[k] = k == 0 || c->y[k] > runmax[k - 1] ? c->y[k] : runmax[k - 1];
    }
    size_t K = m; /* points 0..K-1 have recall >= r */
    for (size_t g = 0; g < n_grid; g++) {
        while (K > 0 && c->x[K - 1] < grid[g]) {
            K--;
        }
        v[g] = K > 0 ? runmax[K - 1] : 0.0;
    }
}

imbal_status imbal_curve_at(const imbal_curve *c, const double *grid, size_t n_grid, double *value,
                            imbal_error *err)
{
    imbal_status st = curves_check_grid(grid, n_grid, err);
    if (st != IMBAL_OK) {
        return st;
    }
    if (c->kind == IMBAL_CURVE_ROC) {
        curves_roc_at(c, grid, n_grid, value);
        return IMBAL_OK;
    }
    if (c->n < 2) {
        return imbal_fail(err, IMBAL_EINVAL, "precision-recall curve without operating points");
    }
    double *runmax = imbal_malloc(c->n, sizeof(double));
    if (runmax == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu points", c->n);
    }
    curves_pr_at(c, grid, n_grid, value, runmax);
    free(runmax);
    return IMBAL_OK;
}

void imbal_curve_avg_free(imbal_curve_avg *a)
{
    if (a == NULL) {
        return;
    }
    free(a->x);
    free(a->mean);
    free(a->sd);
    free(a);
}

imbal_status imbal_curve_average(const imbal_curve *const *fold, size_t n_folds, const double *grid,
                                 size_t n_grid, imbal_curve_avg **out, imbal_error *err)
{
    imbal_curve_avg *a = NULL;
    double *val = NULL;
    *out = NULL;
    imbal_status st = curves_check_grid(grid, n_grid, err);
    if (st != IMBAL_OK) {
        return st;
    }
    if (n_folds == 0) {
        return imbal_fail(err, IMBAL_EINVAL, "averaging needs at least one fold's curve");
    }
    for (size_t f = 1; f < n_folds; f++) {
        if (fold[f]->kind != fold[0]->kind) {
            return imbal_fail(err, IMBAL_EINVAL, "fold %zu's curve is of another kind", f);
        }
    }
    a = imbal_calloc(1, sizeof(*a));
    val = imbal_malloc(n_folds, n_grid * sizeof(double));
    if (a != NULL) {
        a->x = imbal_malloc(n_grid, sizeof(double));
        a->mean = imbal_malloc(n_grid, sizeof(double));
        a->sd = imbal_malloc(n_grid, sizeof(double));
    }
    if (a == NULL || val == NULL || a->x == NULL || a->mean == NULL || a->sd == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory averaging %zu curves", n_folds);
        goto cleanup;
    }
    a->kind = fold[0]->kind;
    a->n_grid = n_grid;
    a->n_folds = n_folds;
    memcpy(a->x, grid, n_grid * sizeof(double));
    for (size_t f = 0; f < n_folds; f++) {
        st = imbal_curve_at(fold[f], grid, n_grid, val + f * n_grid, err);
        if (st != IMBAL_OK) {
            goto cleanup;
        }
    }
    /* mean, then the sum of squared deviations from it (two passes, as numpy's std) */
    for (size_t g = 0; g < n_grid; g++) {
        double s = 0.0;
        for (size_t f = 0; f < n_folds; f++) {
            s += val[f * n_grid + g];
        }
        double mean = s / (double)n_folds;
        double ss = 0.0;
        for (size_t f = 0; f < n_folds; f++) {
            double d = val[f * n_grid + g] - mean;
            ss += d * d;
        }
        a->mean[g] = mean;
        a->sd[g] = n_folds > 1 ? sqrt(ss / (double)(n_folds - 1)) : 0.0;
    }
    *out = a;
    a = NULL;
cleanup:
    imbal_curve_avg_free(a);
    free(val);
    return st;
}

void imbal_curve_set_free(imbal_curve_set *s)
{
    if (s == NULL) {
        return;
    }
    if (s->fold != NULL) {
        for (size_t f = 0; f < s->n_folds; f++) {
            imbal_curve_free(s->fold[f]);
        }
    }
    free(s->fold);
    imbal_curve_free(s->pooled);
    imbal_curve_avg_free(s->avg);
    free(s);
}

static imbal_status curves_one(imbal_curve_kind kind, const double *score, const int *label,
                               size_t n, int drop, imbal_curve **out, imbal_error *err)
{
    if (kind == IMBAL_CURVE_ROC) {
        return imbal_roc_curve(score, label, n, drop, out, err);
    }
    return imbal_pr_curve(score, label, n, out, err);
}

imbal_status imbal_curve_set_build(imbal_curve_kind kind, const double *score, const int *label,
                                   const size_t *fold, size_t n, size_t n_folds,
                                   int drop_intermediate, const double *grid, size_t n_grid,
                                   imbal_curve_set **out, imbal_error *err)
{
    imbal_curve_set *s = NULL;
    double *fs = NULL;
    int *fl = NULL;
    *out = NULL;
    imbal_status st = curves_check_grid(grid, n_grid, err);
    if (st != IMBAL_OK) {
        return st;
    }
    if (n_folds == 0) {
        return imbal_fail(err, IMBAL_EINVAL, "a curve set needs at least one fold");
    }
    for (size_t i = 0; i < n; i++) {
        if (fold[i] >= n_folds) {
            return imbal_fail(err, IMBAL_EINVAL, "row %zu has fold %zu, not below %zu", i, fold[i],
                              n_folds);
        }
    }
    s = imbal_calloc(1, sizeof(*s));
    fs = imbal_malloc(n > 0 ? n : 1, sizeof(double));
    fl = imbal_malloc(n > 0 ? n : 1, sizeof(int));
    if (s != NULL) {
        s->fold = imbal_calloc(n_folds, sizeof(imbal_curve *));
    }
    if (s == NULL || fs == NULL || fl == NULL || s->fold == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu folds' curves", n_folds);
        goto cleanup;
    }
    s->kind = kind;
    s->n_folds = n_folds;
    for (size_t f = 0; f < n_folds; f++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            if (fold[i] == f) {
                fs[m] = score[i];
                fl[m] = label[i];
                m++;
            }
        }
        if (m == 0) {
            st = imbal_fail(err, IMBAL_EINVAL, "fold %zu has no test row", f);
            goto cleanup;
        }
        int fresh = err != NULL && err->status == IMBAL_OK; /* the message will be ours */
        st = curves_one(kind, fs, fl, m, drop_intermediate, &s->fold[f], err);
        if (st != IMBAL_OK) {
            if (fresh && st == IMBAL_EINVAL) {
                char msg[sizeof(err->msg)];
                snprintf(msg, sizeof(msg), "fold %zu: %.200s", f, err->msg);
                memcpy(err->msg, msg, sizeof(msg));
            }
            goto cleanup;
        }
    }
    st = curves_one(kind, score, label, n, drop_intermediate, &s->pooled, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    st = imbal_curve_average((const imbal_curve *const *)s->fold, n_folds, grid, n_grid, &s->avg,
                             err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    *out = s;
    s = NULL;
cleanup:
    imbal_curve_set_free(s);
    free(fs);
    free(fl);
    return st;
}

imbal_status imbal_curve_ovr(const double *prob, const int *y, size_t n, size_t k, int c,
                             double *score_out, int *label_out, imbal_error *err)
{
    if (k < 2 || c < 0 || (size_t)c >= k) {
        return imbal_fail(err, IMBAL_EINVAL, "one-vs-rest class %d needs 0 <= c < k = %zu", c, k);
    }
    for (size_t i = 0; i < n; i++) {
        score_out[i] = prob[i * k + (size_t)c];
        label_out[i] = y[i] == c;
    }
    return IMBAL_OK;
}

static void curves_num(imbal_buf *b, double v)
{
    char t[40];
    imbal_double_text(v, t, sizeof(t));
    imbal_buf_printf(b, ",%s", t);
}

static void curves_csv_points(imbal_buf *b, const imbal_curve *c, const char *kind, long fold)
{
    for (size_t k = 0; k < c->n; k++) {
        if (fold >= 0) {
            imbal_buf_printf(b, "%s,%ld", kind, fold);
        } else {
            imbal_buf_printf(b, "%s,", kind);
        }
        curves_num(b, c->x[k]);
        curves_num(b, c->y[k]);
        imbal_buf_printf(b, ",");
        if (k < c->n_thresholds) {
            curves_num(b, c->threshold[k]);
        } else {
            imbal_buf_printf(b, ",");
        }
        imbal_buf_printf(b, "\n");
    }
}

imbal_status imbal_curve_set_csv(const imbal_curve_set *s, char **text, size_t *len,
                                 imbal_error *err)
{
    imbal_buf b = {0};
    *text = NULL;
    if (s->kind == IMBAL_CURVE_ROC) {
        imbal_buf_printf(&b, "kind,fold,fpr,tpr,tpr_sd,threshold\n");
    } else {
        imbal_buf_printf(&b, "kind,fold,recall,precision,precision_sd,threshold\n");
    }
    for (size_t f = 0; f < s->n_folds; f++) {
        curves_csv_points(&b, s->fold[f], "fold", (long)f);
    }
    curves_csv_points(&b, s->pooled, "pooled", -1);
    for (size_t g = 0; g < s->avg->n_grid; g++) {
        imbal_buf_printf(&b, "mean,");
        curves_num(&b, s->avg->x[g]);
        curves_num(&b, s->avg->mean[g]);
        curves_num(&b, s->avg->sd[g]);
        imbal_buf_printf(&b, ",\n");
    }
    if (b.failed || b.s == NULL) {
        imbal_buf_free(&b);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory writing curves as CSV");
    }
    *text = b.s;
    if (len != NULL) {
        *len = b.len;
    }
    return IMBAL_OK;
}

imbal_status imbal_curve_set_write_csv(const imbal_curve_set *s, FILE *f, imbal_error *err)
{
    char *text = NULL;
    size_t len = 0;
    imbal_status st = imbal_curve_set_csv(s, &text, &len, err);
    if (st != IMBAL_OK) {
        return st;
    }
    if (fwrite(text, 1, len, f) != len || fflush(f) != 0) {
        st = imbal_fail(err, IMBAL_EIO, "writing %zu bytes of curves failed", len);
    }
    free(text);
    return st;
}
