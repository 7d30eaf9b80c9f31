/* The classifier registry and everything that reads it: lookup, "did you mean", parameter
 * validation against each classifier's schema, and dispatch. The table below is the only
 * list of classifiers; a classifier is its file in src/classifiers/, its line in
 * classifiers.h and its line here. */
#include "imbal/classifier.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "classifiers/classifiers.h"
#include "resample_internal.h"

static const imbal_classifier classifiers[] = {
    /* name, schema, fit, predict, free, resolve, check, flags, unavailable, help */
    {"logistic_regression", imbal_logistic_regression_params, imbal_logistic_regression_fit,
     imbal_logistic_regression_predict, imbal_logistic_regression_free,
     imbal_logistic_regression_resolve, NULL, IMBAL_CLASSIFIER_CLASS_WEIGHT, NULL,
     "LogisticRegression: L2-penalised, binary or multinomial (softmax) for k > 2 classes"},
    {"knn", imbal_knn_classifier_params, imbal_knn_classifier_fit, imbal_knn_classifier_predict,
     imbal_knn_classifier_free, NULL, imbal_knn_classifier_check, 0, NULL,
     "KNeighborsClassifier: vote shares of the n_neighbors nearest training rows (Euclidean)"},
    {"xgboost", imbal_xgboost_params, imbal_xgboost_fit, imbal_xgboost_predict, imbal_xgboost_free,
     NULL, imbal_xgboost_check, IMBAL_CLASSIFIER_CLASS_WEIGHT | IMBAL_CLASSIFIER_RANDOM,
     IMBAL_XGBOOST_UNAVAILABLE,
     "XGBClassifier: gradient-boosted trees (XGBoost), binary:logistic or multi:softprob"},
};
#define N_CLASSIFIERS (sizeof(classifiers) / sizeof(classifiers[0]))

size_t imbal_classifier_count(void) { return N_CLASSIFIERS; }

const imbal_classifier *imbal_classifier_at(size_t i)
{
    return i < N_CLASSIFIERS ? &classifiers[i] : NULL;
}

const imbal_classifier *imbal_classifier_find(const char *name)
{
    for (size_t i = 0; i < N_CLASSIFIERS; i++) {
        if (strcmp(classifiers[i].name, name) == 0) {
            return &classifiers[i];
        }
    }
    return NULL;
}

const imbal_classifier *imbal_classifier_default(void) { return &classifiers[0]; }

const char *imbal_classifier_suggest(const char *name)
{
    const char *names[N_CLASSIFIERS];
    for (size_t i = 0; i < N_CLASSIFIERS; i++) {
        names[i] = classifiers[i].name;
    }
    return imbal_closest_name(name, names, N_CLASSIFIERS);
}

imbal_status imbal_classifier_params_parse(const imbal_classifier *c, const imbal_param *given,
                                           size_t n_given, imbal_param_values *out,
                                           imbal_error *err)
{
    return imbal_schema_parse(c->name, c->params, given, n_given, NULL, 0, out, err);
}

void imbal_class_weights_resolve(const imbal_class_weights *cw, const int *y, size_t n, size_t k,
                                 double *w)
{
    for (size_t c = 0; c < k; c++) {
        w[c] = 1.0;
    }
    if (cw->kind == IMBAL_CW_EXPLICIT) {
        memcpy(w, cw->weight, k * sizeof(double));
    } else if (cw->kind == IMBAL_CW_BALANCED) {
        size_t *count = imbal_calloc(k, sizeof(size_t));
        if (count == NULL) {
            return; /* cannot happen for the k the spec allows; weights stay 1 */
        }
        for (size_t i = 0; i < n; i++) {
            count[y[i]]++;
        }
        for (size_t c = 0; c < k; c++) {
            if (count[c] > 0) {
                w[c] = (double)n / ((double)k * (double)count[c]);
            }
        }
        free(count);
    }
}

imbal_status imbal_model_blocks(imbal_model *m, size_t n_blocks, imbal_error *err)
{
    m->block_class = imbal_calloc(n_blocks, sizeof(size_t));
    m->intercept = imbal_calloc(n_blocks, sizeof(double));
    m->coef = imbal_calloc(n_blocks * (m->d > 0 ? m->d : 1), sizeof(double));
    if (m->block_class == NULL || m->intercept == NULL || m->coef == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    m->n_blocks = n_blocks;
    return IMBAL_OK;
}

imbal_status imbal_classifier_fit(const imbal_classifier *c, const imbal_train_view *in,
                                  const imbal_classifier_settings *s, imbal_model **out,
                                  imbal_error *err)
{
    imbal_model *m;
    imbal_status st;
    size_t *seen;
    size_t present = 0;
    *out = NULL;
    if (c->unavailable != NULL) {
        return imbal_fail(err, IMBAL_EUNSUP, "classifier %s: %s", c->name, c->unavailable);
    }
    if (s->params == NULL || s->params->spec != c->params) {
        return imbal_fail(err, IMBAL_EINVAL, "parameters were not parsed for %s", c->name);
    }
    if (in->n == 0 || in->n_classes < 2) {
        return imbal_fail(err, IMBAL_EINVAL, "%s: a fit needs rows of at least two classes",
                          c->name);
    }
    seen = imbal_calloc(in->n_classes, sizeof(size_t));
    if (seen == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < in->n; i++) {
        if (in->y[i] < 0 || (size_t)in->y[i] >= in->n_classes) {
            free(seen);
            imbal_fail(err, IMBAL_EINVAL, "%s: label %d of row %zu is not a class 0 .. %zu",
                       c->name, in->y[i], i + 1, in->n_classes - 1);
            if (err != NULL) { /* err may be NULL (classifier.h, error.h) */
                err->line = (long)i + 1;
            }
            return IMBAL_EINVAL;
        }
        present += seen[in->y[i]]++ == 0;
    }
    free(seen);
    if (present < 2) {
        return imbal_fail(err, IMBAL_EINVAL, "%s: the training rows hold one class only", c->name);
    }
    m = imbal_calloc(1, sizeof(*m));
    if (m == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    m->cls = c;
    m->k = in->n_classes;
    m->d = in->d;
    m->fit = IMBAL_FIT_CONVERGED;
    st = c->fit(in, s, m, err);
    if (st != IMBAL_OK) {
        imbal_model_free(m);
        return st;
    }
    *out = m;
    return IMBAL_OK;
}

imbal_status imbal_model_predict(const imbal_model *m, const double *x, size_t n, double *proba,
                                 double *rank, imbal_error *err)
{
    return m->cls->predict(m, x, n, proba, rank, err);
}

void imbal_model_free(imbal_model *m)
{
    if (m == NULL) {
        return;
    }
    if (m->cls != NULL && m->cls->free != NULL) {
        m->cls->free(m);
    }
    free(m->block_class);
    free(m->coef);
    free(m->intercept);
    free(m);
}
