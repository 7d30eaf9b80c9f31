/* Condensed nearest neighbour as in imbalanced-learn 0.10's CondensedNearestNeighbour (Hart
 * 1968). For each class to clean (sampling_strategy, default all but the minority), in label
 * order: n_seeds_S seed rows drawn with replacement (numpy's randint(0, class size), one
 * stream for all classes, so compat: sklearn replays random_state); a k-nearest-neighbours
 * classifier (n_neighbors, default 1) on the minority rows (the input's smallest class, ties
 * to the class seen first, as Counter) and the selection; then the class's rows in order: a
 * row the classifier gets wrong joins the selection and the classifier is refitted. imblearn
 * skips the rows it calls well classified, a set that mixes the selection's row numbers in
 * the whole input with positions inside the class (and, after each refit, the positions of
 * the class rows then classified right); that set is kept as it is, since it decides which
 * rows are tried. Other classes are kept whole; the output lists class by class the seeds,
 * then the rows added, in that order. Reached only through resample.c's table. */
#include "samplers/samplers.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/knn.h"
#include "samplers/cleaning.h"

const imbal_param_spec imbal_condensed_nearest_neighbour_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "classes to condense (auto: all but the minority; or a list of classes)"},
    {"n_neighbors", IMBAL_PARAM_INT, "1", 1, 1e6, NULL,
     "neighbours the nearest-neighbour classifier votes with"},
    {"n_seeds_S", IMBAL_PARAM_INT, "1", 1, 1e6, NULL,
     "rows of each class drawn to start its selection"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

typedef struct {
    double *x; /* the classifier's rows: minority, then the selection */
    int *y;
    size_t n;
    imbal_knn *knn;
} cnn_store;

static void cnn_add(cnn_store *c, const imbal_train_view *in, size_t row)
{
    memcpy(c->x + c->n * in->d, in->x + row * in->d, in->d * sizeof(*c->x));
    c->y[c->n++] = in->y[row];
}

static imbal_status cnn_refit(cnn_store *c, size_t d, imbal_error *err)
{
    imbal_knn_free(c->knn);
    c->knn = NULL;
    return imbal_knn_build(c->x, c->n, d, IMBAL_KNN_AUTO, &c->knn, err);
}

/* Condenses one class (rows, mc of them): appends its selection to sel at *n_sel. */
static imbal_status cnn_class(const imbal_train_view *in, const size_t *rows, size_t mc,
                              const size_t *mrows, size_t n_min, size_t n_seeds, size_t k,
                              int c, imbal_rng *rng, size_t *sel, size_t *n_sel,
                              imbal_error *err)
{
    size_t d = in->d;
    size_t cap = n_min + n_seeds + mc;
    cnn_store store = {imbal_malloc(cap, d * sizeof(double)), imbal_malloc(cap, sizeof(int)), 0,
                       NULL};
    unsigned char *in_sel = imbal_calloc(in->n, sizeof(*in_sel)); /* by input row number */
    unsigned char *right = imbal_calloc(mc, sizeof(*right));     /* by position in class */
    double *xs = imbal_malloc(mc, d * sizeof(*xs));
    int *pred = imbal_malloc(mc, sizeof(*pred));
    size_t start = *n_sel;
    imbal_status st;
    if (store.x == NULL || store.y == NULL || in_sel == NULL || right == NULL || xs == NULL ||
        pred == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for condensed nearest neighbour");
        goto cleanup;
    }
    for (size_t i = 0; i < mc; i++) {
        memcpy(xs + i * d, in->x + rows[i] * d, d * sizeof(*xs));
    }
    for (size_t i = 0; i < n_min; i++) {
        cnn_add(&store, in, mrows[i]);
    }
    for (size_t j = 0; j < n_seeds; j++) {
        size_t row = rows[imbal_rng_below(rng, mc)];
        sel[(*n_sel)++] = row;
        in_sel[row] = 1;
        cnn_add(&store, in, row);
    }
    st = cnn_refit(&store, d, err);
    for (size_t i = 0; i < mc && st == IMBAL_OK; i++) {
        int one;
        /* imblearn's `idx_sam in good_classif_label`: a position tested against row numbers
         * of the selection and positions classified right */
        if (in_sel[i] || right[i]) {
            continue;
        }
        st = imbal_knn_vote(store.knn, store.y, store.n, xs + i * d, 1, k, in->n_classes, &one,
                            err);
        if (st != IMBAL_OK || one == c) {
            continue;
        }
        sel[(*n_sel)++] = rows[i];
        in_sel[rows[i]] = 1;
        cnn_add(&store, in, rows[i]);
        st = cnn_refit(&store, d, err);
        if (st == IMBAL_OK) {
            st = imbal_knn_vote(store.knn, store.y, store.n, xs, mc, k, in->n_classes, pred, err);
        }
        for (size_t j = 0; j < mc && st == IMBAL_OK; j++) {
            right[j] = pred[j] == c;
        }
    }
    if (st != IMBAL_OK) {
        *n_sel = start;
    }
cleanup:
    imbal_knn_free(store.knn);
    free(store.x);
    free(store.y);
    free(in_sel);
    free(right);
    free(xs);
    free(pred);
    return st;
}

imbal_status imbal_condensed_nearest_neighbour_run(const imbal_train_view *in,
                                                   const imbal_param_values *p, imbal_rng *rng,
                                                   imbal_resampled **out, imbal_error *err)
{
    size_t k = (size_t)imbal_param_num(p, "n_neighbors");
    size_t n_seeds = (size_t)imbal_param_num(p, "n_seeds_S");
    size_t nc = in->n_classes;
    long *target = imbal_malloc(nc, sizeof(*target));
    size_t *rows = imbal_malloc(in->n, sizeof(*rows));
    size_t *mrows = imbal_malloc(in->n, sizeof(*mrows));
    size_t *sel = imbal_malloc(in->n + nc * n_seeds, sizeof(*sel));
    size_t n_sel = 0;
    int minority = 0;
    imbal_status st;
    *out = NULL;
    if (target == NULL || rows == NULL || mrows == NULL || sel == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for condensed nearest neighbour");
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
        if (mc == 0) {
            continue;
        }
        if (target[c] <= 0) {
            memcpy(sel + n_sel, rows, mc * sizeof(*rows));
            n_sel += mc;
            continue;
        }
        st = cnn_class(in, rows, mc, mrows, n_min, n_seeds, k, (int)c, rng, sel, &n_sel, err);
        if (st != IMBAL_OK) {
            goto cleanup;
        }
    }
    st = imbal_resampled_rows(in, sel, n_sel, out, err);
cleanup:
    free(target);
    free(rows);
    free(mrows);
    free(sel);
    return st;
}

imbal_status imbal_condensed_nearest_neighbour_check(const imbal_param_values *p,
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
