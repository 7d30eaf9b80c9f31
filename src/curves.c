/* ROC and precision-recall curves (see curves.h), built as scikit-learn 1.2's
 * _binary_clf_curve does: the rows sorted once by descending score (ties broken by index, so
 * the order is total although qsort is unstable), then one pass over the groups of equal
 * scores gives the cumulative true and false positive counts at each distinct threshold. The
 * counts are integers, exact in doubles, so each rate carries a single rounding, the one of
 * numpy's tps / tps[-1]; that is what makes 1e-12 agreement (in fact equality) possible.
 * What is built from these curves (fold averages, curve sets, one-vs-rest, CSV) is in
 * curves_folds.c. */
#include "imbal/curves.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

typedef struct {
    double score;
    size_t idx;
    int label;
} curves_item;

/* Counts at the distinct thresholds, highest first: tps[t], fps[t] rows with score >= thr[t]. */
typedef struct {
    size_t n;
    double *tps;
    double *fps;
    double *thr;
} curves_counts;

static int curves_cmp_desc(const void *a, const void *b)
{
    const curves_item *p = a;
    const curves_item *q = b;
    if (p->score > q->score) {
        return -1;
    }
    if (p->score < q->score) {
        return 1;
    }
    return (p->idx > q->idx) - (p->idx < q->idx);
}

static void curves_counts_free(curves_counts *c)
{
    free(c->tps);
    free(c->fps);
    free(c->thr);
    c->tps = NULL;
    c->fps = NULL;
    c->thr = NULL;
}

/* Validates the input and fills *cc (freed by the caller with curves_counts_free, also on
 * error). need_neg: a ROC curve needs negatives, a PR curve does not. */
static imbal_status curves_count(const double *score, const int *label, size_t n, int need_neg,
                                 curves_counts *cc, imbal_error *err)
{
    curves_item *items = NULL;
    size_t pos = 0;
    imbal_status st = IMBAL_OK;
    memset(cc, 0, sizeof(*cc));
    if (n == 0) {
        return imbal_fail(err, IMBAL_EINVAL, "curve needs at least one row");
    }
    for (size_t i = 0; i < n; i++) {
        if (label[i] != 0 && label[i] != 1) {
            return imbal_fail(err, IMBAL_EINVAL, "label %d at row %zu is neither 0 nor 1", label[i],
                              i);
        }
        if (!isfinite(score[i])) {
            return imbal_fail(err, IMBAL_EINVAL, "score at row %zu is not finite", i);
        }
        pos += (size_t)label[i];
    }
    if (pos == 0 || (need_neg && pos == n)) {
        return imbal_fail(err, IMBAL_EINVAL,
                          "curve needs both classes: %zu positive and %zu negative labels", pos,
                          n - pos);
    }
    items = imbal_malloc(n, sizeof(*items));
    cc->tps = imbal_malloc(n, sizeof(double));
    cc->fps = imbal_malloc(n, sizeof(double));
    cc->thr = imbal_malloc(n, sizeof(double));
    if (items == NULL || cc->tps == NULL || cc->fps == NULL || cc->thr == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory sorting %zu scores", n);
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        items[i].score = score[i];
        items[i].idx = i;
        items[i].label = label[i];
    }
    qsort(items, n, sizeof(*items), curves_cmp_desc);
    size_t tp = 0;
    for (size_t i = 0; i < n; i++) {
        tp += (size_t)items[i].label;
        /* the last row of a group of equal scores closes a threshold (np.diff(score) != 0) */
        if (i + 1 == n || items[i + 1].score != items[i].score) {
            cc->tps[cc->n] = (double)tp;
            cc->fps[cc->n] = (double)(i + 1 - tp);
            cc->thr[cc->n] = items[i].score;
            cc->n++;
        }
    }
cleanup:
    free(items);
    return st;
}

static imbal_status curves_alloc(imbal_curve_kind kind, size_t n, size_t n_thr, imbal_curve **out,
                                 imbal_error *err)
{
    imbal_curve *c = imbal_calloc(1, sizeof(*c));
    *out = NULL;
    if (c != NULL) {
        c->x = imbal_malloc(n, sizeof(double));
        c->y = imbal_malloc(n, sizeof(double));
        c->threshold = imbal_malloc(n_thr > 0 ? n_thr : 1, sizeof(double));
    }
    if (c == NULL || c->x == NULL || c->y == NULL || c->threshold == NULL) {
        imbal_curve_free(c);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for a curve of %zu points", n);
    }
    c->kind = kind;
    c->n = n;
    c->n_thresholds = n_thr;
    *out = c;
    return IMBAL_OK;
}

