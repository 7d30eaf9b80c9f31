/* The classifier interface (classifier.h): logistic regression fitted through the registry
 * (imbal_classifier_find, _params_parse, _fit, imbal_model_predict) is the direct fit of
 * logreg.h / logreg_multi.h bit for bit (coefficients, probabilities, ranking scores) on the
 * published abalone19 hold-out and on the imbalanced iris one, and both agree with the
 * independent references (abalone19_logreg.csv, iris_imbalanced_logreg.csv); the registry's
 * lookup and "did you mean"; parameter errors naming the parameter; balanced class weights
 * n / (k n_c) by hand; the fit's own error paths. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imbal/classifier.h"
#include "imbal/logreg.h"
#include "imbal/logreg_multi.h"
#include "multi_fixtures.h"
#include "util.h"

static const multi_case abalone_case = {"abalone19", "datasets/abalone19.csv"};

/* The published abalone19 hold-out as the loader reads it: Length .. Shell_weight, Sex_I,
 * Sex_M; class 1 = positive (checked). */
static multi_holdout abalone_load(void)
{
    multi_holdout h = multi_load(&abalone_case);
    ck_assert_uint_eq(h.ds->d, 9);
    ck_assert_uint_eq(h.ds->n_classes, 2);
    ck_assert_str_eq(h.ds->class_names[1], "positive");
    ck_assert_str_eq(h.ds->feature_names[7], "Sex_I");
    ck_assert_uint_eq(h.n_train, 3339);
    ck_assert_uint_eq(h.n_test, 835);
    return h;
}

static imbal_train_view train_view(const multi_holdout *h)
{
    imbal_train_view v;
    memset(&v, 0, sizeof(v));
    v.x = h->x_train;
    v.y = h->y_train;
    v.n = h->n_train;
    v.d = h->ds->d;
    v.n_classes = h->ds->n_classes;
    return v;
}

/* Fits classifier name with the given parameters and class weights; asserts success. */
static imbal_model *fit_via(const char *name, const imbal_param *given, size_t n_given,
                            imbal_class_weight_kind cw, const double *weight,
                            const imbal_train_view *v)
{
    const imbal_classifier *c = imbal_classifier_find(name);
    imbal_param_values pv;
    imbal_classifier_settings s;
    imbal_model *m = NULL;
    imbal_error err;
    imbal_error_clear(&err);
    ck_assert_ptr_nonnull(c);
    ck_assert_msg(imbal_classifier_params_parse(c, given, n_given, &pv, &err) == IMBAL_OK, "%s",
                  err.msg);
    memset(&s, 0, sizeof(s));
    s.params = &pv;
    s.class_weight.kind = cw;
    s.class_weight.weight = weight;
    s.seed = 888;
    ck_assert_msg(imbal_classifier_fit(c, v, &s, &m, &err) == IMBAL_OK, "%s", err.msg);
    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_eq(m->cls, c);
    /* the settings are the caller's: the model must not need them after the fit */
    memset(&pv, 0xA5, sizeof(pv));
    return m;
}

static void assert_bits(const double *got, const double *want, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(memcmp(&got[i], &want[i], sizeof(double)) == 0,
                      "%s[%zu]: %.17g through the interface, %.17g direct", what, i, got[i],
                      want[i]);
    }
}

/* ---- binary logistic regression ---- */

static const char *const abalone_features[9] = {"Length",       "Diameter",       "Height",
                                                "Whole_weight", "Shucked_weight", "Viscera_weight",
                                                "Shell_weight", "Sex_I",          "Sex_M"};

/* One class weighting and solver: the interface against the direct fit (bits) and against
 * the reference row (ref_cw, ref_solver) of abalone19_logreg.csv (exact: 1e-9 relative per
 * coefficient, logreg.h's promise; lbfgs: the same iteration count and 1e-6). */
