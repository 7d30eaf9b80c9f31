/* SVM-SMOTE as in imbalanced-learn 0.10 (Nguyen, Cooper and Kamei 2011): an RBF support
 * vector machine (scikit-learn's SVC(gamma="scale"), C) is fitted on the fold, through libsvm
 * (Debian's libsvm-dev: the library scikit-learn's SVC wraps); for each targeted class c its
 * support vectors of class c that are not noise (not all m_neighbors nearest rows of the fold
 * of another class) are split into danger ones (at least half of them) and safe ones. A beta(
 * 10, 10) fraction of the rows is interpolated from danger vectors towards one of their
 * k_neighbors nearest rows of class c, the rest extrapolated away from it from safe vectors
 * (steps in (-out_step, 0]). Draws as imblearn: the beta from one generator made at the start
 * of the fit, each _make_samples from a fresh one (numpy kind: the state the fold came in
 * with). Built without libsvm (the Makefile's probe), the technique is listed but refuses to
 * run, saying how to install it. */
#include "samplers/samplers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "pairwise.h"

#ifdef IMBAL_HAVE_LIBSVM
#include <libsvm/svm.h>
#endif

const imbal_param_spec imbal_svm_smote_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "classes to over-sample and their target counts"},
    {"k_neighbors", IMBAL_PARAM_INT, "5", 1, 1e6, NULL,
     "neighbours of a support vector among its class to interpolate towards"},
    {"m_neighbors", IMBAL_PARAM_INT, "10", 1, 1e6, NULL,
     "neighbours in the whole fold that decide noise and danger"},
    {"out_step", IMBAL_PARAM_DOUBLE, "0.5", 0, 1e6, NULL,
     "step size when extrapolating from safe support vectors"},
    {"C", IMBAL_PARAM_DOUBLE, "1.0", 1e-300, 1e300, NULL,
     "penalty of the RBF support vector machine (scikit-learn's SVC C)"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

#ifndef IMBAL_HAVE_LIBSVM

static imbal_status svms_missing(imbal_error *err)
{
    imbal_status st = imbal_fail(err, IMBAL_EUNSUP,
                                 "svm_smote needs libsvm, and this imbal was built without it: "
                                 "install Debian's libsvm-dev (sh scripts/deps.sh), then "
                                 "rebuild (rm -f build/*/config.mk; make)");
    imbal_error_set_key(err, "sampler");
    return st;
}

imbal_status imbal_svm_smote_run(const imbal_train_view *in, const imbal_param_values *p,
                                 imbal_rng *rng, imbal_resampled **out, imbal_error *err)
{
    (void)in;
    (void)p;
    (void)rng;
    *out = NULL;
    return svms_missing(err);
}

imbal_status imbal_svm_smote_check(const imbal_param_values *p, const size_t *counts,
                                   size_t n_classes, imbal_error *err)
{
    (void)p;
    (void)counts;
    (void)n_classes;
    return svms_missing(err);
}

#else

static void svms_quiet(const char *s) { (void)s; }

/* scikit-learn's gamma="scale": 1 / (d * X.var()), the variance summed as numpy does. */
static imbal_status svms_gamma(const imbal_train_view *in, double *gamma, imbal_error *err)
{
    size_t nd = in->n * in->d;
    double *sq = imbal_malloc(nd, sizeof(*sq));
    double mean;
    double var;
    if (sq == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory in svm_smote");
    }
    mean = imbal_numpy_sum(in->x, nd) / (double)nd;
    for (size_t i = 0; i < nd; i++) {
        double v = in->x[i] - mean;
        sq[i] = v * v;
    }
    var = imbal_numpy_sum(sq, nd) / (double)nd;
    free(sq);
    *gamma = var != 0.0 ? 1.0 / ((double)in->d * var) : 1.0;
    return IMBAL_OK;
}

/* Fits the SVM and marks support vectors: is_sv[i] for the n rows. */
static imbal_status svms_fit(const imbal_train_view *in, double C, unsigned char *is_sv,
                             imbal_error *err)
{
    struct svm_problem prob;
    struct svm_parameter par;
    struct svm_node *nodes = imbal_malloc(in->n, (in->d + 1) * sizeof(*nodes));
    struct svm_node **rows = imbal_malloc(in->n, sizeof(*rows));
    double *y = imbal_malloc(in->n, sizeof(*y));
    struct svm_model *model = NULL;
    int *idx = NULL;
    const char *why;
    imbal_status st = IMBAL_OK;
    if (nodes == NULL || rows == NULL || y == NULL || in->n > (size_t)INT32_MAX ||
        in->d >= (size_t)INT32_MAX) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in svm_smote");
        goto cleanup;
    }
    for (size_t i = 0; i < in->n; i++) {
        rows[i] = nodes + i * (in->d + 1);
        for (size_t f = 0; f < in->d; f++) {
            rows[i][f].index = (int)f + 1;
            rows[i][f].value = in->x[i * in->d + f];
        }
        rows[i][in->d].index = -1;
        rows[i][in->d].value = 0.0;
        y[i] = (double)in->y[i];
        is_sv[i] = 0;
    }
    prob.l = (int)in->n;
    prob.y = y;
    prob.x = rows;
    memset(&par, 0, sizeof(par));
    par.svm_type = C_SVC;
    par.kernel_type = RBF;
    par.degree = 3;
    par.coef0 = 0.0;
    par.cache_size = 200;
    par.eps = 1e-3;
    par.C = C;
    par.shrinking = 1;
    st = svms_gamma(in, &par.gamma, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    why = svm_check_parameter(&prob, &par);
    if (why != NULL) {
        st = imbal_fail(err, IMBAL_EINVAL, "libsvm refuses the SVM: %s", why);
        imbal_error_set_key(err, "C");
        goto cleanup;
    }
    svm_set_print_string_function(svms_quiet); /* libsvm prints progress by default */
    model = svm_train(&prob, &par);
    if (model == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "libsvm failed to fit the SVM");
        goto cleanup;
    }
    idx = imbal_malloc((size_t)svm_get_nr_sv(model) + 1, sizeof(*idx));
    if (idx == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in svm_smote");
        goto cleanup;
    }
    svm_get_sv_indices(model, idx);
    for (int i = 0; i < svm_get_nr_sv(model); i++) {
        is_sv[idx[i] - 1] = 1; /* 1-based */
    }
cleanup:
    svm_free_and_destroy_model(&model);
    free(idx);
    free(nodes);
    free(rows);
    free(y);
    return st;
}

