/* The classifier interface, shaped like the sampler registry (resample.h): a classifier is a
 * name, a parameter schema (the same imbal_param_spec machinery: types, ranges, choices, "did
 * you mean") and fit / predict / free functions. One static table in classifier.c lists
 * every classifier: lookup, listing, validation and dispatch all read it, so a classifier is
 * its file in src/classifiers/, its line in classifiers.h and its line in that table.
 *
 * Every classifier takes k >= 2 classes (labels 0 .. k-1) and returns k probability columns
 * per row, in class order, as scikit-learn's predict_proba. A classifier may also return a
 * ranking score per column (a logistic model's decision values) that orders rows as the
 * probabilities do but keeps apart rows whose probabilities round to the same double; the
 * binary ROC and PR AUCs rank by it. Class weights are resolved by the caller into a
 * imbal_class_weights (none, balanced or k explicit weights); a classifier that has no use
 * for them says so in its flags and the spec refuses them. A fit is deterministic given its
 * inputs and seed, and uses one thread (the runs are the parallel level). */
#ifndef IMBAL_CLASSIFIER_H
#define IMBAL_CLASSIFIER_H

#include <stddef.h>
#include <stdint.h>

#include "imbal/error.h"
#include "imbal/logreg.h"
#include "imbal/resample.h"

/* Class weights as the classifier receives them. */
typedef struct {
    imbal_class_weight_kind kind; /* NONE, BALANCED (n / (k n_c) on the rows fitted) or EXPLICIT */
    const double *weight;         /* EXPLICIT: k weights, finite > 0 (classes not named: 1) */
} imbal_class_weights;

/* Per-class weights w[0..k) of kind cw on labels y[0..n) (balanced: n / (k * n_c), classes
 * without rows 1), as scikit-learn's compute_class_weight; NONE gives all 1. */
void imbal_class_weights_resolve(const imbal_class_weights *cw, const int *y, size_t n, size_t k,
                                 double *w);

/* What a fit is given besides the rows. */
typedef struct {
    const imbal_param_values *params; /* parsed against the classifier's schema (resolved) */
    imbal_class_weights class_weight;
    uint64_t seed; /* the run's seed, for classifiers that draw */
} imbal_classifier_settings;

/* A fitted model. The fields above impl are filled by every classifier. */
typedef struct imbal_model {
    const struct imbal_classifier *cls;
    size_t k, d;
    size_t n_iter;               /* solver iterations, boosting rounds, 0 when meaningless */
    imbal_logreg_fit_status fit; /* how the fit ended; CONVERGED for a fit without tolerance */
    const char *method;          /* static: how it was computed ("cholesky", "lbfgs", "hist"...) */
    /* A linear model's coefficients (models.csv), else n_blocks 0: n_blocks blocks of d
     * coefficients and one intercept, in the original feature space; block b is the class
     * block_class[b] (binary logistic regression: one block, the positive class 1). */
    size_t n_blocks;
    size_t *block_class; /* n_blocks */
    double *coef;        /* n_blocks * d */
    double *intercept;   /* n_blocks */
    void *impl;          /* the classifier's own state */
} imbal_model;

/* Fits on the view (in->n_classes = k, labels 0 .. k-1, every class with a row) into m, whose
 * cls, k and d are set and the rest zero; on error the classifier frees what it allocated. */
typedef imbal_status (*imbal_classifier_fit_fn)(const imbal_train_view *in,
                                                const imbal_classifier_settings *s, imbal_model *m,
                                                imbal_error *err);
/* proba[i * k + c] for n rows of x (n x d); rank (may be NULL: not wanted) the ranking score
 * in the same layout, or a copy of proba for a classifier without one. */
typedef imbal_status (*imbal_classifier_predict_fn)(const imbal_model *m, const double *x, size_t n,
                                                    double *proba, double *rank, imbal_error *err);
/* Frees m->impl (the generic fields are freed by imbal_model_free). */
typedef void (*imbal_classifier_free_fn)(imbal_model *m);
/* Optional: fills in settings that depend on the run (logistic regression's solver "auto" is
 * lbfgs under compat: sklearn, else exact), rewriting p's text so the plan and the resolved
 * spec record what ran. NULL: nothing to resolve. */
typedef void (*imbal_classifier_resolve_fn)(imbal_param_values *p, int compat);
/* Optional: whether a fit on a training fold of counts[0..k) rows per class can run (as
 * imbal_sampler_check_fn: kNN's n_neighbors against the rows); NULL: any fold with two
 * classes. IMBAL_OK or IMBAL_EINVAL with err->key the parameter at fault. */
typedef imbal_status (*imbal_classifier_check_fn)(const imbal_param_values *p, const size_t *counts,
                                                  size_t k, imbal_error *err);

#define IMBAL_CLASSIFIER_CLASS_WEIGHT 1u /* uses class weights */
#define IMBAL_CLASSIFIER_RANDOM 2u       /* draws from its seed */

typedef struct imbal_classifier {
    const char *name;               /* the spec's classifier type */
    const imbal_param_spec *params; /* terminated by an entry with name NULL */
    imbal_classifier_fit_fn fit;
    imbal_classifier_predict_fn predict;
    imbal_classifier_free_fn free;
    imbal_classifier_resolve_fn resolve;
    imbal_classifier_check_fn check;
    unsigned flags;
    const char *unavailable; /* NULL, or why it cannot run in this build (how to
                              * install what it needs): fit then fails with this */
    const char *help;
} imbal_classifier;

size_t imbal_classifier_count(void);
const imbal_classifier *imbal_classifier_at(size_t i);
const imbal_classifier *imbal_classifier_find(const char *name); /* NULL if unknown */
/* Closest known name (imbal_suggest's rule), or NULL. */
const char *imbal_classifier_suggest(const char *name);
/* The default classifier: logistic_regression. */
const imbal_classifier *imbal_classifier_default(void);

/* Parses given parameters against c's schema (imbal_params_parse's rules and messages, with
 * the classifier's name); on error *out is zeroed. */
imbal_status imbal_classifier_params_parse(const imbal_classifier *c, const imbal_param *given,
                                           size_t n_given, imbal_param_values *out,
                                           imbal_error *err);

/* Fits classifier c on the view; *out is new (free with imbal_model_free), NULL on error.
 * Errors: EINVAL (fewer than two classes, a label out of range, the classifier's own),
 * EUNSUP (c->unavailable, with that text), ENOMEM. */
imbal_status imbal_classifier_fit(const imbal_classifier *c, const imbal_train_view *in,
                                  const imbal_classifier_settings *s, imbal_model **out,
                                  imbal_error *err);
imbal_status imbal_model_predict(const imbal_model *m, const double *x, size_t n, double *proba,
                                 double *rank, imbal_error *err);
void imbal_model_free(imbal_model *m);

#endif