static void abalone_lr(imbal_class_weight_kind cw, const char *ref_cw, const char *solver)
{
    static const double w100[2] = {1.0, 100.0};
    multi_holdout h = abalone_load();
    imbal_train_view v = train_view(&h);
    imbal_param given[1] = {{"solver", solver}};
    size_t n_given = strcmp(solver, "auto") == 0 ? 0 : 1;
    const double *weight = cw == IMBAL_CW_EXPLICIT ? w100 : NULL;
    imbal_model *m = fit_via("logistic_regression", given, n_given, cw, weight, &v);
    imbal_logreg_params lp;
    imbal_logreg_model *direct = NULL;
    size_t n = h.n_test;
    double *proba = malloc(2 * n * sizeof(double));
    double *rank = malloc(2 * n * sizeof(double));
    double *p1 = malloc(n * sizeof(double));
    double *z = malloc(n * sizeof(double));
    ref_table *ref = ref_read("tests/reference/abalone19_logreg.csv");
    int lbfgs = strcmp(solver, "lbfgs") == 0;
    size_t r = 0;
    ck_assert(proba && rank && p1 && z);

    imbal_logreg_params_default(&lp);
    lp.class_weight = cw;
    lp.solver = lbfgs ? IMBAL_SOLVER_LBFGS : IMBAL_SOLVER_EXACT;
    if (cw == IMBAL_CW_EXPLICIT) {
        lp.weight[0] = w100[0];
        lp.weight[1] = w100[1];
    }
    ck_assert_int_eq(imbal_logreg_fit(v.x, v.y, v.n, v.d, NULL, &lp, &direct, NULL), IMBAL_OK);

    ck_assert_uint_eq(m->k, 2);
    ck_assert_uint_eq(m->d, 9);
    ck_assert_uint_eq(m->n_blocks, 1);
    ck_assert_uint_eq(m->block_class[0], 1);
    ck_assert_uint_eq(m->n_iter, direct->n_iter);
    ck_assert_int_eq(m->fit, direct->fit);
    ck_assert_str_eq(m->method, lbfgs ? "lbfgs" : "cholesky");
    assert_bits(m->coef, direct->coef, 9, "coef");
    assert_bits(m->intercept, &direct->intercept, 1, "intercept");

    ck_assert_int_eq(imbal_model_predict(m, h.x_test, n, proba, rank, NULL), IMBAL_OK);
    imbal_logreg_predict_proba(direct, h.x_test, n, p1);
    imbal_logreg_decision(direct, h.x_test, n, z);
    for (size_t i = 0; i < n; i++) {
        double q0 = 1.0 - p1[i];
        double mz = -z[i];
        assert_bits(&proba[2 * i + 1], &p1[i], 1, "proba[:, 1]");
        assert_bits(&proba[2 * i], &q0, 1, "proba[:, 0]");
        assert_bits(&rank[2 * i + 1], &z[i], 1, "rank[:, 1]");
        assert_bits(&rank[2 * i], &mz, 1, "rank[:, 0]");
    }
    /* rank NULL: the probabilities alone, the same bits */
    memset(rank, 0, 2 * n * sizeof(double));
    ck_assert_int_eq(imbal_model_predict(m, h.x_test, n, rank, NULL, NULL), IMBAL_OK);
    assert_bits(rank, proba, 2 * n, "proba without rank");

    /* the independent reference */
    while (r < ref->n_rows && !(strcmp(ref_str(ref, r, "class_weight"), ref_cw) == 0 &&
                                strcmp(ref_str(ref, r, "solver"),
                                       lbfgs ? "sklearn_default_lbfgs" : "exact_newton") == 0)) {
        r++;
    }
    ck_assert_uint_lt(r, ref->n_rows);
    for (size_t j = 0; j <= 9; j++) {
        double want = ref_num(ref, r, j < 9 ? abalone_features[j] : "intercept");
        double got = j < 9 ? m->coef[j] : m->intercept[0];
        double tol = lbfgs ? 1e-6 : 1e-9;
        ck_assert_msg(fabs(got - want) <= tol * fabs(want), "%s %s %s: %.17g, reference %.17g",
                      ref_cw, solver, j < 9 ? abalone_features[j] : "intercept", got, want);
    }
    if (lbfgs) {
        ck_assert_uint_eq(m->n_iter, (size_t)ref_num(ref, r, "n_iter"));
    }

    ref_free(ref);
    free(proba);
    free(rank);
    free(p1);
    free(z);
    imbal_logreg_model_free(direct);
    imbal_model_free(m);
    multi_holdout_free(&h);
}

START_TEST(lr_binary_none_exact) { abalone_lr(IMBAL_CW_NONE, "none", "auto"); }
END_TEST

START_TEST(lr_binary_balanced_exact) { abalone_lr(IMBAL_CW_BALANCED, "balanced", "exact"); }
END_TEST

START_TEST(lr_binary_w100_exact) { abalone_lr(IMBAL_CW_EXPLICIT, "w100", "exact"); }
END_TEST

