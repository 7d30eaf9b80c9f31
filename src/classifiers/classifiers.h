/* Private interface between the classifier registry (src/classifier.c) and the classifiers in
 * src/classifiers/: each file defines its parameter schema (terminated by a NULL name) and its
 * fit, predict and free functions (optionally resolve and check), declared here and listed once
 * in classifier.c's table. */
#ifndef IMBAL_CLASSIFIERS_H
#define IMBAL_CLASSIFIERS_H

#include "imbal/classifier.h"

#define IMBAL_DECLARE_CLASSIFIER(name)                                                             \
    extern const imbal_param_spec imbal_##name##_params[];                                         \
    imbal_status imbal_##name##_fit(const imbal_train_view *in,                                    \
                                    const imbal_classifier_settings *s, imbal_model *m,            \
                                    imbal_error *err);                                             \
    imbal_status imbal_##name##_predict(const imbal_model *m, const double *x, size_t n,           \
                                        double *proba, double *rank, imbal_error *err);            \
    void imbal_##name##_free(imbal_model *m)

IMBAL_DECLARE_CLASSIFIER(logistic_regression); /* logistic_regression.c */
void imbal_logistic_regression_resolve(imbal_param_values *p, int compat);
IMBAL_DECLARE_CLASSIFIER(knn_classifier); /* knn.c: "knn" (imbal_knn_* is the engine, knn.h) */
imbal_status imbal_knn_classifier_check(const imbal_param_values *p, const size_t *counts,
                                        size_t k, imbal_error *err);
IMBAL_DECLARE_CLASSIFIER(xgboost); /* xgboost.c */
imbal_status imbal_xgboost_check(const imbal_param_values *p, const size_t *counts, size_t k,
                                 imbal_error *err);
/* The table's `unavailable` for xgboost: NULL when the Makefile's probe found XGBoost. */
#ifdef IMBAL_HAVE_XGBOOST
#define IMBAL_XGBOOST_UNAVAILABLE NULL
#else
#define IMBAL_XGBOOST_UNAVAILABLE                                                                  \
    "this imbal was built without XGBoost: install Debian's libxgboost-dev (apt-get install "      \
    "libxgboost-dev), then rebuild (rm -f build/*/config.mk; make)"
#endif

/* Shared by the classifiers: allocates m's coefficient blocks (n_blocks of m->d). */
imbal_status imbal_model_blocks(imbal_model *m, size_t n_blocks, imbal_error *err);

#endif
