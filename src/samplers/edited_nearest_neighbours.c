/* Edited nearest neighbours as in imbalanced-learn 0.10's EditedNearestNeighbours (Wilson
 * 1972): a row of a class to clean (sampling_strategy, default every class but the minority)
 * is removed when its n_neighbors nearest rows disagree with its class: any of them
 * (kind_sel all) or their majority (mode, ties to the smaller label as scipy's mode). The
 * pass itself (imbal_enn_pass, cleaning.h) works on a list of rows, so RENN and AllKNN repeat
 * it on what the previous pass kept and the neighbourhood cleaning rule reuses it. The kept
 * rows come out class by class, as imblearn concatenates them. Reached only through
 * resample.c's table, on a training fold. */
#include "samplers/samplers.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/knn.h"
#include "samplers/cleaning.h"

const imbal_param_spec imbal_edited_nearest_neighbours_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "classes to clean (auto: all but the minority; or a list of classes)"},
    {"n_neighbors", IMBAL_PARAM_INT, "3", 1, 1e6, NULL,
     "neighbours of a row (among all rows) that must agree with its class"},
    {"kind_sel", IMBAL_PARAM_STRING, "all", 0, 0, "all|mode",
     "all: every neighbour must share the class; mode: the most frequent label must"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

imbal_enn_kind imbal_enn_kind_of(const imbal_param_values *p)
{
    return strcmp(imbal_param_text(p, "kind_sel"), "mode") == 0 ? IMBAL_ENN_MODE : IMBAL_ENN_ALL;
}

int imbal_label_mode(const int *labels, size_t k, size_t *counts, size_t n_classes)
{
    int best = labels[0];
    for (size_t j = 0; j < k; j++) {
        counts[labels[j]] = 0;
    }
    for (size_t j = 0; j < k; j++) {
        counts[labels[j]]++;
    }
    for (size_t j = 0; j < k; j++) {
        int c = labels[j];
        if (counts[c] > counts[best] || (counts[c] == counts[best] && c < best)) {
            best = c;
        }
    }
    (void)n_classes;
    return best;
}

/* keep[i] for the rows cur[0 .. m) of in whose class is to be cleaned (clean[c]); the others
 * are left as set. xs is scratch of m * d doubles. */
static imbal_status enn_mark(const imbal_train_view *in, const size_t *cur, size_t m, size_t k,
                             imbal_enn_kind kind, const unsigned char *clean, double *xs,
                             unsigned char *keep, imbal_error *err)
{
    size_t d = in->d;
    size_t n_query = 0;
    imbal_knn *knn = NULL;
    size_t *qrow = imbal_malloc(m, sizeof(*qrow));
    double *q = NULL;
    size_t *nn = NULL;
    int *lab = imbal_malloc(k, sizeof(*lab));
    size_t *counts = imbal_malloc(in->n_classes, sizeof(*counts));
    imbal_status st = IMBAL_OK;
    if (qrow == NULL || lab == NULL || counts == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for edited nearest neighbours");
        goto cleanup;
    }
    for (size_t i = 0; i < m; i++) {
        memcpy(xs + i * d, in->x + cur[i] * d, d * sizeof(*xs));
        if (clean[in->y[cur[i]]]) {
            qrow[n_query++] = i;
        }
    }
    if (n_query == 0) {
        goto cleanup;
    }
    q = imbal_malloc(n_query, d * sizeof(*q));
    nn = imbal_malloc(n_query, (k + 1) * sizeof(*nn));
    if (q == NULL || nn == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for the neighbours of %zu rows",
                        n_query);
        goto cleanup;
    }
    for (size_t i = 0; i < n_query; i++) {
        memcpy(q + i * d, xs + qrow[i] * d, d * sizeof(*q));
    }
    st = imbal_knn_build(xs, m, d, IMBAL_KNN_AUTO, &knn, err);
    if (st == IMBAL_OK) {
        st = imbal_knn_query(knn, q, n_query, k + 1, 0, nn, NULL, err);
    }
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t i = 0; i < n_query; i++) {
        int c = in->y[cur[qrow[i]]];
        int ok = 1;
        for (size_t j = 0; j < k; j++) {
            lab[j] = in->y[cur[nn[i * (k + 1) + 1 + j]]];
            ok &= lab[j] == c;
        }
        if (kind == IMBAL_ENN_MODE) {
            ok = imbal_label_mode(lab, k, counts, in->n_classes) == c;
        }
        keep[qrow[i]] = (unsigned char)ok;
    }