START_TEST(lr_binary_none_lbfgs) { abalone_lr(IMBAL_CW_NONE, "none", "lbfgs"); }
END_TEST

START_TEST(lr_binary_balanced_lbfgs) { abalone_lr(IMBAL_CW_BALANCED, "balanced", "lbfgs"); }
END_TEST

/* ---- multinomial logistic regression ---- */

static void iris_lr(imbal_class_weight_kind cw, const char *ref_cw, const char *solver)
{
    multi_holdout h = multi_load(&multi_cases[0]);
    imbal_train_view v = train_view(&h);
    imbal_param given[1] = {{"solver", solver}};
    imbal_model *m = fit_via("logistic_regression", given, 1, cw, NULL, &v);
    imbal_logreg_multi_params mp;
    imbal_logreg_multi_model *direct = NULL;
    size_t k = h.ds->n_classes;
    size_t d = h.ds->d;
    size_t n = h.n_test;
    int lbfgs = strcmp(solver, "lbfgs") == 0;
    double *proba = malloc(k * n * sizeof(double));
    double *rank = malloc(k * n * sizeof(double));
    double *want_p = malloc(k * n * sizeof(double));
    double *want_z = malloc(k * n * sizeof(double));
    double *coef = malloc(k * d * sizeof(double));
    double *intercept = malloc(k * sizeof(double));
    ref_table *ref = ref_read("tests/reference/iris_imbalanced_logreg.csv");
    size_t n_iter = 0;
    ck_assert(proba && rank && want_p && want_z && coef && intercept);
    ck_assert_uint_eq(k, 3);

    imbal_logreg_multi_params_default(&mp);
    mp.class_weight = cw;
    mp.solver = lbfgs ? IMBAL_SOLVER_LBFGS : IMBAL_SOLVER_EXACT;
    ck_assert_int_eq(imbal_logreg_multi_fit(v.x, v.y, v.n, d, k, NULL, &mp, &direct, NULL),
                     IMBAL_OK);
    ck_assert_uint_eq(m->k, k);
    ck_assert_uint_eq(m->n_blocks, k);
    for (size_t c = 0; c < k; c++) {
        ck_assert_uint_eq(m->block_class[c], c);
    }
    ck_assert_uint_eq(m->n_iter, direct->n_iter);
    ck_assert_int_eq(m->fit, direct->fit);
    assert_bits(m->coef, direct->coef, k * d, "coef");
    assert_bits(m->intercept, direct->intercept, k, "intercept");
    ck_assert_int_eq(imbal_model_predict(m, h.x_test, n, proba, rank, NULL), IMBAL_OK);
    imbal_logreg_multi_predict_proba(direct, h.x_test, n, want_p);
    imbal_logreg_multi_decision(direct, h.x_test, n, want_z);
    assert_bits(proba, want_p, k * n, "proba");
    assert_bits(rank, want_z, k * n, "rank");

    /* the independent reference: every entry to 1e-8 (exact) or 1e-6 (lbfgs) of itself */
    multi_ref_model(ref, h.ds, ref_cw, lbfgs ? "sklearn_default_lbfgs" : "exact", coef, intercept,
                    &n_iter);
    for (size_t q = 0; q < k * d + k; q++) {
        double got = q < k * d ? m->coef[q] : m->intercept[q - k * d];
        double want = q < k * d ? coef[q] : intercept[q - k * d];
        double tol = lbfgs ? 1e-6 : 1e-8;
        ck_assert_msg(fabs(got - want) <= tol * fabs(want), "%s %s entry %zu: %.17g, ref %.17g",
                      ref_cw, solver, q, got, want);
    }
    if (lbfgs) {
        ck_assert_uint_eq(m->n_iter, n_iter);
    }

    ref_free(ref);
    free(proba);
    free(rank);
    free(want_p);
    free(want_z);
    free(coef);
    free(intercept);
    imbal_logreg_multi_model_free(direct);
    imbal_model_free(m);
    multi_holdout_free(&h);
}

START_TEST(lr_multi_none_exact) { iris_lr(IMBAL_CW_NONE, "none", "exact"); }
END_TEST

START_TEST(lr_multi_balanced_exact) { iris_lr(IMBAL_CW_BALANCED, "balanced", "exact"); }
END_TEST

START_TEST(lr_multi_balanced_lbfgs) { iris_lr(IMBAL_CW_BALANCED, "balanced", "lbfgs"); }
END_TEST