typedef struct {
    size_t k, mk;
    double out_step;
    imbal_rng *entry; /* numpy kind: the random_state every fresh generator starts from */
    imbal_rng *once;  /* numpy kind: the one generator of the fit (the betas) */
} svms_setup;

/* Rows of sv (ns of them) whose noise/danger flag under imblearn's _in_danger_noise. */
static imbal_status svms_flags(const imbal_train_view *in, const double *sv, size_t ns, int c,
                               size_t mk, unsigned char *noise, unsigned char *danger,
                               imbal_error *err)
{
    size_t *nns = imbal_malloc(ns > 0 ? ns : 1, mk * sizeof(*nns));
    imbal_status st;
    if (nns == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory in svm_smote");
    }
    st = imbal_knn_drop_first(in->x, in->n, in->d, sv, ns, mk, nns, err);
    for (size_t i = 0; i < ns && st == IMBAL_OK; i++) {
        size_t maj = 0;
        for (size_t j = 0; j < mk; j++) {
            maj += in->y[nns[i * mk + j]] != c;
        }
        noise[i] = maj == mk;
        danger[i] = (double)maj >= (double)mk / 2.0 && maj < mk;
    }
    free(nns);
    return st;
}

/* make_samples from the rows of base flagged want (of nb), neighbours in xc (m rows). */
static imbal_status svms_make(const svms_setup *s, const double *base, const unsigned char *flag,
                              unsigned char want, size_t nb, const double *xc, size_t m, size_t d,
                              double step, size_t add, int c, imbal_rng *rng, imbal_new_rows *b,
                              imbal_error *err)
{
    double *sel = imbal_malloc(nb > 0 ? nb : 1, d * sizeof(*sel));
    size_t *nns = imbal_malloc(nb > 0 ? nb : 1, s->k * sizeof(*nns));
    size_t ns = 0;
    double *o;
    imbal_status st;
    if (sel == NULL || nns == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in svm_smote");
        goto cleanup;
    }
    for (size_t i = 0; i < nb; i++) {
        if (flag[i] == want) {
            memcpy(sel + ns * d, base + i * d, d * sizeof(*sel));
            ns++;
        }
    }
    st = imbal_knn_drop_first(xc, m, d, sel, ns, s->k, nns, err);
    if (st == IMBAL_OK) {
        if (s->entry != NULL) {
            imbal_rng_copy(rng, s->entry);
        }
        st = imbal_new_rows_grow(b, add, c, &o, err);
    }
    if (st == IMBAL_OK) {
        st = imbal_smote_samples(sel, xc, m, nns, ns, s->k, d, step, add, rng, o, err);
    }
cleanup:
    free(sel);
    free(nns);
    return st;
}

