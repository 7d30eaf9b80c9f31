/* xgboost: gradient-boosted trees through XGBoost's C API (Debian's libxgboost-dev, the
 * library python3-xgboost wraps), fitted as xgboost.XGBClassifier fits them: objective
 * binary:logistic for two classes, multi:softprob with num_class k for more (probabilities
 * n x k in class order), the schema's parameters under XGBoost's own names (learning_rate is
 * eta, reg_lambda lambda, random_state seed), nothing else set, so XGBoost's defaults apply
 * as they do for XGBClassifier (1.7: base_score 0.5, max_bin 256). Rows go in as float32,
 * each double rounded to nearest, as XGBoost converts a float64 numpy array; class weights
 * become per-row sample weights (the DMatrix "weight" field, as XGBClassifier's
 * sample_weight). One thread per model (nthread 1: the runs are the parallel level). The
 * seed is the run's seed mod 2^32: XGBoost's generator (std::mt19937) reads those 32 bits
 * only, so any random_state Python accepts and its value mod 2^32 give the same model.
 * Column 0 of a binary model is 1 - p computed in float32, as XGBClassifier.predict_proba
 * does on the float32 prediction; the ranking score is a copy of the probabilities (what a
 * user's roc_auc_score on predict_proba sees). Parameter values go to XGBoost as the
 * shortest decimal text that reads back as the same double, which is Python's str() of a
 * float, so both parse the same text. XGBoost's errors (XGBGetLastError, first line,
 * without its timestamp) become imbal_error; nothing is printed. Built without XGBoost (the
 * Makefile's probe), the classifier is listed but refuses to run, saying how to install it
 * (classifiers.h, IMBAL_XGBOOST_UNAVAILABLE). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "classifiers.h"

#ifdef IMBAL_HAVE_XGBOOST
#include <xgboost/c_api.h>
#endif

const imbal_param_spec imbal_xgboost_params[] = {
    {"n_estimators", IMBAL_PARAM_INT, "100", 1, 1000000, NULL, "boosting rounds (trees per class)"},
    {"max_depth", IMBAL_PARAM_INT, "6", 1, 1000, NULL, "maximum depth of a tree"},
    {"learning_rate", IMBAL_PARAM_DOUBLE, "0.3", 0, 1e6, NULL,
     "shrinkage of each tree's contribution (XGBoost's eta)"},
    {"subsample", IMBAL_PARAM_DOUBLE, "1", 1e-12, 1, NULL,
     "fraction of the rows drawn (without replacement) for each tree"},
    {"colsample_bytree", IMBAL_PARAM_DOUBLE, "1", 1e-12, 1, NULL,
     "fraction of the features drawn for each tree"},
    {"min_child_weight", IMBAL_PARAM_DOUBLE, "1", 0, 1e30, NULL,
     "minimum sum of hessians (weighted rows) in a leaf"},
    {"reg_lambda", IMBAL_PARAM_DOUBLE, "1", 0, 1e30, NULL,
     "L2 penalty on the leaf weights (XGBoost's lambda)"},
    {"scale_pos_weight", IMBAL_PARAM_DOUBLE, "1", 0, 1e30, NULL,
     "weight of the positive class's gradients (two classes only)"},
    {"tree_method", IMBAL_PARAM_STRING, "hist", 0, 0, "hist|approx|exact",
     "split finding: hist (256-bin histograms), approx (per-tree quantiles) or exact"},
    {NULL, 0, NULL, 0, 0, NULL, NULL},
};

#ifndef IMBAL_HAVE_XGBOOST

static imbal_status xgb_missing(imbal_error *err)
{
    imbal_status st = imbal_fail(err, IMBAL_EUNSUP, "xgboost: %s", IMBAL_XGBOOST_UNAVAILABLE);
    imbal_error_set_key(err, "classifier");
    return st;
}

imbal_status imbal_xgboost_check(const imbal_param_values *p, const size_t *counts, size_t k,
                                 imbal_error *err)
{
    (void)p;
    (void)counts;
    (void)k;
    return xgb_missing(err);
}

imbal_status imbal_xgboost_fit(const imbal_train_view *in, const imbal_classifier_settings *s,
                               imbal_model *m, imbal_error *err)
{
    (void)in;
    (void)s;
    (void)m;
    return xgb_missing(err);
}

imbal_status imbal_xgboost_predict(const imbal_model *m, const double *x, size_t n, double *proba,
                                   double *rank, imbal_error *err)
{
    (void)m;
    (void)x;
    (void)n;
    (void)proba;
    (void)rank;
    return xgb_missing(err);
}

void imbal_xgboost_free(imbal_model *m) { (void)m; }

#else

typedef struct {
    BoosterHandle booster;
} xgb_state;

/* scale_pos_weight means the positive class: refused for k > 2 rather than ignored. */
static imbal_status xgb_check_k(const imbal_param_values *p, size_t k, imbal_error *err)
{
    if (k != 2 && imbal_param_num(p, "scale_pos_weight") != 1.0) {
        imbal_status st =
            imbal_fail(err, IMBAL_EINVAL,
                       "xgboost: scale_pos_weight applies to two classes only and the data have "
                       "%zu (use class_weight)",
                       k);
        imbal_error_set_key(err, "scale_pos_weight");
        return st;
    }
    return IMBAL_OK;
}