START_TEST(lr_resolve_auto)
{
    const imbal_classifier *c = imbal_classifier_find("logistic_regression");
    imbal_param_values pv;
    ck_assert(c->resolve != NULL);
    ck_assert_int_eq(imbal_classifier_params_parse(c, NULL, 0, &pv, NULL), IMBAL_OK);
    ck_assert_str_eq(imbal_param_text(&pv, "solver"), "auto");
    c->resolve(&pv, 1);
    ck_assert_str_eq(imbal_param_text(&pv, "solver"), "lbfgs");
    ck_assert_int_eq(imbal_classifier_params_parse(c, NULL, 0, &pv, NULL), IMBAL_OK);
    c->resolve(&pv, 0);
    ck_assert_str_eq(imbal_param_text(&pv, "solver"), "exact");
}
END_TEST

/* ---- the registry ---- */

START_TEST(registry_lookup)
{
    size_t n = imbal_classifier_count();
    ck_assert_uint_ge(n, 2);
    ck_assert_ptr_null(imbal_classifier_at(n));
    for (size_t i = 0; i < n; i++) {
        const imbal_classifier *c = imbal_classifier_at(i);
        ck_assert_ptr_nonnull(c->name);
        ck_assert_ptr_nonnull(c->params);
        ck_assert(c->fit != NULL);
        ck_assert(c->predict != NULL);
        ck_assert(c->free != NULL);
        ck_assert_ptr_nonnull(c->help);
        ck_assert_ptr_eq(imbal_classifier_find(c->name), c);
    }
    ck_assert_str_eq(imbal_classifier_default()->name, "logistic_regression");
    ck_assert_ptr_nonnull(imbal_classifier_find("knn"));
    ck_assert_uint_eq(imbal_classifier_find("logistic_regression")->flags,
                      IMBAL_CLASSIFIER_CLASS_WEIGHT);
    ck_assert_uint_eq(imbal_classifier_find("knn")->flags & IMBAL_CLASSIFIER_CLASS_WEIGHT, 0);
}
END_TEST

START_TEST(registry_unknown_suggests)
{
    ck_assert_ptr_null(imbal_classifier_find("logistic_regresion"));
    ck_assert_ptr_null(imbal_classifier_find("KNN"));
    ck_assert_ptr_null(imbal_classifier_find(""));
    ck_assert_str_eq(imbal_classifier_suggest("logistic_regresion"), "logistic_regression");
    ck_assert_str_eq(imbal_classifier_suggest("Logistic_Regression"), "logistic_regression");
    ck_assert_str_eq(imbal_classifier_suggest("knm"), "knn");
    ck_assert_str_eq(imbal_classifier_suggest("KNN"), "knn");
    ck_assert_ptr_null(imbal_classifier_suggest("random_forest_of_trees"));
}
END_TEST

/* A parameter error: status EINVAL, err->key the parameter, the message containing want;
 * *out zeroed. */
static void bad_param(const char *cls, const char *name, const char *value, const char *key,
                      const char *want)
{
    const imbal_classifier *c = imbal_classifier_find(cls);
    imbal_param given[1] = {{name, value}};
    imbal_param_values pv;
    imbal_error err;
    imbal_error_clear(&err);
    memset(&pv, 0x5A, sizeof(pv));
    ck_assert_int_eq(imbal_classifier_params_parse(c, given, 1, &pv, &err), IMBAL_EINVAL);
    ck_assert_int_eq(err.status, IMBAL_EINVAL);
    ck_assert_str_eq(err.key, key);
    ck_assert_msg(strstr(err.msg, want) != NULL, "message '%s' lacks '%s'", err.msg, want);
    ck_assert_uint_eq(pv.n, 0);
    ck_assert_ptr_null(pv.spec);
}

START_TEST(params_errors_name_the_parameter)
{
    bad_param("logistic_regression", "C", "0", "C", "C must be in [1e-12, 1e+12], got 0");
    bad_param("logistic_regression", "C", "large", "C", "C: expected a number");
    bad_param("logistic_regression", "solver", "newton", "solver",
              "solver: expected one of auto|exact|lbfgs, got 'newton'");
    bad_param("logistic_regression", "max_iters", "5", "max_iters",
              "unknown parameter 'max_iters' for logistic_regression (did you mean 'max_iter'?)");
    bad_param("knn", "n_neighbours", "3", "n_neighbours",
              "unknown parameter 'n_neighbours' for knn (did you mean 'n_neighbors'?)");
    bad_param("knn", "n_neighbors", "0", "n_neighbors", "n_neighbors must be in [1, 1e+06]");
    bad_param("knn", "n_neighbors", "2.5", "n_neighbors", "n_neighbors: expected an integer");
    bad_param("knn", "weights", "manhattan", "weights",
              "weights: expected one of uniform|distance, got 'manhattan'");
    bad_param("knn", "algorithm", "ball_tree", "algorithm",
              "algorithm: expected one of auto|kd_tree|brute, got 'ball_tree'");
}
END_TEST