cleanup:
    imbal_knn_free(knn);
    free(qrow);
    free(q);
    free(nn);
    free(lab);
    free(counts);
    return st;
}

imbal_status imbal_enn_pass(const imbal_train_view *in, const imbal_param_values *p,
                            const size_t *cur, size_t m, size_t k, imbal_enn_kind kind,
                            size_t *next, size_t *m_next, imbal_error *err)
{
    size_t nc = in->n_classes;
    size_t *counts = imbal_calloc(nc, sizeof(*counts));
    long *target = imbal_malloc(nc, sizeof(*target));
    unsigned char *clean = imbal_calloc(nc, sizeof(*clean));
    unsigned char *keep = imbal_malloc(m > 0 ? m : 1, sizeof(*keep));
    double *xs = imbal_malloc(m > 0 ? m : 1, in->d * sizeof(*xs));
    imbal_status st;
    *m_next = 0;
    if (counts == NULL || target == NULL || clean == NULL || keep == NULL || xs == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for edited nearest neighbours");
        goto cleanup;
    }
    if (k + 1 > m) {
        st = imbal_fail(err, IMBAL_EINVAL,
                        "n_neighbors = %zu needs at least %zu rows (the row and its "
                        "neighbours); there are %zu",
                        k, k + 1, m);
        imbal_error_set_key(err, "n_neighbors");
        goto cleanup;
    }
    for (size_t i = 0; i < m; i++) {
        counts[in->y[cur[i]]]++;
        keep[i] = 1;
    }
    st = imbal_strategy_targets(imbal_param_strategy(p, "sampling_strategy"),
                                IMBAL_SAMPLER_CLEAN, counts, nc, target, err);
    if (st != IMBAL_OK) {
        imbal_error_set_key(err, "sampling_strategy");
        goto cleanup;
    }
    for (size_t c = 0; c < nc; c++) {
        clean[c] = target[c] > 0;
    }
    st = enn_mark(in, cur, m, k, kind, clean, xs, keep, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t c = 0; c < nc; c++) {
        for (size_t i = 0; i < m; i++) {
            if (keep[i] && in->y[cur[i]] == (int)c) {
                next[(*m_next)++] = cur[i];
            }
        }
    }
cleanup:
    free(counts);
    free(target);
    free(clean);
    free(keep);
    free(xs);
    return st;
}

imbal_status imbal_edited_nearest_neighbours_run(const imbal_train_view *in,
                                                 const imbal_param_values *p, imbal_rng *rng,
                                                 imbal_resampled **out, imbal_error *err)
{
    size_t *all = imbal_malloc(in->n, sizeof(*all));
    size_t *kept = imbal_malloc(in->n, sizeof(*kept));
    size_t m = 0;
    imbal_status st;
    (void)rng; /* deterministic */
    *out = NULL;
    if (all == NULL || kept == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for edited nearest neighbours");
        goto cleanup;
    }
    for (size_t i = 0; i < in->n; i++) {
        all[i] = i;
    }
    st = imbal_enn_pass(in, p, all, in->n, (size_t)imbal_param_num(p, "n_neighbors"),
                        imbal_enn_kind_of(p), kept, &m, err);
    if (st == IMBAL_OK) {
        st = imbal_resampled_rows(in, kept, m, out, err);
    }
cleanup:
    free(all);
    free(kept);
    return st;
}

imbal_status imbal_edited_nearest_neighbours_check(const imbal_param_values *p,
                                                   const size_t *counts, size_t n_classes,
                                                   imbal_error *err)
{
    size_t n = 0;
    for (size_t c = 0; c < n_classes; c++) {
        n += counts[c];
    }
    imbal_status st = imbal_check_strategy(p, IMBAL_SAMPLER_CLEAN, counts, n_classes, NULL, err);
    if (st == IMBAL_OK) {
        st = imbal_check_neighbours((size_t)imbal_param_num(p, "n_neighbors"), 1, n,
                                    "n_neighbors", "(a row and its neighbours)", err);
    }
    return st;
}
