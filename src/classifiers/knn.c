/* knn: scikit-learn 1.2's KNeighborsClassifier (Euclidean, p = 2) on imbal's exact k-NN
 * engine (knn.h). The model keeps its own copy of the training rows and labels, so the
 * caller's training set may be freed after the fit. predict_proba is the neighbours' vote
 * shares, as scikit-learn computes them: per class, the weights of the neighbours of that
 * class added nearest first (uniform: 1; distance: 1 / d, and when some neighbours are at
 * distance 0 those alone vote, with weight 1), divided by their sum over the classes (numpy's
 * sum, imbal_pairwise_sum). The ranking score is the probabilities themselves.
 * Ties at equal distance: the engine keeps the lower training row (its position in the view).
 * scikit-learn's KD-tree (algorithm 'auto' on at most 15 features) keeps the tied row its
 * depth-first search reaches first (its heap refuses a candidate equal to the current k-th),
 * an order set by how its tree build partitioned the rows, not by their index; the two agree
 * whenever the k-th and (k + 1)-th nearest rows are at different distances. On the published
 * abalone19 and iris_imbalanced splits no test row has such a tie (scripts/ref_knn_classifier.py
 * counts them; tests/test_classifier_knn.c). KNeighborsClassifier has no class weights: a fit
 * given any is refused (the registry's flags leave IMBAL_CLASSIFIER_CLASS_WEIGHT out). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "classifiers.h"
#include "imbal/knn.h"
#include "pairwise.h"

const imbal_param_spec imbal_knn_classifier_params[] = {
    {"n_neighbors", IMBAL_PARAM_INT, "5", 1, 1e6, NULL,
     "neighbours that vote (scikit-learn's n_neighbors)"},
    {"weights", IMBAL_PARAM_STRING, "uniform", 0, 0, "uniform|distance",
     "uniform: one vote each; distance: 1 / distance (rows at distance 0 alone vote)"},
    {NULL, 0, NULL, 0, 0, NULL, NULL},
};

typedef struct {
    double *x; /* n * d training rows, owned (the index borrows them) */
    int *y;    /* n labels, owned */
    size_t n;
    size_t k_nn;  /* n_neighbors */
    int distance; /* weights: distance */
    imbal_knn *index;
} knn_state;

/* IMBAL_EINVAL keyed n_neighbors unless the fold has at least n_neighbors rows
 * (scikit-learn: "Expected n_neighbors <= n_samples_fit"). */
static imbal_status knn_check_rows(size_t k_nn, size_t rows, imbal_error *err)
{
    if (k_nn <= rows) {
        return IMBAL_OK;
    }
    imbal_status st = imbal_fail(err, IMBAL_EINVAL,
                                 "knn: n_neighbors = %zu needs %zu training rows; there are %zu",
                                 k_nn, k_nn, rows);
    imbal_error_set_key(err, "n_neighbors");
    return st;
}

imbal_status imbal_knn_classifier_check(const imbal_param_values *p, const size_t *counts, size_t k,
                                        imbal_error *err)
{
    size_t rows = 0;
    for (size_t c = 0; c < k; c++) {
        rows += counts[c];
    }
    return knn_check_rows((size_t)imbal_param_num(p, "n_neighbors"), rows, err);
}