imbal_status imbal_xgboost_check(const imbal_param_values *p, const size_t *counts, size_t k,
                                 imbal_error *err)
{
    (void)counts;
    return xgb_check_k(p, k, err);
}

/* XGBoost's last error as imbal's: its first line, without the "[hh:mm:ss] " stamp and the
 * "source.cc:123: " place in XGBoost's sources that precede the message. */
static imbal_status xgb_fail(imbal_error *err, const char *call)
{
    const char *e = XGBGetLastError();
    const char *end;
    const char *colon;
    if (e == NULL) {
        e = "";
    }
    if (e[0] == '[') {
        const char *close = strchr(e, ']');
        if (close != NULL) {
            e = close + 1;
            while (*e == ' ') {
                e++;
            }
        }
    }
    end = strchr(e, '\n');
    if (end == NULL) {
        end = e + strlen(e);
    }
    /* "path/file.cc:123: message": skip up to the ": " after the line number */
    colon = strstr(e, ": ");
    if (colon != NULL && colon < end && colon > e) {
        const char *q = colon - 1;
        while (q > e && *q >= '0' && *q <= '9') {
            q--;
        }
        if (q < colon - 1 && *q == ':' && memchr(e, ' ', (size_t)(q - e)) == NULL) {
            e = colon + 2;
        }
    }
    return imbal_fail(err, IMBAL_EINVAL, "xgboost: %s failed: %.*s", call, (int)(end - e), e);
}

/* The shortest %.*g text of v that reads back as v (Python's repr digits). */
static void xgb_num(char *buf, size_t size, double v)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) {
            return;
        }
    }
}

static int xgb_set(BoosterHandle b, const char *name, const char *value)
{
    return XGBoosterSetParam(b, name, value);
}

/* The schema's double parameter `param` as XGBoost's parameter `name`. */
static int xgb_set_num(BoosterHandle b, const imbal_param_values *p, const char *param,
                       const char *name)
{
    char buf[40];
    xgb_num(buf, sizeof(buf), imbal_param_num(p, param));
    return xgb_set(b, name, buf);
}

/* A float32 copy of the n x d doubles, each rounded to nearest. */
static float *xgb_floats(const double *x, size_t n, size_t d)
{
    float *f = imbal_malloc(n * d > 0 ? n * d : 1, sizeof(float));
    if (f != NULL) {
        for (size_t i = 0; i < n * d; i++) {
            f[i] = (float)x[i];
        }
    }
    return f;
}

