/* The neighbourhood cleaning rule as in imbalanced-learn 0.10's NeighbourhoodCleaningRule
 * (Laurikkala 2001). Removed are (A1) the rows that edited nearest neighbours with kind_sel
 * mode removes (imbal_enn_pass, on the classes of sampling_strategy), and (A2) the
 * n_neighbors nearest rows of each minority row whose neighbourhood disagrees with it, when
 * such a neighbour's class is cleaned and holds more than threshold_cleaning of all rows.
 * "Disagrees" follows imblearn 0.10 to the letter: with kind_sel mode, the neighbours' mode is
 * not the minority; with kind_sel all (the default), some neighbour has label 0 (imblearn
 * tests np.all(labels), i.e. labels non-zero, not labels == minority: the same on binary
 * data with the minority as class 1, different on more classes). The minority is the input's
 * smallest class, ties to the class seen first (Counter). The kept rows stay in input order.
 * threshold_cleaning may be 0 or 1 here (imblearn wants it strictly inside). Reached only
 * through resample.c's table. */
#include "samplers/samplers.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/knn.h"
#include "samplers/cleaning.h"

const imbal_param_spec imbal_neighbourhood_cleaning_rule_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "classes to clean (auto: all but the minority; or a list of classes)"},
    {"n_neighbors", IMBAL_PARAM_INT, "3", 1, 1e6, NULL,
     "neighbours for the edited-nearest-neighbours step and around minority rows"},
    {"kind_sel", IMBAL_PARAM_STRING, "all", 0, 0, "all|mode",
     "when a minority row's neighbours disagree (all: one has label 0, as imblearn 0.10)"},
    {"threshold_cleaning", IMBAL_PARAM_DOUBLE, "0.5", 0, 1, NULL,
     "a class's neighbours of minority rows go only if it holds more than this share"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

/* Marks in removed[] the neighbours (A2) of the minority rows (rows, m_min of them) whose
 * neighbourhood disagrees, when their class is in under[]. */
static imbal_status ncr_mark_a2(const imbal_train_view *in, const size_t *rows, size_t m_min,
                                size_t k, imbal_enn_kind kind, int minority,
                                const unsigned char *under, unsigned char *removed,
                                imbal_error *err)
{
    size_t d = in->d;
    imbal_knn *knn = NULL;
    double *q = imbal_malloc(m_min, d * sizeof(*q));
    size_t *nn = imbal_malloc(m_min, (k + 1) * sizeof(*nn));
    int *lab = imbal_malloc(k, sizeof(*lab));
    size_t *counts = imbal_malloc(in->n_classes, sizeof(*counts));
    imbal_status st;
    if (q == NULL || nn == NULL || lab == NULL || counts == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for the neighbourhood cleaning rule");
        goto cleanup;
    }
    for (size_t i = 0; i < m_min; i++) {
        memcpy(q + i * d, in->x + rows[i] * d, d * sizeof(*q));
    }
    st = imbal_knn_build(in->x, in->n, d, IMBAL_KNN_AUTO, &knn, err);
    if (st == IMBAL_OK) {
        st = imbal_knn_query(knn, q, m_min, k + 1, 0, nn, NULL, err);
    }
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t i = 0; i < m_min; i++) {
        const size_t *nb = nn + i * (k + 1) + 1; /* first column dropped */
        int agrees = 1;
        for (size_t j = 0; j < k; j++) {
            lab[j] = in->y[nb[j]];
            agrees &= lab[j] != 0;
        }
        if (kind == IMBAL_ENN_MODE) {
            agrees = imbal_label_mode(lab, k, counts, in->n_classes) == minority;
        }
        if (!agrees) {
            for (size_t j = 0; j < k; j++) {
                if (under[in->y[nb[j]]]) {
                    removed[nb[j]] = 1;
                }
            }
        }
    }
cleanup:
    imbal_knn_free(knn);
    free(q);
    free(nn);
    free(lab);
    free(counts);
    return st;
}

imbal_status imbal_neighbourhood_cleaning_rule_run(const imbal_train_view *in,
                                                   const imbal_param_values *p, imbal_rng *rng,
                                                   imbal_resampled **out, imbal_error *err)
{
    size_t n = in->n;
    size_t k = (size_t)imbal_param_num(p, "n_neighbors");
    double threshold = imbal_param_num(p, "threshold_cleaning");
    size_t *rows = imbal_malloc(n, sizeof(*rows));
    size_t *kept = imbal_malloc(n, sizeof(*kept));
    unsigned char *removed = imbal_malloc(n, sizeof(*removed));
    size_t *counts = imbal_malloc(in->n_classes, sizeof(*counts));
    long *target = imbal_malloc(in->n_classes, sizeof(*target));
    unsigned char *under = imbal_calloc(in->n_classes, sizeof(*under));
    size_t m = 0;
    int minority = 0;
    imbal_status st;
    (void)rng; /* deterministic */
    *out = NULL;
    if (rows == NULL || kept == NULL || removed == NULL || counts == NULL || target == NULL ||
        under == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for the neighbourhood cleaning rule");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        rows[i] = i;
        removed[i] = 1;
    }
    /* A1: what ENN (mode) removes */
    st = imbal_enn_pass(in, p, rows, n, k, IMBAL_ENN_MODE, kept, &m, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t i = 0; i < m; i++) {
        removed[kept[i]] = 0;
    }
    st = imbal_counter_minority(in->y, rows, n, in->n_classes, &minority, err);
    if (st == IMBAL_OK) {
        st = imbal_sampler_targets(in, p, IMBAL_SAMPLER_CLEAN, target, err);
    }
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    imbal_class_counts(in, counts);
    for (size_t c = 0; c < in->n_classes; c++) {
        under[c] = target[c] > 0 && (double)counts[c] > (double)n * threshold;
    }
    /* A2: neighbours of the minority rows whose neighbourhood disagrees */
    size_t m_min = imbal_class_rows(in, minority, rows);
    st = ncr_mark_a2(in, rows, m_min, k, imbal_enn_kind_of(p), minority, under, removed, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!removed[i]) {
            kept[m++] = i;
        }
    }
    st = imbal_resampled_rows(in, kept, m, out, err);
cleanup:
    free(rows);
    free(kept);
    free(removed);
    free(counts);
    free(target);
    free(under);
    return st;
}

imbal_status imbal_neighbourhood_cleaning_rule_check(const imbal_param_values *p,
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
