/* Instance hardness threshold as in imbalanced-learn 0.10's InstanceHardnessThreshold (Smith,
 * Martinez and Giraud-Carrier 2014): every row's cross-validated probability of its own class
 * (cv stratified folds, shuffled, a classifier fitted on the other folds), then for each class
 * to under-sample the rows whose probability is at least np.percentile(probabilities of the
 * class, (1 - target / count) * 100) (linear interpolation, numpy's lerp), so the easiest rows
 * stay; other classes are kept whole; the output lists class by class, rows in input order.
 * The classifier is imbal's own (the classifier registry, default logistic regression with
 * scikit-learn's defaults; imbalanced-learn's default is a random forest of 100 trees). Under
 * a numpy generator the draws are imblearn's: one randint(2^31 - 1) for the estimator's
 * random_state (_set_random_states), then StratifiedKFold's shuffles from the same stream,
 * and the logistic regression is scikit-learn's lbfgs. Labels are imbal's class codes, so
 * string labels work (imblearn 0.10 indexes the probability columns by the raw label and
 * fails on them). Reached only through resample.c's table, on a training fold. */
#include "samplers/samplers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/classifier.h"
#include "imbal/split.h"

const imbal_param_spec imbal_instance_hardness_threshold_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "classes to under-sample and their target counts (auto: all but the minority)"},
    {"cv", IMBAL_PARAM_INT, "5", 2, 1e6, NULL,
     "stratified folds of the cross-validated probabilities"},
    {"estimator", IMBAL_PARAM_STRING, "logistic_regression", 0, 0, "logistic_regression",
     "imbal classifier giving the probabilities (imblearn's default: a random forest)"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

static int iht_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

/* np.percentile(v[0 .. m), q) with method linear (numpy 1.24's _quantile and _lerp), m >= 1;
 * sorts v. */
static double iht_percentile(double *v, size_t m, double q)
{
    double quantile = q / 100.0;
    double virt = (double)(m - 1) * quantile;
    double prev_d;
    size_t prev;
    size_t next;
    double gamma;
    double a;
    double b;
    double diff;
    qsort(v, m, sizeof(*v), iht_cmp_double);
    if (virt >= (double)(m - 1)) {
        return v[m - 1];
    }
    if (virt < 0.0) {
        return v[0];
    }
    prev_d = floor(virt);
    prev = (size_t)prev_d;
    next = prev + 1;
    gamma = virt - prev_d;
    a = v[prev];
    b = v[next];
    diff = b - a;
    return gamma >= 0.5 ? b - diff * (1.0 - gamma) : a + diff * gamma;
}

/* Every row's probability of its own class into own (n): cross_val_predict(method=
 * "predict_proba") over the folds of sp. A class absent from a training part (a class of one
 * row) is left out of that fit, the others numbered in order as scikit-learn's classes_, and
 * its probability is 0, as _enforce_prediction_order pads it. */
static imbal_status iht_probabilities(const imbal_train_view *in, const imbal_classifier *cls,
                                      const imbal_param_values *cp, const imbal_split *sp,
                                      double *own, imbal_error *err)
{
    size_t d = in->d;
    size_t k = in->n_classes;
    double *xtr = imbal_malloc(in->n, d * sizeof(*xtr));
    int *ytr = imbal_malloc(in->n, sizeof(*ytr));
    double *xte = imbal_malloc(in->n, d * sizeof(*xte));
    double *proba = imbal_malloc(in->n, k * sizeof(*proba));
    long *code = imbal_malloc(k, sizeof(*code));
    imbal_model *model = NULL;
    imbal_status st = IMBAL_OK;
    if (xtr == NULL || ytr == NULL || xte == NULL || proba == NULL || code == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in instance_hardness_threshold");
        goto cleanup;
    }
    for (size_t f = 0; f < sp->n_folds && st == IMBAL_OK; f++) {
        const imbal_fold *fold = &sp->folds[f];
        imbal_train_view tv = {xtr, ytr, fold->n_train, d, 0, in->is_dummy, in->columns};
        imbal_classifier_settings set;
        memset(&set, 0, sizeof(set));
        set.params = cp;
        set.class_weight.kind = IMBAL_CW_NONE;
        for (size_t c = 0; c < k; c++) {
            code[c] = -1;
        }
        for (size_t i = 0; i < fold->n_train; i++) {
            code[in->y[fold->train[i]]] = 0;
        }
        for (size_t c = 0; c < k; c++) {
            if (code[c] == 0) {
                code[c] = (long)tv.n_classes++;
            }
        }
        for (size_t i = 0; i < fold->n_train; i++) {
            memcpy(xtr + i * d, in->x + fold->train[i] * d, d * sizeof(*xtr));
            ytr[i] = (int)code[in->y[fold->train[i]]];
        }
        for (size_t i = 0; i < fold->n_test; i++) {
            memcpy(xte + i * d, in->x + fold->test[i] * d, d * sizeof(*xte));
        }
        st = imbal_classifier_fit(cls, &tv, &set, &model, err);
        if (st == IMBAL_OK) {
            st = imbal_model_predict(model, xte, fold->n_test, proba, NULL, err);
        }
        for (size_t i = 0; i < fold->n_test && st == IMBAL_OK; i++) {
            size_t row = fold->test[i];
            long c = code[in->y[row]];
            own[row] = c < 0 ? 0.0 : proba[i * tv.n_classes + (size_t)c];
        }
        imbal_model_free(model);
        model = NULL;
    }
cleanup:
    free(xtr);
    free(ytr);
    free(xte);
    free(proba);
    free(code);
    return st;
}

/* The rows kept: class by class, those at or above the class's threshold. */
static imbal_status iht_select(const imbal_train_view *in, const long *target, const double *own,
                               imbal_resampled **out, imbal_error *err)
{
    size_t *rows = imbal_malloc(in->n, sizeof(*rows));
    size_t *keep = imbal_malloc(in->n, sizeof(*keep));
    double *v = imbal_malloc(in->n, sizeof(*v));
    size_t n_keep = 0;
    imbal_status st;
    if (rows == NULL || keep == NULL || v == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in instance_hardness_threshold");
        goto cleanup;
    }
    for (size_t c = 0; c < in->n_classes; c++) {
        size_t m = imbal_class_rows(in, (int)c, rows);
        double threshold = -INFINITY;
        if (m == 0) {
            continue;
        }
        if (target[c] >= 0) {
            for (size_t i = 0; i < m; i++) {
                v[i] = own[rows[i]];
            }
            threshold = iht_percentile(v, m, (1.0 - ((double)target[c] / (double)m)) * 100.0);
        }
        for (size_t i = 0; i < m; i++) {
            if (own[rows[i]] >= threshold) {
                keep[n_keep++] = rows[i];
            }
        }
    }
    st = imbal_resampled_rows(in, keep, n_keep, out, err);
cleanup:
    free(rows);
    free(keep);
    free(v);
    return st;
}

imbal_status imbal_instance_hardness_threshold_run(const imbal_train_view *in,
                                                   const imbal_param_values *p, imbal_rng *rng,
                                                   imbal_resampled **out, imbal_error *err)
{
    size_t cv = (size_t)imbal_param_num(p, "cv");
    const imbal_classifier *cls = imbal_classifier_find(imbal_param_text(p, "estimator"));
    int compat = imbal_rng_get_kind(rng) == IMBAL_RNG_NUMPY;
    long *target = imbal_malloc(in->n_classes, sizeof(*target));
    size_t *counts = imbal_malloc(in->n_classes, sizeof(*counts));
    double *own = imbal_malloc(in->n, sizeof(*own));
    imbal_param_values cp;
    imbal_split *sp = NULL;
    imbal_status st;
    *out = NULL;
    if (target == NULL || counts == NULL || own == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in instance_hardness_threshold");
        goto cleanup;
    }
    if (cls == NULL) { /* an invariant: the schema's choices are registry names */
        st = imbal_fail(err, IMBAL_EINVAL, "unknown estimator '%s'",
                        imbal_param_text(p, "estimator"));
        imbal_error_set_key(err, "estimator");
        goto cleanup;
    }
    imbal_class_counts(in, counts);
    st = imbal_instance_hardness_threshold_check(p, counts, in->n_classes, err);
    if (st == IMBAL_OK) {
        st = imbal_sampler_targets(in, p, IMBAL_SAMPLER_UNDER, target, err);
    }
    if (st == IMBAL_OK) {
        st = imbal_classifier_params_parse(cls, NULL, 0, &cp, err);
    }
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    if (cls->resolve != NULL) {
        cls->resolve(&cp, compat); /* logistic regression: lbfgs under compat, else exact */
    }
    /* _set_random_states: the estimator's random_state = randint(np.iinfo(np.int32).max) */
    (void)imbal_rng_below(rng, 2147483647u);
    st = imbal_split_kfold(in->y, in->n, in->n_classes, cv, rng, &sp, err);
    if (st != IMBAL_OK) {
        imbal_error_set_key(err, "cv");
        goto cleanup;
    }
    st = iht_probabilities(in, cls, &cp, sp, own, err);
    if (st == IMBAL_OK) {
        st = iht_select(in, target, own, out, err);
    }
cleanup:
    imbal_split_free(sp);
    free(target);
    free(counts);
    free(own);
    return st;
}

/* What the counts decide: sampling_strategy's targets (under-sampling), then cv: scikit-learn's
 * StratifiedKFold refuses more folds than the rows and than every class (a class smaller than
 * cv is allowed, as there: it is missing from some test parts). */
imbal_status imbal_instance_hardness_threshold_check(const imbal_param_values *p,
                                                     const size_t *counts, size_t n_classes,
                                                     imbal_error *err)
{
    size_t cv = (size_t)imbal_param_num(p, "cv");
    size_t n = 0;
    size_t largest = 0;
    imbal_status st = imbal_check_strategy(p, IMBAL_SAMPLER_UNDER, counts, n_classes, NULL, err);
    if (st != IMBAL_OK) {
        return st;
    }
    for (size_t c = 0; c < n_classes; c++) {
        n += counts[c];
        largest = counts[c] > largest ? counts[c] : largest;
    }
    st = imbal_check_neighbours(cv, 0, n, "cv", "(one per fold)", err);
    if (st == IMBAL_OK && largest < cv) {
        st = imbal_fail(err, IMBAL_EINVAL,
                        "cv = %zu folds is more than the rows of every class (the largest has "
                        "%zu)",
                        cv, largest);
        imbal_error_set_key(err, "cv");
    }
    return st;
}