/* A DMatrix of the n x d doubles (missing: NaN, as XGBClassifier's default). */
static imbal_status xgb_matrix(const double *x, size_t n, size_t d, DMatrixHandle *out,
                               imbal_error *err)
{
    float *f = xgb_floats(x, n, d);
    int rc;
    *out = NULL;
    if (f == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    rc = XGDMatrixCreateFromMat(f, (bst_ulong)n, (bst_ulong)d, NAN, out);
    free(f);
    if (rc != 0) {
        *out = NULL;
        return xgb_fail(err, "XGDMatrixCreateFromMat");
    }
    return IMBAL_OK;
}

/* Labels and, unless class_weight is none, the per-row weights w[y_i]. */
static imbal_status xgb_info(DMatrixHandle dm, const imbal_train_view *in,
                             const imbal_classifier_settings *s, imbal_error *err)
{
    float *buf = imbal_malloc(in->n, sizeof(float));
    imbal_status st = IMBAL_OK;
    if (buf == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < in->n; i++) {
        buf[i] = (float)in->y[i];
    }
    if (XGDMatrixSetFloatInfo(dm, "label", buf, (bst_ulong)in->n) != 0) {
        st = xgb_fail(err, "XGDMatrixSetFloatInfo(label)");
    } else if (s->class_weight.kind != IMBAL_CW_NONE) {
        double *w = imbal_malloc(in->n_classes, sizeof(double));
        if (w == NULL) {
            st = imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        } else {
            imbal_class_weights_resolve(&s->class_weight, in->y, in->n, in->n_classes, w);
            for (size_t i = 0; i < in->n; i++) {
                buf[i] = (float)w[in->y[i]];
            }
            free(w);
            if (XGDMatrixSetFloatInfo(dm, "weight", buf, (bst_ulong)in->n) != 0) {
                st = xgb_fail(err, "XGDMatrixSetFloatInfo(weight)");
            }
        }
    }
    free(buf);
    return st;
}

/* XGBClassifier's parameters for k classes; 0 on success, else the name that failed. */
static const char *xgb_params(BoosterHandle b, const imbal_param_values *p, size_t k, uint64_t seed)
{
    char buf[40];
    if (k == 2) {
        if (xgb_set(b, "objective", "binary:logistic") != 0) {
            return "objective";
        }
        if (xgb_set_num(b, p, "scale_pos_weight", "scale_pos_weight") != 0) {
            return "scale_pos_weight";
        }
    } else {
        snprintf(buf, sizeof(buf), "%zu", k);
        if (xgb_set(b, "objective", "multi:softprob") != 0) {
            return "objective";
        }
        if (xgb_set(b, "num_class", buf) != 0) {
            return "num_class";
        }
    }
    snprintf(buf, sizeof(buf), "%.0f", imbal_param_num(p, "max_depth"));
    if (xgb_set(b, "max_depth", buf) != 0) {
        return "max_depth";
    }
    if (xgb_set_num(b, p, "learning_rate", "eta") != 0) {
        return "learning_rate";
    }
    if (xgb_set_num(b, p, "subsample", "subsample") != 0) {
        return "subsample";
    }
    if (xgb_set_num(b, p, "colsample_bytree", "colsample_bytree") != 0) {
        return "colsample_bytree";
    }
    if (xgb_set_num(b, p, "min_child_weight", "min_child_weight") != 0) {
        return "min_child_weight";
    }
    if (xgb_set_num(b, p, "reg_lambda", "lambda") != 0) {
        return "reg_lambda";
    }
    if (xgb_set(b, "tree_method", imbal_param_text(p, "tree_method")) != 0) {
        return "tree_method";
    }
    if (xgb_set(b, "nthread", "1") != 0) {
        return "nthread";
    }
    snprintf(buf, sizeof(buf), "%lu", (unsigned long)(seed & 0xffffffffu));
    if (xgb_set(b, "seed", buf) != 0) {
        return "seed";
    }
    return NULL;
}

static const char *xgb_method(const char *tree_method)
{
    return strcmp(tree_method, "exact") == 0    ? "exact"
           : strcmp(tree_method, "approx") == 0 ? "approx"
                                                : "hist";
}

imbal_status imbal_xgboost_fit(const imbal_train_view *in, const imbal_classifier_settings *s,
                               imbal_model *m, imbal_error *err)
{
    const imbal_param_values *p = s->params;
    size_t rounds = (size_t)imbal_param_num(p, "n_estimators");
    DMatrixHandle dtrain = NULL;
    xgb_state *state;
    const char *bad;
    imbal_status st = xgb_check_k(p, in->n_classes, err);
    if (st != IMBAL_OK) {
        return st;
    }
    state = imbal_calloc(1, sizeof(*state));
    if (state == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    m->impl = state; /* freed by imbal_xgboost_free on every path */
    st = xgb_matrix(in->x, in->n, in->d, &dtrain, err);
    if (st == IMBAL_OK) {
        st = xgb_info(dtrain, in, s, err);
    }
    if (st == IMBAL_OK && XGBoosterCreate(&dtrain, 1, &state->booster) != 0) {
        state->booster = NULL;
        st = xgb_fail(err, "XGBoosterCreate");
    }
    if (st == IMBAL_OK && (bad = xgb_params(state->booster, p, in->n_classes, s->seed)) != NULL) {
        st = xgb_fail(err, "XGBoosterSetParam");
        imbal_error_set_key(err, bad);
    }
    for (size_t it = 0; st == IMBAL_OK && it < rounds; it++) {
        if (XGBoosterUpdateOneIter(state->booster, (int)it, dtrain) != 0) {
            st = xgb_fail(err, "XGBoosterUpdateOneIter");
        }
    }
    if (dtrain != NULL) {
        XGDMatrixFree(dtrain);
    }
    if (st != IMBAL_OK) {
        return st;
    }
    m->n_iter = rounds;
    m->method = xgb_method(imbal_param_text(p, "tree_method"));
    return IMBAL_OK;
}

imbal_status imbal_xgboost_predict(const imbal_model *m, const double *x, size_t n, double *proba,
                                   double *rank, imbal_error *err)
{
    const xgb_state *state = m->impl;
    size_t k = m->k;
    size_t want = k == 2 ? n : n * k;
    DMatrixHandle dm = NULL;
    bst_ulong len = 0;
    const float *out = NULL;
    imbal_status st;
    if (n == 0) {
        return IMBAL_OK;
    }
    st = xgb_matrix(x, n, m->d, &dm, err);
    if (st != IMBAL_OK) {
        return st;
    }
    if (XGBoosterPredict(state->booster, dm, 0, 0, 0, &len, &out) != 0) {
        st = xgb_fail(err, "XGBoosterPredict");
    } else if (len != (bst_ulong)want) {
        st = imbal_fail(err, IMBAL_EINVAL, "xgboost: XGBoosterPredict returned %lu values, not %zu",
                        (unsigned long)len, want);
    } else if (k == 2) {
        for (size_t i = 0; i < n; i++) {
            float p1 = out[i];
            float p0 = 1.0f - p1; /* in float32, as predict_proba's 1.0 - float32 array */
            proba[2 * i] = (double)p0;
            proba[2 * i + 1] = (double)p1;
        }
    } else {
        for (size_t q = 0; q < n * k; q++) {
            proba[q] = (double)out[q];
        }
    }
    XGDMatrixFree(dm);
    if (st == IMBAL_OK && rank != NULL) {
        memcpy(rank, proba, n * k * sizeof(double));
    }
    return st;
}

void imbal_xgboost_free(imbal_model *m)
{
    xgb_state *state = m->impl;
    if (state != NULL) {
        if (state->booster != NULL) {
            XGBoosterFree(state->booster);
        }
        free(state);
        m->impl = NULL;
    }
}

#endif
