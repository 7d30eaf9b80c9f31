/* Borderline-SMOTE as in imbalanced-learn 0.10 (Han, Wang and Mao 2005). For each targeted
 * class c, a row is "in danger" when at least half but not all of its m_neighbors nearest
 * rows of the whole fold belong to other classes; only danger rows are interpolated, towards
 * one of their k_neighbors nearest rows of class c (borderline-1), or (borderline-2) a beta(10,
 * 10) fraction of the rows that way and the rest with steps in [0, 0.5) towards the row of the
 * other classes' rows at the same position, as imblearn indexes them (its nns index class c's
 * rows but are looked up in X[y != c]: imblearn's behaviour, kept so the rows agree). A class
 * without danger rows gets no row. Every draw of imblearn's comes from a generator made anew
 * from random_state (the beta and each _make_samples): with a numpy generator each starts from
 * the state the fold came in with; the default kind goes on. */
#include "samplers/samplers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

const imbal_param_spec imbal_borderline_smote_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "classes to over-sample and their target counts"},
    {"k_neighbors", IMBAL_PARAM_INT, "5", 1, 1e6, NULL,
     "neighbours of a danger row among its class to interpolate towards"},
    {"m_neighbors", IMBAL_PARAM_INT, "10", 1, 1e6, NULL,
     "neighbours in the whole fold that decide whether a row is in danger"},
    {"kind", IMBAL_PARAM_STRING, "borderline-1", 0, 0, "borderline-1|borderline-2",
     "borderline-2 also steps towards rows of the other classes"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

/* imblearn's _in_danger_noise(kind="danger"): danger[i] for the m rows xc of class c. */
imbal_status imbal_borderline_danger(const imbal_train_view *in, const double *xc, size_t m, int c,
                                     size_t mk, unsigned char *danger, imbal_error *err)
{
    size_t *nns = imbal_malloc(m > 0 ? m : 1, mk * sizeof(*nns));
    imbal_status st;
    if (nns == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory in borderline_smote");
    }
    st = imbal_knn_drop_first(in->x, in->n, in->d, xc, m, mk, nns, err);
    for (size_t i = 0; i < m && st == IMBAL_OK; i++) {
        size_t maj = 0;
        for (size_t j = 0; j < mk; j++) {
            maj += in->y[nns[i * mk + j]] != c;
        }
        danger[i] = (double)maj >= (double)mk / 2.0 && maj < mk;
    }
    free(nns);
    return st;
}

typedef struct {
    size_t k, mk;
    int kind2;
    imbal_rng *entry; /* numpy kind: the state every fresh generator starts from */
} bsm_setup;

/* A fresh generator in imblearn's sense: the entry state again (numpy kind). */
static void bsm_fresh(const bsm_setup *s, imbal_rng *rng)
{
    if (s->entry != NULL) {
        imbal_rng_copy(rng, s->entry);
    }
}

static imbal_status bsm_class(const imbal_train_view *in, const bsm_setup *s, int c,
                              size_t n_samples, imbal_rng *rng, imbal_new_rows *b, imbal_error *err)
{
    size_t *rows = imbal_malloc(in->n, sizeof(*rows));
    unsigned char *danger = NULL;
    double *xc = NULL;
    double *xd = NULL;
    double *xo = NULL;
    size_t *nns = NULL;
    size_t m;
    size_t nd = 0;
    double *o;
    imbal_status st;
    if (rows == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory in borderline_smote");
    }
    m = imbal_class_rows(in, c, rows);
    if (s->k + 1 > m) {
        st = imbal_class_too_small("k_neighbors", s->k, s->k + 1, (size_t)c, m, err);
        goto cleanup;
    }
    st = imbal_gather_rows(in, rows, m, &xc, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    danger = imbal_malloc(m, 1);
    xd = imbal_malloc(m, in->d * sizeof(*xd));
    nns = imbal_malloc(m, s->k * sizeof(*nns));
    if (danger == NULL || xd == NULL || nns == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in borderline_smote");
        goto cleanup;
    }
    st = imbal_borderline_danger(in, xc, m, c, s->mk, danger, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t i = 0; i < m; i++) {
        if (danger[i]) {
            memcpy(xd + nd * in->d, xc + i * in->d, in->d * sizeof(*xd));
            nd++;
        }
    }
    if (nd == 0) {
        goto cleanup; /* imblearn: `if not any(danger_index): continue` */
    }
    st = imbal_knn_drop_first(xc, m, in->d, xd, nd, s->k, nns, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    if (!s->kind2) {
        bsm_fresh(s, rng);
        st = imbal_new_rows_grow(b, n_samples, c, &o, err);
        if (st == IMBAL_OK) {
            st = imbal_smote_samples(xd, xc, m, nns, nd, s->k, in->d, 1.0, n_samples, rng, o, err);
        }
    } else {
        size_t n1;
        size_t n2;
        size_t n_other = 0;
        double frac;
        bsm_fresh(s, rng);
        frac = imbal_rng_beta_gt1(rng, 10.0, 10.0);
        n1 = (size_t)(frac * (double)(n_samples + 1)); /* int(): toward zero */
        n2 = (size_t)((1.0 - frac) * (double)n_samples);
        for (size_t i = 0; i < in->n; i++) {
            rows[n_other] = i;
            n_other += in->y[i] != c;
        }
        st = imbal_gather_rows(in, rows, n_other, &xo, err);
        if (st == IMBAL_OK) {
            bsm_fresh(s, rng);
            st = imbal_new_rows_grow(b, n1, c, &o, err);
        }
        if (st == IMBAL_OK) {
            st = imbal_smote_samples(xd, xc, m, nns, nd, s->k, in->d, 1.0, n1, rng, o, err);
        }
        if (st == IMBAL_OK) {
            bsm_fresh(s, rng);
            st = imbal_new_rows_grow(b, n2, c, &o, err);
        }
        if (st == IMBAL_OK) {
            st = imbal_smote_samples(xd, xo, n_other, nns, nd, s->k, in->d, 0.5, n2, rng, o, err);
            if (st == IMBAL_EINVAL) {
                imbal_error_set_key(err, "kind");
            }
        }
    }
cleanup:
    free(rows);
    free(danger);
    free(xc);
    free(xd);
    free(xo);
    free(nns);
    return st;
}

imbal_status imbal_borderline_smote_run(const imbal_train_view *in, const imbal_param_values *p,
                                        imbal_rng *rng, imbal_resampled **out, imbal_error *err)
{
    bsm_setup s;
    long *target = imbal_malloc(in->n_classes, sizeof(*target));
    size_t *counts = imbal_malloc(in->n_classes, sizeof(*counts));
    imbal_new_rows b = {NULL, NULL, 0, 0, in->d};
    imbal_status st;
    *out = NULL;
    s.k = (size_t)imbal_param_num(p, "k_neighbors");
    s.mk = (size_t)imbal_param_num(p, "m_neighbors");
    s.kind2 = strcmp(imbal_param_text(p, "kind"), "borderline-2") == 0;
    s.entry = NULL;
    if (target == NULL || counts == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in borderline_smote");
        goto cleanup;
    }
    st = imbal_sampler_targets(in, p, IMBAL_SAMPLER_OVER, target, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    if (s.mk + 1 > in->n) {
        st = imbal_fail(err, IMBAL_EINVAL,
                        "m_neighbors = %zu needs at least %zu rows; the fold has %zu", s.mk,
                        s.mk + 1, in->n);
        imbal_error_set_key(err, "m_neighbors");
        goto cleanup;
    }
    if (imbal_rng_get_kind(rng) == IMBAL_RNG_NUMPY) {
        st = imbal_rng_clone(rng, &s.entry, err);
        if (st != IMBAL_OK) {
            goto cleanup;
        }
    }
    imbal_class_counts(in, counts);
    for (size_t c = 0; c < in->n_classes && st == IMBAL_OK; c++) {
        if (target[c] > 0 && (size_t)target[c] > counts[c]) {
            st = bsm_class(in, &s, (int)c, (size_t)target[c] - counts[c], rng, &b, err);
        }
    }
    if (st == IMBAL_OK) {
        st = imbal_new_rows_finish(in, &b, out, err);
    }
cleanup:
    imbal_new_rows_free(&b);
    imbal_rng_free(s.entry);
    free(target);
    free(counts);
    return st;
}

/* sampling_strategy's targets; m_neighbors + 1 against the fold, k_neighbors + 1 against each
 * class that gains rows (imblearn checks k only when the class has danger rows; imbal refuses
 * it whatever the values, as the counts alone must decide). */
imbal_status imbal_borderline_smote_check(const imbal_param_values *p, const size_t *counts,
                                          size_t n_classes, imbal_error *err)
{
    size_t k = (size_t)imbal_param_num(p, "k_neighbors");
    size_t mk = (size_t)imbal_param_num(p, "m_neighbors");
    long *target = imbal_malloc(n_classes, sizeof(*target));
    size_t n = 0;
    imbal_status st;
    if (target == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu classes", n_classes);
    }
    for (size_t c = 0; c < n_classes; c++) {
        n += counts[c];
    }
    st = imbal_sampler_check_targets(p, IMBAL_SAMPLER_OVER, counts, n_classes, target, err);
    if (st == IMBAL_OK && mk + 1 > n) {
        st = imbal_fail(err, IMBAL_EINVAL,
                        "m_neighbors = %zu needs at least %zu rows; the fold has %zu", mk, mk + 1,
                        n);
        imbal_error_set_key(err, "m_neighbors");
    }
    for (size_t c = 0; c < n_classes && st == IMBAL_OK; c++) {
        if (target[c] > 0 && (size_t)target[c] > counts[c] && k + 1 > counts[c]) {
            st = imbal_class_too_small("k_neighbors", k, k + 1, c, counts[c], err);
        }
    }
    free(target);
    return st;
}
