/* NearMiss as in imbalanced-learn 0.10 (Mani and Zhang 2003). Each class sampling_strategy
 * under-samples keeps its target count of rows ranked by their distances to the minority
 * rows (the input's smallest class, ties to the class seen first, as Counter):
 *   version 1: smallest sum of the distances to the n_neighbors nearest minority rows;
 *   version 2: smallest sum of the distances to the n_neighbors farthest minority rows;
 *   version 3: the rows among the n_neighbors_ver3 nearest of some minority row, then the
 *              largest sum of the distances to their n_neighbors nearest minority rows (may
 *              keep fewer than the target, as imblearn does, which warns).
 * Sums add the distances nearest first in numpy's order (imbal_pairwise_sum), rankings are
 * stable (Python's sorted, also reversed), distances exact (ties to the lower row). The
 * output lists class by class the kept rows in ranking order, other classes whole. Reached
 * only through resample.c's table. */
#include "samplers/samplers.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/knn.h"
#include "pairwise.h"

const imbal_param_spec imbal_near_miss_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "classes to under-sample and their target counts"},
    {"version", IMBAL_PARAM_INT, "1", 1, 3, NULL,
     "1: nearest to the closest minority rows; 2: to the farthest; 3: around each minority row"},
    {"n_neighbors", IMBAL_PARAM_INT, "3", 1, 1e6, NULL,
     "minority neighbours whose distances are summed"},
    {"n_neighbors_ver3", IMBAL_PARAM_INT, "3", 1, 1e6, NULL,
     "version 3: the rows of a class kept as candidates around each minority row"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

typedef struct {
    double score;
    size_t i;
} near_miss_rank;

static int near_miss_ascending(const void *a, const void *b)
{
    const near_miss_rank *x = a;
    const near_miss_rank *y = b;
    if (x->score != y->score) {
        return x->score < y->score ? -1 : 1;
    }
    return x->i < y->i ? -1 : x->i > y->i;
}

static int near_miss_descending(const void *a, const void *b)
{
    const near_miss_rank *x = a;
    const near_miss_rank *y = b;
    if (x->score != y->score) {
        return x->score > y->score ? -1 : 1;
    }
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The rows of in listed in rows[0 .. m), gathered into a new m * d array (NULL: ENOMEM). */
static double *near_miss_gather(const imbal_train_view *in, const size_t *rows, size_t m)
{
    double *x = imbal_malloc(m > 0 ? m : 1, in->d * sizeof(*x));
    if (x != NULL) {
        for (size_t i = 0; i < m; i++) {
            memcpy(x + i * in->d, in->x + rows[i] * in->d, in->d * sizeof(*x));
        }
    }
    return x;
}

/* rank[i].score for the m query rows q: the sum of the last `last` of their `k` nearest
 * distances to the minority index. */
static imbal_status near_miss_scores(const imbal_knn *knn_min, const double *q, size_t m,
                                     size_t k, size_t last, near_miss_rank *rank,
                                     imbal_error *err)
{
    size_t *idx = imbal_malloc(m, k * sizeof(*idx));
    double *dist = imbal_malloc(m, k * sizeof(*dist));
    imbal_status st;
    if (idx == NULL || dist == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for NearMiss distances");
        goto cleanup;
    }
    st = imbal_knn_query(knn_min, q, m, k, 0, idx, dist, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t i = 0; i < m; i++) {
        rank[i].score = imbal_pairwise_sum(dist + i * k + (k - last), last);
        rank[i].i = i;
    }
cleanup:
    free(idx);
    free(dist);
    return st;
}

/* Version 3's candidates: the distinct rows of the class (xc, mc rows) among the k3 nearest
 * of some minority row, in increasing order (np.unique), into sel; *n_sel. */
static imbal_status near_miss_candidates(const double *xc, size_t mc, const double *xm,
                                         size_t n_min, size_t d, size_t k3, size_t *sel,
                                         size_t *n_sel, imbal_error *err)
{
    imbal_knn *knn = NULL;
    size_t *idx = imbal_malloc(n_min, k3 * sizeof(*idx));
    unsigned char *hit = imbal_calloc(mc, sizeof(*hit));
    imbal_status st;
    *n_sel = 0;
    if (idx == NULL || hit == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for NearMiss-3");
        goto cleanup;
    }
    st = imbal_knn_build(xc, mc, d, IMBAL_KNN_AUTO, &knn, err);
    if (st == IMBAL_OK) {
        st = imbal_knn_query(knn, xm, n_min, k3, 0, idx, NULL, err);
    }
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t i = 0; i < n_min * k3; i++) {
        hit[idx[i]] = 1;
    }
    for (size_t i = 0; i < mc; i++) {
        if (hit[i]) {
            sel[(*n_sel)++] = i;
        }
    }
cleanup:
    imbal_knn_free(knn);
    free(idx);
    free(hit);
    return st;
}

/* The kept rows of class c (rows, mc of them) in ranking order, appended to kept at *pos. */
static imbal_status near_miss_class(const imbal_train_view *in, const size_t *rows, size_t mc,
                                    long target, const imbal_knn *knn_min, const double *xm,
                                    size_t n_min, int version, size_t k, size_t k3,
                                    size_t *kept, size_t *pos, imbal_error *err)
{
    double *xc = near_miss_gather(in, rows, mc);
    double *xs = NULL;
    size_t *sel = imbal_malloc(mc > 0 ? mc : 1, sizeof(*sel));
    near_miss_rank *rank = imbal_malloc(mc > 0 ? mc : 1, sizeof(*rank));
    size_t n_sel = mc;
    imbal_status st;
    if (xc == NULL || sel == NULL || rank == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for NearMiss");
        goto cleanup;
    }
    for (size_t i = 0; i < mc; i++) {
        sel[i] = i;
    }
    if (version == 1) {
        st = near_miss_scores(knn_min, xc, mc, k, k, rank, err);
    } else if (version == 2) {
        st = near_miss_scores(knn_min, xc, mc, n_min, k < n_min ? k : n_min, rank, err);
    } else {
        if (k3 > mc) {
            st = imbal_fail(err, IMBAL_EINVAL,
                            "n_neighbors_ver3 = %zu is more than the %zu rows of class %d", k3,
                            mc, in->y[rows[0]]);
            imbal_error_set_key(err, "n_neighbors_ver3");
            goto cleanup;
        }
        st = near_miss_candidates(xc, mc, xm, n_min, in->d, k3, sel, &n_sel, err);
        if (st != IMBAL_OK) {
            goto cleanup;
        }
        xs = imbal_malloc(n_sel, in->d * sizeof(*xs));
        if (xs == NULL) {
            st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for NearMiss-3");
            goto cleanup;
        }
        for (size_t i = 0; i < n_sel; i++) {
            memcpy(xs + i * in->d, xc + sel[i] * in->d, in->d * sizeof(*xs));
        }
        st = near_miss_scores(knn_min, xs, n_sel, k, k, rank, err);
    }
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    qsort(rank, n_sel, sizeof(*rank), version == 3 ? near_miss_descending : near_miss_ascending);
    size_t take = (size_t)target < n_sel ? (size_t)target : n_sel;
    for (size_t j = 0; j < take; j++) {
        kept[(*pos)++] = rows[sel[rank[j].i]];
    }
cleanup:
    free(xc);
    free(xs);
    free(sel);
    free(rank);
    return st;
}

imbal_status imbal_near_miss_run(const imbal_train_view *in, const imbal_param_values *p,
                                 imbal_rng *rng, imbal_resampled **out, imbal_error *err)
{
    int version = (int)imbal_param_num(p, "version");
    size_t k = (size_t)imbal_param_num(p, "n_neighbors");
    size_t k3 = (size_t)imbal_param_num(p, "n_neighbors_ver3");
    size_t nc = in->n_classes;
    long *target = imbal_malloc(nc, sizeof(*target));
    size_t *all = imbal_malloc(in->n, sizeof(*all));
    size_t *rows = imbal_malloc(in->n, sizeof(*rows));
    size_t *min_rows = imbal_malloc(in->n, sizeof(*min_rows));
    size_t *kept = imbal_malloc(in->n, sizeof(*kept));
    double *xm = NULL;
    imbal_knn *knn_min = NULL;
    size_t pos = 0;
    int minority = 0;
    imbal_status st;
    (void)rng; /* deterministic */
    *out = NULL;
    if (target == NULL || all == NULL || rows == NULL || min_rows == NULL || kept == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for NearMiss");
        goto cleanup;
    }
    st = imbal_sampler_targets(in, p, IMBAL_SAMPLER_UNDER, target, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t i = 0; i < in->n; i++) {
        all[i] = i;
    }
    st = imbal_counter_minority(in->y, all, in->n, nc, &minority, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    size_t n_min = imbal_class_rows(in, minority, min_rows);
    if (version != 2 && k > n_min) {
        st = imbal_fail(err, IMBAL_EINVAL,
                        "n_neighbors = %zu is more than the %zu rows of the minority class %d",
                        k, n_min, minority);
        imbal_error_set_key(err, "n_neighbors");
        goto cleanup;
    }
    xm = near_miss_gather(in, min_rows, n_min);
    if (xm == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for NearMiss");
        goto cleanup;
    }
    st = imbal_knn_build(xm, n_min, in->d, IMBAL_KNN_AUTO, &knn_min, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t c = 0; c < nc; c++) {
        size_t mc = imbal_class_rows(in, (int)c, rows);
        if (mc == 0) {
            continue;
        }
        if (target[c] < 0) {
            memcpy(kept + pos, rows, mc * sizeof(*rows));
            pos += mc;
            continue;
        }
        st = near_miss_class(in, rows, mc, target[c], knn_min, xm, n_min, version, k, k3, kept,
                             &pos, err);
        if (st != IMBAL_OK) {
            goto cleanup;
        }
    }
    st = imbal_resampled_rows(in, kept, pos, out, err);
cleanup:
    imbal_knn_free(knn_min);
    free(target);
    free(all);
    free(rows);
    free(min_rows);
    free(kept);
    free(xm);
    return st;
}

imbal_status imbal_near_miss_check(const imbal_param_values *p, const size_t *counts,
                                   size_t n_classes, imbal_error *err)
{
    int version = (int)imbal_param_num(p, "version");
    size_t k = (size_t)imbal_param_num(p, "n_neighbors");
    size_t k3 = (size_t)imbal_param_num(p, "n_neighbors_ver3");
    long *target = imbal_malloc(n_classes, sizeof(*target));
    size_t n_min = SIZE_MAX;
    imbal_status st;
    if (target == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu classes", n_classes);
    }
    st = imbal_check_strategy(p, IMBAL_SAMPLER_UNDER, counts, n_classes, target, err);
    for (size_t c = 0; c < n_classes; c++) {
        if (counts[c] > 0 && counts[c] < n_min) {
            n_min = counts[c];
        }
    }
    if (st == IMBAL_OK && version != 2) {
        st = imbal_check_neighbours(k, 0, n_min, "n_neighbors", "of the minority class", err);
    }
    for (size_t c = 0; c < n_classes && st == IMBAL_OK && version == 3; c++) {
        if (counts[c] > 0 && target[c] >= 0) {
            st = imbal_check_neighbours(k3, 0, counts[c], "n_neighbors_ver3",
                                        "of each under-sampled class", err);
        }
    }
    free(target);
    return st;
}
