/* logistic_regression: scikit-learn's LogisticRegression() with L2 penalty. Two classes fit
 * the binary model of logreg.h (one coefficient block, the positive class); more fit the
 * multinomial model of logreg_multi.h (one block per class). solver "auto" is lbfgs under
 * compat: sklearn (what scikit-learn runs) and exact (the true optimum) otherwise; the plan
 * records which (imbal_logistic_regression_resolve). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "classifiers.h"
#include "imbal/logreg_multi.h"

const imbal_param_spec imbal_logistic_regression_params[] = {
    {"C", IMBAL_PARAM_DOUBLE, "1", 1e-12, 1e12, NULL,
     "inverse of the L2 penalty's strength (scikit-learn's C)"},
    {"standardize", IMBAL_PARAM_BOOL, "false", 0, 1, NULL,
     "z-score the features with the training rows' mean and deviation (StandardScaler)"},
    {"solver", IMBAL_PARAM_STRING, "auto", 0, 0, "auto|exact|lbfgs",
     "exact: Newton to the true optimum; lbfgs: scikit-learn's early-stopped L-BFGS-B; "
     "auto: lbfgs under compat: sklearn, else exact"},
    {"tol", IMBAL_PARAM_DOUBLE, "auto", 1e-300, 1.0, "auto",
     "stopping tolerance on max |gradient| (auto: exact 1e-10 * max(1, C sum s), lbfgs 1e-4)"},
    {"max_iter", IMBAL_PARAM_INT, "auto", 1, 1000000, "auto", "iteration limit (auto: 100)"},
    {NULL, 0, NULL, 0, 0, NULL, NULL},
};

void imbal_logistic_regression_resolve(imbal_param_values *p, int compat)
{
    for (size_t i = 0; i < p->n; i++) {
        if (strcmp(p->spec[i].name, "solver") == 0 && strcmp(p->text[i], "auto") == 0) {
            strcpy(p->text[i], compat ? "lbfgs" : "exact");
        }
    }
}

/* "auto" unresolved (a fit outside the runner) is the exact solver. */
static imbal_solver lr_solver(const imbal_param_values *p)
{
    const char *s = imbal_param_text(p, "solver");
    return strcmp(s, "lbfgs") == 0 ? IMBAL_SOLVER_LBFGS : IMBAL_SOLVER_EXACT;
}

typedef struct {
    imbal_logreg_model *bin;
    imbal_logreg_multi_model *multi;
} lr_state;

static const char *lr_method(imbal_logreg_method m)
{
    return m == IMBAL_LOGREG_CHOLESKY ? "cholesky" : m == IMBAL_LOGREG_CG ? "cg" : "lbfgs";
}

imbal_status imbal_logistic_regression_fit(const imbal_train_view *in,
                                           const imbal_classifier_settings *s, imbal_model *m,
                                           imbal_error *err)
{
    const imbal_param_values *p = s->params;
    double tol = imbal_param_num(p, "tol");
    double max_iter = imbal_param_num(p, "max_iter");
    imbal_solver solver = lr_solver(p);
    lr_state *st = imbal_calloc(1, sizeof(*st));
    imbal_status rc;
    if (st == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    m->impl = st;
    if (in->n_classes == 2) {
        imbal_logreg_params lp;
        imbal_logreg_params_default(&lp);
        lp.C = imbal_param_num(p, "C");
        lp.standardize = imbal_param_num(p, "standardize") != 0.0;
        lp.solver = solver;
        lp.tol = isnan(tol) ? 0.0 : tol;
        lp.max_iter = isnan(max_iter) ? 0 : (size_t)max_iter;
        lp.class_weight = s->class_weight.kind;
        if (lp.class_weight == IMBAL_CW_EXPLICIT) {
            lp.weight[0] = s->class_weight.weight[0];
            lp.weight[1] = s->class_weight.weight[1];
        }
        rc = imbal_logreg_fit(in->x, in->y, in->n, in->d, NULL, &lp, &st->bin, err);
        if (rc != IMBAL_OK) {
            return rc;
        }
        m->n_iter = st->bin->n_iter;
        m->fit = st->bin->fit;
        m->method = lr_method(st->bin->method);
        rc = imbal_model_blocks(m, 1, err);
        if (rc != IMBAL_OK) {
            return rc;
        }
        m->block_class[0] = 1;
        m->intercept[0] = st->bin->intercept;
        memcpy(m->coef, st->bin->coef, in->d * sizeof(double));
    } else {
        imbal_logreg_multi_params mp;
        imbal_logreg_multi_params_default(&mp);
        mp.C = imbal_param_num(p, "C");
        mp.standardize = imbal_param_num(p, "standardize") != 0.0;
        mp.solver = solver;
        mp.tol = isnan(tol) ? 0.0 : tol;
        mp.max_iter = isnan(max_iter) ? 0 : (size_t)max_iter;
        mp.class_weight = s->class_weight.kind;
        mp.weight = s->class_weight.weight;
        rc = imbal_logreg_multi_fit(in->x, in->y, in->n, in->d, in->n_classes, NULL, &mp,
                                    &st->multi, err);
        if (rc != IMBAL_OK) {
            return rc;
        }
        m->n_iter = st->multi->n_iter;
        m->fit = st->multi->fit;
        m->method = lr_method(st->multi->method);
        rc = imbal_model_blocks(m, in->n_classes, err);
        if (rc != IMBAL_OK) {
            return rc;
        }
        for (size_t c = 0; c < in->n_classes; c++) {
            m->block_class[c] = c;
            m->intercept[c] = st->multi->intercept[c];
        }
        memcpy(m->coef, st->multi->coef, in->n_classes * in->d * sizeof(double));
    }
    return IMBAL_OK;
}

imbal_status imbal_logistic_regression_predict(const imbal_model *m, const double *x, size_t n,
                                               double *proba, double *rank, imbal_error *err)
{
    const lr_state *st = m->impl;
    (void)err;
    if (st->bin != NULL) {
        /* column 1 is sigmoid(decision) exactly as logreg.h computes it; column 0 its
         * complement; the ranking score is the decision value (and its negation) */
        imbal_logreg_predict_proba(st->bin, x, n, proba); /* first n slots, then spread */
        for (size_t i = n; i-- > 0;) {
            double p1 = proba[i];
            proba[2 * i + 1] = p1;
            proba[2 * i] = 1.0 - p1;
        }
        if (rank != NULL) {
            imbal_logreg_decision(st->bin, x, n, rank);
            for (size_t i = n; i-- > 0;) {
                double z = rank[i];
                rank[2 * i + 1] = z;
                rank[2 * i] = -z;
            }
        }
        return IMBAL_OK;
    }
    imbal_logreg_multi_predict_proba(st->multi, x, n, proba);
    if (rank != NULL) {
        imbal_logreg_multi_decision(st->multi, x, n, rank);
    }
    return IMBAL_OK;
}

void imbal_logistic_regression_free(imbal_model *m)
{
    lr_state *st = m->impl;
    if (st != NULL) {
        imbal_logreg_model_free(st->bin);
        imbal_logreg_multi_model_free(st->multi);
        free(st);
    }
    m->impl = NULL;
}