void imbal_curve_free(imbal_curve *c)
{
    if (c == NULL) {
        return;
    }
    free(c->x);
    free(c->y);
    free(c->threshold);
    free(c);
}

/* scikit-learn's drop_intermediate: keep point t (of the counts, before (0, 0) is prepended)
 * when it is an end or the second difference of fps or tps at it is non-zero (a corner). */
static int curves_keep(const curves_counts *cc, size_t t)
{
    if (cc->n <= 2 || t == 0 || t + 1 == cc->n) {
        return 1;
    }
    double dfp = cc->fps[t + 1] - 2.0 * cc->fps[t] + cc->fps[t - 1];
    double dtp = cc->tps[t + 1] - 2.0 * cc->tps[t] + cc->tps[t - 1];
    return dfp != 0.0 || dtp != 0.0;
}

imbal_status imbal_roc_curve(const double *score, const int *label, size_t n, int drop_intermediate,
                             imbal_curve **out, imbal_error *err)
{
    curves_counts cc;
    imbal_curve *c = NULL;
    *out = NULL;
    imbal_status st = curves_count(score, label, n, 1, &cc, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    size_t m = 1;
    for (size_t t = 0; t < cc.n; t++) {
        m += !drop_intermediate || curves_keep(&cc, t);
    }
    st = curves_alloc(IMBAL_CURVE_ROC, m, m, &c, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    double n_pos = cc.tps[cc.n - 1];
    double n_neg = cc.fps[cc.n - 1];
    c->x[0] = 0.0;
    c->y[0] = 0.0;
    c->threshold[0] = cc.thr[0] + 1.0; /* scikit-learn 1.2: thresholds[0] + 1 */
    size_t k = 1;
    for (size_t t = 0; t < cc.n; t++) {
        if (drop_intermediate && !curves_keep(&cc, t)) {
            continue;
        }
        c->x[k] = cc.fps[t] / n_neg;
        c->y[k] = cc.tps[t] / n_pos;
        c->threshold[k] = cc.thr[t];
        k++;
    }
    *out = c;
    c = NULL;
cleanup:
    imbal_curve_free(c);
    curves_counts_free(&cc);
    return st;
}

imbal_status imbal_pr_curve(const double *score, const int *label, size_t n, imbal_curve **out,
                            imbal_error *err)
{
    curves_counts cc;
    imbal_curve *c = NULL;
    *out = NULL;
    imbal_status st = curves_count(score, label, n, 0, &cc, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    st = curves_alloc(IMBAL_CURVE_PR, cc.n + 1, cc.n, &c, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    double n_pos = cc.tps[cc.n - 1];
    for (size_t t = 0; t < cc.n; t++) {
        size_t k = cc.n - 1 - t; /* reversed: thresholds ascending, recall falling */
        c->x[k] = cc.tps[t] / n_pos;
        c->y[k] = cc.tps[t] / (cc.tps[t] + cc.fps[t]);
        c->threshold[k] = cc.thr[t];
    }
    c->x[cc.n] = 0.0;
    c->y[cc.n] = 1.0;
    *out = c;
    c = NULL;
cleanup:
    imbal_curve_free(c);
    curves_counts_free(&cc);
    return st;
}

imbal_status imbal_curve_auc(const imbal_curve *c, double *out, imbal_error *err)
{
    if (c->n < 2) {
        return imbal_fail(err, IMBAL_EINVAL, "area needs at least 2 points, the curve has %zu",
                          c->n);
    }
    int up = 0;
    int down = 0;
    for (size_t k = 1; k < c->n; k++) {
        up |= c->x[k] > c->x[k - 1];
        down |= c->x[k] < c->x[k - 1];
    }
    if (up && down) {
        return imbal_fail(err, IMBAL_EINVAL, "x is neither increasing nor decreasing");
    }
    double area = 0.0;
    for (size_t k = 1; k < c->n; k++) {
        area += (c->x[k] - c->x[k - 1]) * (c->y[k] + c->y[k - 1]) / 2.0; /* numpy.trapz */
    }
    *out = down ? -area : area;
    return IMBAL_OK;
}

imbal_status imbal_curve_average_precision(const imbal_curve *c, double *out, imbal_error *err)
{
    if (c->kind != IMBAL_CURVE_PR) {
        return imbal_fail(err, IMBAL_EINVAL, "average precision needs a precision-recall curve");
    }
    double ap = 0.0;
    for (size_t k = 0; k + 1 < c->n; k++) {
        ap -= (c->x[k + 1] - c->x[k]) * c->y[k]; /* -sum(diff(recall) * precision[:-1]) */
    }
    *out = ap;
    return IMBAL_OK;
}