static imbal_status svms_class(const imbal_train_view *in, const svms_setup *s,
                               const unsigned char *is_sv, int c, size_t n_samples, imbal_rng *rng,
                               imbal_new_rows *b, imbal_error *err)
{
    size_t *rows = imbal_malloc(in->n, sizeof(*rows));
    double *xc = NULL;
    double *sv = NULL;
    unsigned char *noise = NULL;
    unsigned char *danger = NULL;
    size_t m;
    size_t ns = 0;
    size_t kept = 0;
    size_t n_danger = 0;
    size_t n_gen;
    double frac;
    imbal_status st;
    if (rows == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory in svm_smote");
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
    for (size_t i = 0; i < in->n; i++) { /* support_[y[support_] == c], in row order */
        rows[ns] = i;
        ns += is_sv[i] && in->y[i] == c;
    }
    st = imbal_gather_rows(in, rows, ns, &sv, err);
    noise = imbal_malloc(ns > 0 ? ns : 1, 1);
    danger = imbal_malloc(ns > 0 ? ns : 1, 1);
    if (st == IMBAL_OK && (noise == NULL || danger == NULL)) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in svm_smote");
    }
    if (st == IMBAL_OK) {
        st = svms_flags(in, sv, ns, c, s->mk, noise, danger, err);
    }
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t i = 0; i < ns; i++) { /* drop the noise vectors */
        if (!noise[i]) {
            memmove(sv + kept * in->d, sv + i * in->d, in->d * sizeof(*sv));
            danger[kept] = danger[i];
            n_danger += danger[i];
            kept++;
        }
    }
    frac = imbal_rng_beta_gt1(s->once != NULL ? s->once : rng, 10.0, 10.0);
    n_gen = (size_t)(frac * (double)(n_samples + 1));
    if (kept == 0) {
        /* imblearn fails here with an UnboundLocalError */
        st = imbal_fail(err, IMBAL_EINVAL,
                        "class %d has no support vector that is not noise (all m_neighbors = "
                        "%zu neighbours of another class): lower m_neighbors or use smote",
                        c, s->mk);
        imbal_error_set_key(err, "m_neighbors");
        goto cleanup;
    }
    if (n_gen > n_samples) {
        n_gen = n_samples;
    }
    if (n_danger > 0) {
        st = svms_make(s, sv, danger, 1, kept, xc, m, in->d, 1.0, n_gen, c, rng, b, err);
    }
    if (st == IMBAL_OK && n_danger < kept) {
        st = svms_make(s, sv, danger, 0, kept, xc, m, in->d, -s->out_step, n_samples - n_gen, c,
                       rng, b, err);
    }
cleanup:
    free(rows);
    free(xc);
    free(sv);
    free(noise);
    free(danger);
    return st;
}

imbal_status imbal_svm_smote_run(const imbal_train_view *in, const imbal_param_values *p,
                                 imbal_rng *rng, imbal_resampled **out, imbal_error *err)
{
    svms_setup s = {0, 0, 0.0, NULL, NULL};
    long *target = imbal_malloc(in->n_classes, sizeof(*target));
    size_t *counts = imbal_malloc(in->n_classes, sizeof(*counts));
    unsigned char *is_sv = imbal_malloc(in->n, 1);
    imbal_new_rows b = {NULL, NULL, 0, 0, in->d};
    imbal_status st;
    *out = NULL;
    s.k = (size_t)imbal_param_num(p, "k_neighbors");
    s.mk = (size_t)imbal_param_num(p, "m_neighbors");
    s.out_step = imbal_param_num(p, "out_step");
    if (target == NULL || counts == NULL || is_sv == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in svm_smote");
        goto cleanup;
    }
    st = imbal_sampler_targets(in, p, IMBAL_SAMPLER_OVER, target, err);
    if (st == IMBAL_OK && s.mk + 1 > in->n) {
        st = imbal_fail(err, IMBAL_EINVAL,
                        "m_neighbors = %zu needs at least %zu rows; the fold has %zu", s.mk,
                        s.mk + 1, in->n);
        imbal_error_set_key(err, "m_neighbors");
    }
    if (st == IMBAL_OK && imbal_rng_get_kind(rng) == IMBAL_RNG_NUMPY) {
        st = imbal_rng_clone(rng, &s.entry, err);
        if (st == IMBAL_OK) {
            st = imbal_rng_clone(rng, &s.once, err);
        }
    }
    /* the SVM is the same for every class (imblearn refits it on the same X, y) */
    if (st == IMBAL_OK) {
        st = svms_fit(in, imbal_param_num(p, "C"), is_sv, err);
    }
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    imbal_class_counts(in, counts);
    for (size_t c = 0; c < in->n_classes && st == IMBAL_OK; c++) {
        if (target[c] > 0 && (size_t)target[c] > counts[c]) {
            st = svms_class(in, &s, is_sv, (int)c, (size_t)target[c] - counts[c], rng, &b, err);
        }
    }
    if (st == IMBAL_OK) {
        st = imbal_new_rows_finish(in, &b, out, err);
    }
cleanup:
    imbal_new_rows_free(&b);
    imbal_rng_free(s.entry);
    imbal_rng_free(s.once);
    free(target);
    free(counts);
    free(is_sv);
    return st;
}

/* sampling_strategy's targets; m_neighbors + 1 against the fold, k_neighbors + 1 against each
 * class that gains rows: borderline_smote's check, whose parameters of those names it shares. */
imbal_status imbal_svm_smote_check(const imbal_param_values *p, const size_t *counts,
                                   size_t n_classes, imbal_error *err)
{
    return imbal_borderline_smote_check(p, counts, n_classes, err); /* the same counts */
}

#endif