START_TEST(params_given_twice)
{
    const imbal_classifier *c = imbal_classifier_find("knn");
    imbal_param given[2] = {{"n_neighbors", "3"}, {"n_neighbors", "4"}};
    imbal_param_values pv;
    imbal_error err;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_classifier_params_parse(c, given, 2, &pv, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "n_neighbors");
    ck_assert_str_eq(err.msg, "parameter 'n_neighbors' given twice for knn");
}
END_TEST

START_TEST(params_defaults)
{
    const imbal_classifier *c = imbal_classifier_find("knn");
    imbal_param given[1] = {{"weights", "distance"}};
    imbal_param_values pv;
    ck_assert_int_eq(imbal_classifier_params_parse(c, NULL, 0, &pv, NULL), IMBAL_OK);
    ck_assert(imbal_param_num(&pv, "n_neighbors") == 5.0);
    ck_assert_str_eq(imbal_param_text(&pv, "weights"), "uniform");
    ck_assert_str_eq(imbal_param_text(&pv, "algorithm"), "auto");
    ck_assert_int_eq(imbal_classifier_params_parse(c, given, 1, &pv, NULL), IMBAL_OK);
    ck_assert_str_eq(imbal_param_text(&pv, "weights"), "distance");
    c = imbal_classifier_find("logistic_regression");
    ck_assert_int_eq(imbal_classifier_params_parse(c, NULL, 0, &pv, NULL), IMBAL_OK);
    ck_assert(imbal_param_num(&pv, "C") == 1.0);
    ck_assert(imbal_param_num(&pv, "standardize") == 0.0);
    ck_assert(isnan(imbal_param_num(&pv, "max_iter")));
}
END_TEST

/* ---- class weights ---- */

START_TEST(class_weights_by_hand)
{
    /* counts 3, 1, 2 of n = 6, k = 3: 6 / (3 * 3) = 2/3, 6 / (3 * 1) = 2, 6 / (3 * 2) = 1 */
    static const int y[6] = {0, 2, 0, 1, 2, 0};
    static const double explicit_w[4] = {0.5, 4.0, 1.0, 3.0};
    imbal_class_weights cw = {IMBAL_CW_BALANCED, NULL};
    double w[4];
    imbal_class_weights_resolve(&cw, y, 6, 3, w);
    ck_assert(w[0] == 6.0 / 9.0);
    ck_assert(w[1] == 2.0);
    ck_assert(w[2] == 1.0);
    /* k = 4, class 3 without rows: 1; the others 6 / (4 n_c) = 0.5, 1.5, 0.75 */
    imbal_class_weights_resolve(&cw, y, 6, 4, w);
    ck_assert(w[0] == 0.5);
    ck_assert(w[1] == 1.5);
    ck_assert(w[2] == 0.75);
    ck_assert(w[3] == 1.0);
    /* binary balanced = logreg.h's n / (2 n_c): 5 rows, 4 of class 0 -> 5/8, 5/2 */
    imbal_class_weights_resolve(&cw, (const int[]){0, 0, 1, 0, 0}, 5, 2, w);
    ck_assert(w[0] == 0.625);
    ck_assert(w[1] == 2.5);
    cw.kind = IMBAL_CW_NONE;
    imbal_class_weights_resolve(&cw, y, 6, 3, w);
    ck_assert(w[0] == 1.0 && w[1] == 1.0 && w[2] == 1.0);
    cw.kind = IMBAL_CW_EXPLICIT;
    cw.weight = explicit_w;
    imbal_class_weights_resolve(&cw, y, 6, 4, w);
    ck_assert(memcmp(w, explicit_w, sizeof(w)) == 0);
}
END_TEST

/* ---- fit errors ---- */

/* A 2-class toy: 4 rows, d = 1. */
static const double toy_x[4] = {0.0, 1.0, 2.0, 3.0};

