/* One-sided selection as in imbalanced-learn 0.10's OneSidedSelection (Kubat and Matwin
 * 1997). For each class to clean (sampling_strategy, default all but the minority), in label
 * order: n_seeds_S seed rows drawn with replacement (numpy's randint(0, class size), one
 * stream for all classes, so compat: sklearn replays random_state), a k-nearest-neighbours
 * classifier (n_neighbors, default 1) fitted on the minority rows (the input's smallest
 * class, ties to the class seen first, as Counter) and the seeds, and the class's other rows
 * it misclassifies kept with the seeds; other classes kept whole. Then the Tomek links of
 * the cleaned classes are removed from that selection (imbal_tomek_links_mask). The output
 * is imblearn's: class by class, seeds first, minus the links. Reached only through
 * resample.c's table. */
#include "samplers/samplers.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/knn.h"
#include "samplers/cleaning.h"

const imbal_param_spec imbal_one_sided_selection_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "classes to clean (auto: all but the minority; or a list of classes)"},
    {"n_neighbors", IMBAL_PARAM_INT, "1", 1, 1e6, NULL,
     "neighbours the nearest-neighbour classifier votes with"},
    {"n_seeds_S", IMBAL_PARAM_INT, "1", 1, 1e6, NULL,
     "rows of each cleaned class drawn to start its selection"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

/* Appends to sel (at *n_sel) the seeds and the misclassified rows of one class (rows, mc of
 * them) as imblearn orders them. mrows: the minority rows (n_min). */
static imbal_status oss_class(const imbal_train_view *in, const size_t *rows, size_t mc,
                              const size_t *mrows, size_t n_min, size_t n_seeds, size_t k,
                              imbal_rng *rng, size_t *sel, size_t *n_sel, imbal_error *err)
{
    size_t d = in->d;
    size_t n_c = n_min + n_seeds;
    size_t *pick = imbal_malloc(n_seeds, sizeof(*pick));
    unsigned char *drawn = imbal_calloc(mc, sizeof(*drawn));
    double *xc = imbal_malloc(n_c, d * sizeof(*xc));
    int *yc = imbal_malloc(n_c, sizeof(*yc));
    double *xs = imbal_malloc(mc, d * sizeof(*xs));
    size_t *srow = imbal_malloc(mc, sizeof(*srow));
    int *pred = imbal_malloc(mc, sizeof(*pred));
    imbal_knn *knn = NULL;
    size_t m_s = 0;
    imbal_status st;
    if (pick == NULL || drawn == NULL || xc == NULL || yc == NULL || xs == NULL ||
        srow == NULL || pred == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for one-sided selection");
        goto cleanup;
    }
    for (size_t j = 0; j < n_seeds; j++) {
        pick[j] = (size_t)imbal_rng_below(rng, mc);
        drawn[pick[j]] = 1;
    }
    for (size_t i = 0; i < n_min; i++) {
        memcpy(xc + i * d, in->x + mrows[i] * d, d * sizeof(*xc));
        yc[i] = in->y[mrows[i]];
    }
    for (size_t j = 0; j < n_seeds; j++) {
        memcpy(xc + (n_min + j) * d, in->x + rows[pick[j]] * d, d * sizeof(*xc));
        yc[n_min + j] = in->y[rows[pick[j]]];
    }
    for (size_t i = 0; i < mc; i++) { /* np.delete: each drawn position once */
        if (!drawn[i]) {
            memcpy(xs + m_s * d, in->x + rows[i] * d, d * sizeof(*xs));
            srow[m_s++] = rows[i];
        }
    }
    st = imbal_knn_build(xc, n_c, d, IMBAL_KNN_AUTO, &knn, err);
    if (st == IMBAL_OK) {
        st = imbal_knn_vote(knn, yc, n_c, xs, m_s, k, in->n_classes, pred, err);
    }
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t j = 0; j < n_seeds; j++) {
        sel[(*n_sel)++] = rows[pick[j]];
    }
    for (size_t i = 0; i < m_s; i++) {
        if (pred[i] != in->y[srow[i]]) {
            sel[(*n_sel)++] = srow[i];
        }
    }
cleanup:
    imbal_knn_free(knn);
    free(pick);
    free(drawn);
    free(xc);
    free(yc);
    free(xs);
    free(srow);
    free(pred);
    return st;
}