imbal_status imbal_knn_classifier_fit(const imbal_train_view *in,
                                      const imbal_classifier_settings *s, imbal_model *m,
                                      imbal_error *err)
{
    knn_state *st;
    imbal_status rc;
    size_t k_nn = (size_t)imbal_param_num(s->params, "n_neighbors");
    if (s->class_weight.kind != IMBAL_CW_NONE) {
        imbal_fail(err, IMBAL_EINVAL,
                   "knn takes no class_weight (scikit-learn's KNeighborsClassifier has none); "
                   "remove it, or balance the training rows with a sampler");
        imbal_error_set_key(err, "class_weight");
        return IMBAL_EINVAL;
    }
    rc = knn_check_rows(k_nn, in->n, err);
    if (rc != IMBAL_OK) {
        return rc;
    }
    st = imbal_calloc(1, sizeof(*st));
    if (st == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    m->impl = st; /* freed by imbal_knn_classifier_free whatever happens next */
    st->n = in->n;
    st->k_nn = k_nn;
    st->distance = strcmp(imbal_param_text(s->params, "weights"), "distance") == 0;
    st->x = imbal_malloc(in->n, (in->d > 0 ? in->d : 1) * sizeof(double));
    st->y = imbal_malloc(in->n, sizeof(int));
    if (st->x == NULL || st->y == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory copying %zu training rows", in->n);
    }
    memcpy(st->x, in->x, in->n * in->d * sizeof(double));
    memcpy(st->y, in->y, in->n * sizeof(int));
    rc = imbal_knn_build(st->x, in->n, in->d, IMBAL_KNN_AUTO, &st->index, err);
    if (rc != IMBAL_OK) {
        return rc;
    }
    m->method = st->distance ? "distance" : "uniform";
    return IMBAL_OK;
}

/* The vote shares of one row from its neighbours' labels and distances (nearest first):
 * _get_weights and predict_proba of scikit-learn. */
static void knn_shares(const knn_state *st, const size_t *idx, const double *dist, size_t k,
                       double *proba)
{
    int at_zero = 0;
    double norm;
    for (size_t c = 0; c < k; c++) {
        proba[c] = 0.0;
    }
    if (st->distance) {
        /* scikit-learn tests 1 / d for inf, not d for 0: the same rows, and also a
         * subnormal d whose reciprocal overflows */
        for (size_t j = 0; j < st->k_nn; j++) {
            at_zero |= isinf(1.0 / dist[j]);
        }
    }
    for (size_t j = 0; j < st->k_nn; j++) {
        double w = 1.0;
        if (st->distance) {
            w = 1.0 / dist[j];
            if (at_zero) {
                w = isinf(w) ? 1.0 : 0.0;
            }
        }
        proba[st->y[idx[j]]] += w;
    }
    norm = imbal_pairwise_sum(proba, k); /* proba_k.sum(axis=1): numpy's pairwise sum */
    if (norm == 0.0) {
        norm = 1.0; /* as scikit-learn (cannot happen: some weight is positive) */
    }
    for (size_t c = 0; c < k; c++) {
        proba[c] /= norm;
    }
}

imbal_status imbal_knn_classifier_predict(const imbal_model *m, const double *x, size_t n,
                                          double *proba, double *rank, imbal_error *err)
{
    const knn_state *st = m->impl;
    size_t k_nn = st->k_nn;
    size_t *idx = NULL;
    double *dist = NULL;
    imbal_status rc = IMBAL_OK;
    if (n == 0) {
        return IMBAL_OK;
    }
    idx = imbal_malloc(n, k_nn * sizeof(*idx));
    dist = imbal_malloc(n, k_nn * sizeof(*dist));
    if (idx == NULL || dist == NULL) {
        rc = imbal_fail(err, IMBAL_ENOMEM, "out of memory finding %zu neighbours of %zu rows", k_nn,
                        n);
        goto cleanup;
    }
    rc = imbal_knn_query(st->index, x, n, k_nn, 0, idx, dist, err);
    if (rc != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        knn_shares(st, idx + i * k_nn, dist + i * k_nn, m->k, proba + i * m->k);
    }
    if (rank != NULL) {
        memcpy(rank, proba, n * m->k * sizeof(double));
    }
cleanup:
    free(idx);
    free(dist);
    return rc;
}

void imbal_knn_classifier_free(imbal_model *m)
{
    knn_state *st = m->impl;
    if (st != NULL) {
        imbal_knn_free(st->index);
        free(st->x);
        free(st->y);
        free(st);
    }
    m->impl = NULL;
}