static imbal_status toy_fit(const char *cls, const imbal_param_values *pv, const int *y,
                            size_t n_classes, imbal_class_weight_kind cw, imbal_model **m,
                            imbal_error *err)
{
    imbal_train_view v;
    imbal_classifier_settings s;
    memset(&v, 0, sizeof(v));
    memset(&s, 0, sizeof(s));
    v.x = toy_x;
    v.y = y;
    v.n = 4;
    v.d = 1;
    v.n_classes = n_classes;
    s.params = pv;
    s.class_weight.kind = cw;
    *m = (imbal_model *)&v; /* must be set to NULL on error */
    imbal_error_clear(err);
    return imbal_classifier_fit(imbal_classifier_find(cls), &v, &s, m, err);
}

START_TEST(fit_errors)
{
    const imbal_classifier *lr = imbal_classifier_find("logistic_regression");
    const imbal_classifier *knn = imbal_classifier_find("knn");
    imbal_param_values pv_lr;
    imbal_param_values pv_knn;
    imbal_model *m;
    imbal_error err;
    ck_assert_int_eq(imbal_classifier_params_parse(lr, NULL, 0, &pv_lr, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_classifier_params_parse(knn, NULL, 0, &pv_knn, NULL), IMBAL_OK);

    /* parameters of another classifier */
    ck_assert_int_eq(toy_fit("logistic_regression", &pv_knn, (const int[]){0, 0, 1, 1}, 2,
                             IMBAL_CW_NONE, &m, &err),
                     IMBAL_EINVAL);
    ck_assert_ptr_null(m);
    ck_assert_str_eq(err.msg, "parameters were not parsed for logistic_regression");
    /* one class present */
    ck_assert_int_eq(toy_fit("logistic_regression", &pv_lr, (const int[]){1, 1, 1, 1}, 2,
                             IMBAL_CW_NONE, &m, &err),
                     IMBAL_EINVAL);
    ck_assert_ptr_null(m);
    ck_assert_str_eq(err.msg, "logistic_regression: the training rows hold one class only");
    /* a label out of range: its row */
    ck_assert_int_eq(toy_fit("knn", &pv_knn, (const int[]){0, 1, 2, 1}, 2, IMBAL_CW_NONE, &m, &err),
                     IMBAL_EINVAL);
    ck_assert_ptr_null(m);
    ck_assert_int_eq(err.line, 3);
    ck_assert_str_eq(err.msg, "knn: label 2 of row 3 is not a class 0 .. 1");
    /* the same without an error buffer: the status alone */
    {
        imbal_train_view v;
        imbal_classifier_settings st;
        memset(&v, 0, sizeof(v));
        memset(&st, 0, sizeof(st));
        v.x = toy_x;
        v.y = (const int[]){0, 1, 2, 1};
        v.n = 4;
        v.d = 1;
        v.n_classes = 2;
        st.params = &pv_knn;
        ck_assert_int_eq(imbal_classifier_fit(knn, &v, &st, &m, NULL), IMBAL_EINVAL);
        ck_assert_ptr_null(m);
    }
    /* fewer than two classes declared */
    ck_assert_int_eq(toy_fit("knn", &pv_knn, (const int[]){0, 0, 0, 0}, 1, IMBAL_CW_NONE, &m, &err),
                     IMBAL_EINVAL);
    ck_assert_ptr_null(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("classifier");
    TCase *lr = tcase_create("logistic_regression");
    TCase *reg = tcase_create("registry");
    tcase_set_timeout(lr, 60);
    tcase_add_test(lr, lr_binary_none_exact);
    tcase_add_test(lr, lr_binary_balanced_exact);
    tcase_add_test(lr, lr_binary_w100_exact);
    tcase_add_test(lr, lr_binary_none_lbfgs);
    tcase_add_test(lr, lr_binary_balanced_lbfgs);
    tcase_add_test(lr, lr_multi_none_exact);
    tcase_add_test(lr, lr_multi_balanced_exact);
    tcase_add_test(lr, lr_multi_balanced_lbfgs);
    tcase_add_test(lr, lr_resolve_auto);
    tcase_add_test(reg, registry_lookup);
    tcase_add_test(reg, registry_unknown_suggests);
    tcase_add_test(reg, params_errors_name_the_parameter);
    tcase_add_test(reg, params_given_twice);
    tcase_add_test(reg, params_defaults);
    tcase_add_test(reg, class_weights_by_hand);
    tcase_add_test(reg, fit_errors);
    suite_add_tcase(s, lr);
    suite_add_tcase(s, reg);
    return run_suite(s);
}