/* Removes from sel (n_sel rows of in) the Tomek links of the classes in clean. */
static imbal_status oss_tomek(const imbal_train_view *in, const unsigned char *clean, size_t *sel,
                              size_t *n_sel, imbal_error *err)
{
    size_t n = *n_sel;
    size_t d = in->d;
    double *x = imbal_malloc(n, d * sizeof(*x));
    int *y = imbal_malloc(n, sizeof(*y));
    unsigned char *link = imbal_malloc(n, sizeof(*link));
    imbal_status st = IMBAL_OK;
    if (x == NULL || y == NULL || link == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for one-sided selection");
        goto cleanup;
    }
    if (n < 2) {
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(x + i * d, in->x + sel[i] * d, d * sizeof(*x));
        y[i] = in->y[sel[i]];
    }
    st = imbal_tomek_links_mask(x, y, n, d, clean, link, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    *n_sel = 0;
    for (size_t i = 0; i < n; i++) {
        if (!link[i]) {
            sel[(*n_sel)++] = sel[i];
        }
    }
cleanup:
    free(x);
    free(y);
    free(link);
    return st;
}

imbal_status imbal_one_sided_selection_run(const imbal_train_view *in,
                                           const imbal_param_values *p, imbal_rng *rng,
                                           imbal_resampled **out, imbal_error *err)
{
    size_t k = (size_t)imbal_param_num(p, "n_neighbors");
    size_t n_seeds = (size_t)imbal_param_num(p, "n_seeds_S");
    size_t nc = in->n_classes;
    long *target = imbal_malloc(nc, sizeof(*target));
    unsigned char *clean = imbal_calloc(nc, sizeof(*clean));
    size_t *rows = imbal_malloc(in->n, sizeof(*rows));
    size_t *mrows = imbal_malloc(in->n, sizeof(*mrows));
    size_t *sel = imbal_malloc(in->n + nc * n_seeds, sizeof(*sel));
    size_t n_sel = 0;
    int minority = 0;
    imbal_status st;
    *out = NULL;
    if (target == NULL || clean == NULL || rows == NULL || mrows == NULL || sel == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for one-sided selection");
        goto cleanup;
    }
    st = imbal_sampler_targets(in, p, IMBAL_SAMPLER_CLEAN, target, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t i = 0; i < in->n; i++) {
        rows[i] = i;
    }
    st = imbal_counter_minority(in->y, rows, in->n, nc, &minority, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    size_t n_min = imbal_class_rows(in, minority, mrows);
    for (size_t c = 0; c < nc; c++) {
        size_t mc = imbal_class_rows(in, (int)c, rows);
        clean[c] = target[c] > 0;
        if (mc == 0) {
            continue;
        }
        if (!clean[c]) {
            memcpy(sel + n_sel, rows, mc * sizeof(*rows));
            n_sel += mc;
            continue;
        }
        st = oss_class(in, rows, mc, mrows, n_min, n_seeds, k, rng, sel, &n_sel, err);
        if (st != IMBAL_OK) {
            goto cleanup;
        }
    }
    st = oss_tomek(in, clean, sel, &n_sel, err);
    if (st == IMBAL_OK) {
        st = imbal_resampled_rows(in, sel, n_sel, out, err);
    }
cleanup:
    free(target);
    free(clean);
    free(rows);
    free(mrows);
    free(sel);
    return st;
}

imbal_status imbal_one_sided_selection_check(const imbal_param_values *p,
                                                     const size_t *counts, size_t n_classes,
                                                     imbal_error *err)
{
    size_t n_min = SIZE_MAX;
    for (size_t c = 0; c < n_classes; c++) {
        if (counts[c] > 0 && counts[c] < n_min) {
            n_min = counts[c];
        }
    }
    imbal_status st = imbal_check_strategy(p, IMBAL_SAMPLER_CLEAN, counts, n_classes, NULL, err);
    if (st == IMBAL_OK) {
        st = imbal_check_neighbours((size_t)imbal_param_num(p, "n_neighbors"), 0,
                                    n_min + (size_t)imbal_param_num(p, "n_seeds_S"),
                                    "n_neighbors", "(the minority rows and the seeds)", err);
    }
    return st;
}
