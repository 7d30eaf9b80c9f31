/* Multinomial logistic regression: parity with tests/reference/iris_imbalanced_logreg.csv and
 * ecoli_logreg.csv (exact optimum to 1e-8 relative per coefficient, scikit-learn's lbfgs to
 * 1e-6 with the same iteration count, class_weight none and balanced), the test metrics of
 * the fitted models against *_metrics.csv, properties with independent answers (two classes =
 * the binary solver at 2C, explicit class weights = repeated rows, standardize = the fit on
 * z-scored data, the CG path = the dense one), convergence to a zero gradient (checked here in
 * long double) on small iris subsets that once ended at max_iter, and the error paths. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/logreg.h"
#include "imbal/logreg_multi.h"
#include "imbal/metrics_multi.h"
#include "logreg_multi_impl.h"
#include "multi_fixtures.h"
#include "util.h"

/* max over entries of |got - want| / |want| */
static double max_rel(const double *got, const double *want, size_t n)
{
    double worst = 0.0;
    for (size_t q = 0; q < n; q++) {
        double rel = fabs(got[q] - want[q]) / fabs(want[q]);
        worst = rel > worst ? rel : worst;
    }
    return worst;
}

/* max over entries of |got - want| / max_q |want_q| */
static double max_rel_norm(const double *got, const double *want, size_t n)
{
    double worst = 0.0;
    double big = 0.0;
    for (size_t q = 0; q < n; q++) {
        big = fabs(want[q]) > big ? fabs(want[q]) : big;
    }
    for (size_t q = 0; q < n; q++) {
        double rel = fabs(got[q] - want[q]) / big;
        worst = rel > worst ? rel : worst;
    }
    return worst;
}

/* Coefficient error relative to the size of its feature's coefficients: max over (c, j) of
 * |got_cj - want_cj| / max_c' |want_c'j|. A coefficient far smaller than the others of its
 * column (ecoli's a4 column: 5e-7 for im beside 0.03 for imL; a4 is 5 on almost every row,
 * nearly the intercept's column) is fixed by gradient components that cancel to about 1e-13,
 * the rounding floor of any double-precision optimum, the reference's included (its gradient
 * is below 2e-12): 1e-8 of itself is below what either side can resolve. */
static double max_rel_column(const double *got, const double *want, size_t k, size_t d)
{
    double worst = 0.0;
    for (size_t j = 0; j < d; j++) {
        double big = 0.0;
        for (size_t c = 0; c < k; c++) {
            big = fabs(want[c * d + j]) > big ? fabs(want[c * d + j]) : big;
        }
        for (size_t c = 0; c < k; c++) {
            double rel = fabs(got[c * d + j] - want[c * d + j]) / big;
            worst = rel > worst ? rel : worst;
        }
    }
    return worst;
}

static imbal_logreg_multi_model *fit_ok(const multi_holdout *h, const char *cw,
                                        imbal_solver solver)
{
    imbal_logreg_multi_params p;
    imbal_logreg_multi_model *m = NULL;
    imbal_error err;
    imbal_error_clear(&err);
    imbal_logreg_multi_params_default(&p);
    p.class_weight = strcmp(cw, "balanced") == 0 ? IMBAL_CW_BALANCED : IMBAL_CW_NONE;
    p.solver = solver;
    ck_assert_msg(imbal_logreg_multi_fit(h->x_train, h->y_train, h->n_train, h->ds->d,
                                         h->ds->n_classes, NULL, &p, &m, &err) == IMBAL_OK,
                  "fit: %s", err.msg);
    return m;
}

/* One model against its reference rows; returns the max relative error over coefficients and
 * intercepts. */
static double compare(const multi_holdout *h, const ref_table *ref, const char *cw,
                      const char *solver_name, imbal_solver solver, double tol, int per_entry)
{
    size_t k = h->ds->n_classes;
    size_t d = h->ds->d;
    double *coef = malloc(k * d * sizeof(*coef));
    double *intercept = malloc(k * sizeof(*intercept));
    size_t n_iter;
    double rel;
    double rel_b;
    double bsum = 0.0;
    double bmax = 0.0;
    imbal_logreg_multi_model *m = fit_ok(h, cw, solver);
    multi_ref_model(ref, h->ds, cw, solver_name, coef, intercept, &n_iter);
    ck_assert_uint_eq(m->k, k);
    ck_assert_uint_eq(m->d, d);
    rel = per_entry ? max_rel(m->coef, coef, k * d) : max_rel_column(m->coef, coef, k, d);
    rel_b = per_entry ? max_rel(m->intercept, intercept, k)
                      : max_rel_norm(m->intercept, intercept, k);
    ck_assert_msg(rel <= tol && rel_b <= tol, "%s %s: coef rel %g, intercept rel %g > %g", cw,
                  solver_name, rel, rel_b, tol);
    if (solver == IMBAL_SOLVER_EXACT) {
        /* logreg_multi.h: column-relative 1e-10 (the polishing steps; measured 1.4e-12) */
        double col = max_rel_column(m->coef, coef, k, d);
        ck_assert_msg(col <= 1e-10, "%s exact: column-relative %g", cw, col);
    }
    if (solver == IMBAL_SOLVER_LBFGS) {
        /* scikit-learn's default max_iter 100: reaching it is its ConvergenceWarning */
        ck_assert_uint_eq(m->n_iter, n_iter);
        ck_assert_int_eq(m->converged, n_iter < 100);
        ck_assert_int_eq(m->fit, n_iter < 100 ? IMBAL_FIT_CONVERGED : IMBAL_FIT_MAX_ITER);
        ck_assert_int_eq(m->method, IMBAL_LOGREG_LBFGS);
    } else {
        ck_assert_int_eq(m->converged, 1);
        ck_assert_int_eq(m->fit, IMBAL_FIT_CONVERGED);
        ck_assert_int_eq(m->method, IMBAL_LOGREG_CHOLESKY);
        ck_assert(m->grad_rel <= 1e-8);
    }
    for (size_t c = 0; c < k; c++) {
        bsum += m->intercept[c];
        bmax = fabs(m->intercept[c]) > bmax ? fabs(m->intercept[c]) : bmax;
    }
    ck_assert_msg(fabs(bsum) <= 1e-13 * bmax, "intercepts sum to %g", bsum);
    imbal_logreg_multi_model_free(m);
    free(coef);
    free(intercept);
    return rel > rel_b ? rel : rel_b;
}

static void parity(const multi_case *mc)
{
    static const char *const cws[] = {"none", "balanced"};
    char path[256];
    multi_holdout h = multi_load(mc);
    ref_table *ref;
    snprintf(path, sizeof(path), "tests/reference/%s_logreg.csv", mc->name);
    ref = ref_read(path);
    for (size_t w = 0; w < 2; w++) {
        /* iris: every entry to 1e-8 of itself (exact) and 1e-6 (lbfgs); ecoli: relative to
         * its column (max_rel_column), and lbfgs, stopped by max_iter at 100 iterations in
         * both implementations, far apart after so many (see lbfgs_path_ecoli): 1e-1 */
        int iris = mc == &multi_cases[0];
        compare(&h, ref, cws[w], "exact", IMBAL_SOLVER_EXACT, 1e-8, iris);
        compare(&h, ref, cws[w], "sklearn_default_lbfgs", IMBAL_SOLVER_LBFGS, iris ? 1e-6 : 1e-1,
                iris);
    }
    ref_free(ref);
    multi_holdout_free(&h);
}

/* The ecoli lbfgs path (tests/reference/ecoli_lbfgs_path.csv): scikit-learn stopped after
 * t = 10, 20, ..., 100 iterations. Returns, per t / 10 - 1, the largest column-relative
 * coefficient error of the two class weightings. */
static void lbfgs_path(double *worst)
{
    static const char *const cws[] = {"none", "balanced"};
    multi_holdout h = multi_load(&multi_cases[1]);
    ref_table *path = ref_read("tests/reference/ecoli_lbfgs_path.csv");
    size_t k = h.ds->n_classes;
    size_t d = h.ds->d;
    double *coef = malloc(k * d * sizeof(*coef));
    double *intercept = malloc(k * sizeof(*intercept));
    for (size_t t = 0; t < 10; t++) {
        worst[t] = 0.0;
    }
    for (size_t w = 0; w < 2; w++) {
        for (size_t t = 10; t <= 100; t += 10) {
            imbal_logreg_multi_params p;
            imbal_logreg_multi_model *m = NULL;
            size_t found = 0;
            double rel;
            imbal_logreg_multi_params_default(&p);
            p.class_weight = w == 1 ? IMBAL_CW_BALANCED : IMBAL_CW_NONE;
            p.solver = IMBAL_SOLVER_LBFGS;
            p.max_iter = t;
            ck_assert_int_eq(imbal_logreg_multi_fit(h.x_train, h.y_train, h.n_train, d, k, NULL,
                                                    &p, &m, NULL),
                             IMBAL_OK);
            for (size_t r = 0; r < path->n_rows; r++) {
                size_t c;
                if (strcmp(ref_str(path, r, "class_weight"), cws[w]) != 0 ||
                    (size_t)ref_num(path, r, "max_iter") != t) {
                    continue;
                }
                c = multi_class_index(h.ds, ref_str(path, r, "class"));
                intercept[c] = ref_num(path, r, "intercept");
                for (size_t j = 0; j < d; j++) {
                    coef[c * d + j] = ref_num(path, r, h.ds->feature_names[j]);
                }
                ck_assert_uint_eq(m->n_iter, (size_t)ref_num(path, r, "n_iter"));
                found++;
            }
            ck_assert_uint_eq(found, k);
            rel = max_rel_column(m->coef, coef, k, d);
            worst[t / 10 - 1] = rel > worst[t / 10 - 1] ? rel : worst[t / 10 - 1];
            imbal_logreg_multi_model_free(m);
        }
    }
    ref_free(path);
    free(coef);
    free(intercept);
    multi_holdout_free(&h);
}

START_TEST(lbfgs_path_ecoli)
{
    /* the same iteration counts everywhere; the coefficients agree to rounding at first,
     * then drift apart about 30-fold every 10 iterations (measured, column-relative:
     * 1.5e-15 at t = 10, 4.4e-14 at 30, 2.2e-10 at 50, 4.7e-8 at 60, 1.4e-6 at 70, 1.7e-2 at
     * 100): iterates of two L-BFGS-B implementations whose sums round differently (lbfgsb.c
     * follows SciPy's algebra, not its Fortran's order of operations) on a problem this badly
     * conditioned (features in 0 .. 100, near-constant columns). Asserted: 1e-12 up to
     * t = 30, 1e-8 up to 50, 1e-6 at 60. */
    double worst[10];
    lbfgs_path(worst);
    for (size_t t = 0; t < 3; t++) {
        ck_assert_double_le(worst[t], 1e-12);
    }
    ck_assert_double_le(worst[3], 1e-8);
    ck_assert_double_le(worst[4], 1e-8);
    ck_assert_double_le(worst[5], 1e-6);
}
END_TEST

/* The exact fits against the 40-digit optima of <name>_logreg_mp.csv (logreg_multi.h's
 * promise): every coefficient within 1e-10 of the largest of its feature and within 1e-7 of
 * itself, every intercept within 1e-10 of the largest. Measured: iris 9.1e-15 per entry;
 * ecoli column-relative 7.0e-13, per entry 2.1e-8 (the a4 coefficient of im, 5e-7: the
 * shared float64 reference's own is 2.3e-8 off the 40-digit one). */
static void mp_optimum(const multi_case *mc)
{
    static const char *const cws[] = {"none", "balanced"};
    char path[256];
    multi_holdout h = multi_load(mc);
    ref_table *mp;
    size_t k = h.ds->n_classes;
    size_t d = h.ds->d;
    double *coef = malloc(k * d * sizeof(*coef));
    double *intercept = malloc(k * sizeof(*intercept));
    snprintf(path, sizeof(path), "tests/reference/%s_logreg_mp.csv", mc->name);
    mp = ref_read(path);
    for (size_t w = 0; w < 2; w++) {
        imbal_logreg_multi_model *m = fit_ok(&h, cws[w], IMBAL_SOLVER_EXACT);
        size_t found = 0;
        double rel;
        for (size_t r = 0; r < mp->n_rows; r++) {
            size_t c;
            if (strcmp(ref_str(mp, r, "class_weight"), cws[w]) != 0) {
                continue;
            }
            c = multi_class_index(h.ds, ref_str(mp, r, "class"));
            intercept[c] = ref_num(mp, r, "intercept");
            for (size_t j = 0; j < d; j++) {
                coef[c * d + j] = ref_num(mp, r, h.ds->feature_names[j]);
            }
            found++;
        }
        ck_assert_uint_eq(found, k);
        rel = max_rel(m->coef, coef, k * d);
        ck_assert_msg(rel <= 1e-7, "%s %s: coefficient %g off", mc->name, cws[w], rel);
        ck_assert_double_le(max_rel_column(m->coef, coef, k, d), 1e-10);
        ck_assert_double_le(max_rel_norm(m->intercept, intercept, k), 1e-10);
        imbal_logreg_multi_model_free(m);
    }
    ref_free(mp);
    free(coef);
    free(intercept);
    multi_holdout_free(&h);
}

START_TEST(exact_is_the_40_digit_optimum)
{
    mp_optimum(&multi_cases[0]);
    mp_optimum(&multi_cases[1]);
}
END_TEST

START_TEST(parity_iris)
{
    parity(&multi_cases[0]);
}
END_TEST

START_TEST(parity_ecoli)
{
    parity(&multi_cases[1]);
}
END_TEST

/* The fitted models' test metrics (probabilities from imbal_logreg_multi_predict_proba)
 * against <name>_metrics.csv, the scalar metrics: both solvers on iris, the exact one on ecoli
 * (its lbfgs models are 1e-2 apart, lbfgs_path_ecoli, and so are their AUCs). */
static void metrics_end_to_end(const multi_case *mc)
{
    static const char *const cws[] = {"none", "balanced"};
    static const char *const solvers[] = {"exact", "sklearn_default_lbfgs"};
    char path[256];
    multi_holdout h = multi_load(mc);
    size_t k = h.ds->n_classes;
    double *proba = malloc(h.n_test * k * sizeof(*proba));
    ref_table *expected;
    size_t checked = 0;
    snprintf(path, sizeof(path), "tests/reference/%s_metrics.csv", mc->name);
    expected = ref_read(path);
    for (size_t w = 0; w < 2; w++) {
        for (size_t s = 0; s < (mc == &multi_cases[0] ? 2u : 1u); s++) {
            imbal_logreg_multi_model *m =
                fit_ok(&h, cws[w], s == 0 ? IMBAL_SOLVER_EXACT : IMBAL_SOLVER_LBFGS);
            imbal_metrics_multi *mm = NULL;
            imbal_logreg_multi_predict_proba(m, h.x_test, h.n_test, proba);
            ck_assert_int_eq(imbal_metrics_multi_compute(h.y_test, proba, h.n_test, k, &mm, NULL),
                             IMBAL_OK);
            for (size_t r = 0; r < expected->n_rows; r++) {
                const char *metric = ref_str(expected, r, "metric");
                const char *value = ref_str(expected, r, "value");
                const imbal_metric_value *v = imbal_metrics_multi_get(mm, metric);
                if (strcmp(ref_str(expected, r, "class_weight"), cws[w]) != 0 ||
                    strcmp(ref_str(expected, r, "solver"), solvers[s]) != 0 || v == NULL) {
                    continue;
                }
                if (strcmp(value, "undefined") == 0) {
                    ck_assert(v->state == IMBAL_METRIC_UNDEFINED);
                } else {
                    ck_assert_msg(fabs(v->value - strtod(value, NULL)) <= 1e-12,
                                  "%s %s %s %s: %.17g vs %s", mc->name, cws[w], solvers[s],
                                  metric, v->value, value);
                }
                checked++;
            }
            imbal_metrics_multi_free(mm);
            imbal_logreg_multi_model_free(m);
        }
    }
    ck_assert_uint_eq(checked, (mc == &multi_cases[0] ? 4u : 2u) * IMBAL_METRICS_MULTI_N);
    ref_free(expected);
    free(proba);
    multi_holdout_free(&h);
}

START_TEST(metrics_of_fitted_models)
{
    metrics_end_to_end(&multi_cases[0]);
    metrics_end_to_end(&multi_cases[1]);
}
END_TEST

/* The ecoli training rows of classes cp (0) and im (1), relabelled 0 / 1. */
static size_t two_classes(const multi_holdout *h, double *x, int *y)
{
    size_t m = 0;
    size_t d = h->ds->d;
    for (size_t i = 0; i < h->n_train; i++) {
        if (h->y_train[i] <= 1) {
            memcpy(x + m * d, h->x_train + i * d, d * sizeof(*x));
            y[m++] = h->y_train[i];
        }
    }
    return m;
}

START_TEST(two_classes_is_binary_at_twice_c)
{
    /* With k = 2 the optimum has W_0 = -W_1 (the coefficient columns sum to zero), so
     * 0.5 (||W_0||^2 + ||W_1||^2) + C L(W_1 - W_0) = 0.5 (0.5 ||w||^2 + 2 C L(w)) with
     * w = W_1 - W_0: the binary problem at C' = 2 C, w = W_1 - W_0, b = b_1 - b_0. */
    multi_holdout h = multi_load(&multi_cases[1]);
    size_t d = h.ds->d;
    double *x = malloc(h.n_train * d * sizeof(*x));
    int *y = malloc(h.n_train * sizeof(*y));
    size_t n = two_classes(&h, x, y);
    imbal_logreg_multi_params mp;
    imbal_logreg_params bp;
    imbal_logreg_multi_model *mm = NULL;
    imbal_logreg_model *bm = NULL;
    double w[16];
    imbal_logreg_multi_params_default(&mp);
    mp.C = 0.5;
    imbal_logreg_params_default(&bp);
    bp.C = 1.0;
    ck_assert_int_eq(imbal_logreg_multi_fit(x, y, n, d, 2, NULL, &mp, &mm, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_logreg_fit(x, y, n, d, NULL, &bp, &bm, NULL), IMBAL_OK);
    for (size_t j = 0; j < d; j++) {
        w[j] = mm->coef[d + j] - mm->coef[j];
        ck_assert_msg(fabs(mm->coef[d + j] + mm->coef[j]) <= 1e-10 * fabs(bm->coef[0]),
                      "column %zu does not sum to zero", j);
    }
    ck_assert_double_le(max_rel_norm(w, bm->coef, d), 1e-8);
    ck_assert_double_le(fabs((mm->intercept[1] - mm->intercept[0]) - bm->intercept),
                        1e-8 * fabs(bm->intercept));
    imbal_logreg_multi_model_free(mm);
    imbal_logreg_model_free(bm);
    free(x);
    free(y);
    multi_holdout_free(&h);
}
END_TEST

START_TEST(explicit_weights_are_repeated_rows)
{
    /* weight 3 on class 1 (versicolor) = every versicolor row three times */
    multi_holdout h = multi_load(&multi_cases[0]);
    size_t d = h.ds->d;
    size_t k = h.ds->n_classes;
    double *x = malloc(3 * h.n_train * d * sizeof(*x));
    int *y = malloc(3 * h.n_train * sizeof(*y));
    const double weight[3] = {1.0, 3.0, 1.0};
    size_t n = 0;
    imbal_logreg_multi_params p;
    imbal_logreg_multi_model *a = NULL;
    imbal_logreg_multi_model *b = NULL;
    for (size_t i = 0; i < h.n_train; i++) {
        for (int copy = 0; copy < (h.y_train[i] == 1 ? 3 : 1); copy++) {
            memcpy(x + n * d, h.x_train + i * d, d * sizeof(*x));
            y[n++] = h.y_train[i];
        }
    }
    imbal_logreg_multi_params_default(&p);
    p.class_weight = IMBAL_CW_EXPLICIT;
    p.weight = weight;
    ck_assert_int_eq(imbal_logreg_multi_fit(h.x_train, h.y_train, h.n_train, d, k, NULL, &p, &a,
                                            NULL),
                     IMBAL_OK);
    p.class_weight = IMBAL_CW_NONE;
    ck_assert_int_eq(imbal_logreg_multi_fit(x, y, n, d, k, NULL, &p, &b, NULL), IMBAL_OK);
    ck_assert_double_le(max_rel_column(a->coef, b->coef, k, d), 1e-8);
    ck_assert_double_le(max_rel_norm(a->intercept, b->intercept, k), 1e-8);
    imbal_logreg_multi_model_free(a);
    imbal_logreg_multi_model_free(b);
    free(x);
    free(y);
    multi_holdout_free(&h);
}
END_TEST

START_TEST(standardize_is_the_fit_on_z_scores)
{
    /* the test z-scores the columns itself (population std); the model fitted on z, mapped
     * to x, gives the same probabilities as the standardize fit */
    multi_holdout h = multi_load(&multi_cases[1]);
    size_t d = h.ds->d;
    size_t k = h.ds->n_classes;
    size_t n = h.n_train;
    double *z = malloc(n * d * sizeof(*z));
    double *pa = malloc(h.n_test * k * sizeof(*pa));
    double *pb = malloc(h.n_test * k * sizeof(*pb));
    double *zt = malloc(h.n_test * d * sizeof(*zt));
    double mean[16];
    double sd[16];
    imbal_logreg_multi_params p;
    imbal_logreg_multi_model *a = NULL;
    imbal_logreg_multi_model *b = NULL;
    for (size_t j = 0; j < d; j++) {
        double s = 0.0;
        double v = 0.0;
        for (size_t i = 0; i < n; i++) {
            s += h.x_train[i * d + j];
        }
        mean[j] = s / (double)n;
        for (size_t i = 0; i < n; i++) {
            v += (h.x_train[i * d + j] - mean[j]) * (h.x_train[i * d + j] - mean[j]);
        }
        sd[j] = sqrt(v / (double)n);
        for (size_t i = 0; i < n; i++) {
            z[i * d + j] = (h.x_train[i * d + j] - mean[j]) / sd[j];
        }
        for (size_t i = 0; i < h.n_test; i++) {
            zt[i * d + j] = (h.x_test[i * d + j] - mean[j]) / sd[j];
        }
    }
    imbal_logreg_multi_params_default(&p);
    p.class_weight = IMBAL_CW_BALANCED;
    p.standardize = 1;
    ck_assert_int_eq(imbal_logreg_multi_fit(h.x_train, h.y_train, n, d, k, NULL, &p, &a, NULL),
                     IMBAL_OK);
    p.standardize = 0;
    ck_assert_int_eq(imbal_logreg_multi_fit(z, h.y_train, n, d, k, NULL, &p, &b, NULL),
                     IMBAL_OK);
    for (size_t c = 0; c < k; c++) {
        for (size_t j = 0; j < d; j++) {
            double want = b->coef[c * d + j] / sd[j];
            ck_assert_double_le(fabs(a->coef[c * d + j] - want), 1e-8 * fabs(want));
        }
    }
    {
        double bsum = 0.0;
        double bmax = 0.0;
        for (size_t c = 0; c < k; c++) {
            bsum += a->intercept[c];
            bmax = fabs(a->intercept[c]) > bmax ? fabs(a->intercept[c]) : bmax;
        }
        ck_assert_msg(fabs(bsum) <= 1e-13 * bmax, "intercepts sum to %g", bsum);
    }
    imbal_logreg_multi_predict_proba(a, h.x_test, h.n_test, pa);
    imbal_logreg_multi_predict_proba(b, zt, h.n_test, pb);
    for (size_t q = 0; q < h.n_test * k; q++) {
        ck_assert_double_le(fabs(pa[q] - pb[q]), 1e-9);
    }
    imbal_logreg_multi_model_free(a);
    imbal_logreg_multi_model_free(b);
    free(z);
    free(zt);
    free(pa);
    free(pb);
    multi_holdout_free(&h);
}
END_TEST

START_TEST(conjugate_gradients_agree_with_cholesky)
{
    /* the CG path (dense_max 0) on ecoli, balanced, against the reference optimum */
    multi_holdout h = multi_load(&multi_cases[1]);
    ref_table *ref = ref_read("tests/reference/ecoli_logreg.csv");
    size_t d = h.ds->d;
    size_t k = h.ds->n_classes;
    size_t d1 = d + 1;
    double *theta = calloc(k * d1, sizeof(*theta));
    double *s = malloc(h.n_train * sizeof(*s));
    double *coef = malloc(k * d * sizeof(*coef));
    double *got = malloc(k * d * sizeof(*got));
    double intercept[8];
    double got_b[8];
    size_t count[8] = {0};
    size_t n_iter;
    double gmax;
    double grel;
    double mean = 0.0;
    imbal_mlogreg_problem pb;
    for (size_t i = 0; i < h.n_train; i++) {
        count[h.y_train[i]]++;
    }
    for (size_t i = 0; i < h.n_train; i++) {
        s[i] = (double)h.n_train / ((double)k * (double)count[h.y_train[i]]);
    }
    pb.x = h.x_train;
    pb.y = h.y_train;
    pb.s = s;
    pb.n = h.n_train;
    pb.d = d;
    pb.k = k;
    pb.C = 1.0;
    {
        imbal_error e;
        imbal_error_clear(&e);
        imbal_logreg_fit_status fit = IMBAL_FIT_STALLED;
        ck_assert_msg(imbal_mlogreg_newton(&pb, 0, 1e-9, 1e-8, 200, theta, &n_iter, &gmax, &grel,
                                           &fit, &e) == IMBAL_OK,
                      "%s", e.msg);
        ck_assert_int_eq(fit, IMBAL_FIT_CONVERGED);
    }
    for (size_t c = 0; c < k; c++) {
        memcpy(got + c * d, theta + c * d1, d * sizeof(*got));
        got_b[c] = theta[c * d1 + d];
        mean += got_b[c];
    }
    for (size_t c = 0; c < k; c++) {
        got_b[c] -= mean / (double)k;
    }
    multi_ref_model(ref, h.ds, "balanced", "exact", coef, intercept, &n_iter);
    ck_assert_double_le(max_rel_column(got, coef, k, d), 1e-8);
    ck_assert_double_le(max_rel_norm(got_b, intercept, k), 1e-8);
    ref_free(ref);
    free(theta);
    free(s);
    free(coef);
    free(got);
    multi_holdout_free(&h);
}
END_TEST

START_TEST(hessian_is_the_gradient_derivative)
{
    /* At a point of the ecoli problem: H v against central differences of the gradient for a
     * v off the flat direction (5e-6 relative), symmetry, and H u = lambda u along the flat
     * direction u (all intercepts 1), lambda = the mean intercept curvature > 0: the term that
     * makes the factorisation exist. */
    multi_holdout h = multi_load(&multi_cases[1]);
    size_t d = h.ds->d;
    size_t k = h.ds->n_classes;
    size_t m = k * (d + 1);
    double *s = malloc(h.n_train * sizeof(*s));
    double *theta = malloc(m * sizeof(*theta));
    double *v = malloc(m * sizeof(*v));
    double *tp = malloc(m * sizeof(*tp));
    double *gp = malloc(m * sizeof(*gp));
    double *gm = malloc(m * sizeof(*gm));
    double *g = malloc(m * sizeof(*g));
    double *hm = malloc(m * m * sizeof(*hm));
    double *scratch = malloc(m * m * sizeof(*scratch));
    double lambda = 0.0;
    double eps = 1e-6;
    double vmean = 0.0;
    imbal_mlogreg_problem pb;
    for (size_t i = 0; i < h.n_train; i++) {
        s[i] = 1.0;
    }
    pb.x = h.x_train;
    pb.y = h.y_train;
    pb.s = s;
    pb.n = h.n_train;
    pb.d = d;
    pb.k = k;
    pb.C = 1.0;
    for (size_t q = 0; q < m; q++) {
        theta[q] = 0.01 * sin((double)q);
        v[q] = cos(0.7 * (double)q);
    }
    for (size_t c = 0; c < k; c++) {
        vmean += v[c * (d + 1) + d] / (double)k;
    }
    for (size_t c = 0; c < k; c++) {
        v[c * (d + 1) + d] -= vmean;
    }
    for (size_t q = 0; q < m; q++) {
        tp[q] = theta[q] + eps * v[q];
    }
    ck_assert_int_eq(imbal_mlogreg_hessian(&pb, tp, scratch, gp, NULL), IMBAL_OK);
    for (size_t q = 0; q < m; q++) {
        tp[q] = theta[q] - eps * v[q];
    }
    ck_assert_int_eq(imbal_mlogreg_hessian(&pb, tp, scratch, gm, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_mlogreg_hessian(&pb, theta, hm, g, NULL), IMBAL_OK);
    for (size_t r = 0; r < m; r++) {
        double hv = 0.0;
        double fd = (gp[r] - gm[r]) / (2.0 * eps);
        double hu = 0.0;
        for (size_t q = 0; q < m; q++) {
            hv += hm[r * m + q] * v[q];
            ck_assert_double_eq(hm[r * m + q], hm[q * m + r]);
        }
        ck_assert_msg(fabs(hv - fd) <= 5e-6 * (fabs(fd) + 1.0), "row %zu: Hv %.10g, FD %.10g", r,
                      hv, fd);
        for (size_t c = 0; c < k; c++) {
            hu += hm[r * m + c * (d + 1) + d];
        }
        if (r % (d + 1) == d) {
            lambda += hm[r * m + r] / (double)k;
        }
        scratch[r] = hu;
    }
    ck_assert_double_gt(lambda, 0.0);
    /* the diagonal holds the data curvature plus lambda / k, so lambda = mean * k / (k + 1);
     * (H u)_r = lambda on intercept rows (the data part sums to zero over the classes), 0 on
     * coefficient rows */
    lambda = lambda * (double)k / (double)(k + 1);
    for (size_t r = 0; r < m; r++) {
        double want = r % (d + 1) == d ? lambda : 0.0;
        ck_assert_msg(fabs(scratch[r] - want) <= 1e-9 * lambda, "(H u)_%zu = %g, want %g", r,
                      scratch[r], want);
    }
    free(s);
    free(theta);
    free(v);
    free(tp);
    free(gp);
    free(gm);
    free(g);
    free(hm);
    free(scratch);
    multi_holdout_free(&h);
}
END_TEST

START_TEST(predict_proba_is_softmax_without_overflow)
{
    /* decision values 800, 0, -800 (intercepts, zero coefficients): exp(800) overflows, so the
     * maximum must come off first: proba (1, e^-800, e^-1600) = (1, 0, 0) to double precision;
     * and 1, 2, 3 for a row x = 1 with coefficients 0, 1, 2 and intercepts 1, 1, 1 (decision
     * 1, 2, 3): proba e^(c - 3) / (e^-2 + e^-1 + 1) */
    double coef[3] = {0.0, 0.0, 0.0};
    double intercept[3] = {800.0, 0.0, -800.0};
    double x[1] = {1.0};
    double proba[3];
    double den = exp(-2.0) + exp(-1.0) + 1.0;
    imbal_logreg_multi_model m;
    m.k = 3;
    m.d = 1;
    m.coef = coef;
    m.intercept = intercept;
    imbal_logreg_multi_predict_proba(&m, x, 1, proba);
    ck_assert_double_eq(proba[0], 1.0);
    ck_assert_double_eq(proba[1], exp(-800.0));
    ck_assert_double_eq(proba[2], 0.0);
    coef[1] = 1.0;
    coef[2] = 2.0;
    intercept[0] = intercept[1] = intercept[2] = 1.0;
    imbal_logreg_multi_predict_proba(&m, x, 1, proba);
    for (int c = 0; c < 3; c++) {
        ck_assert_double_eq_tol(proba[c], exp((double)c - 2.0) / den, 1e-15);
    }
}
END_TEST

/* The penalised multinomial objective's gradient at a model (original features, no
 * standardize), computed here in long double independently of the solver: g (k (d + 1),
 * class-major, intercept last) of 0.5 ||W||^2 + C sum_i s_i (log sum_c exp(z_ic) - z_iy),
 * the residual of the true class as minus the others' probabilities (1 - p would cancel on
 * a separating fit). s NULL: all 1. Returns max |g_j|; *rel receives max |g_j| / T_j with
 * T_j = |w_j| + C sum_i s_i |p_ic - [y_i = c]| |x_ij| (x = 1 for an intercept), the size of
 * the terms g_j sums (logreg_multi.h's relative rule). */
static double optimality_gap(const double *x, const int *y, const double *s, size_t n,
                             size_t d, size_t k, double C, const imbal_logreg_multi_model *m,
                             double *rel)
{
    long double g[4 * 9] = {0.0L};
    long double t[4 * 9] = {0.0L};
    long double z[4];
    double worst = 0.0;
    ck_assert_uint_le(k, 4);
    ck_assert_uint_le(d, 8);
    for (size_t i = 0; i < n; i++) {
        long double top = -INFINITY;
        long double sum = 0.0L;
        long double others = 0.0L;
        long double si = s != NULL ? (long double)s[i] : 1.0L;
        for (size_t c = 0; c < k; c++) {
            z[c] = (long double)m->intercept[c];
            for (size_t j = 0; j < d; j++) {
                z[c] += (long double)m->coef[c * d + j] * (long double)x[i * d + j];
            }
            top = z[c] > top ? z[c] : top;
        }
        for (size_t c = 0; c < k; c++) {
            z[c] = expl(z[c] - top);
            sum += z[c];
            others += y[i] == (int)c ? 0.0L : z[c];
        }
        for (size_t c = 0; c < k; c++) {
            long double r = (long double)C * si * (y[i] == (int)c ? -others : z[c]) / sum;
            for (size_t j = 0; j < d; j++) {
                g[c * (d + 1) + j] += r * (long double)x[i * d + j];
                t[c * (d + 1) + j] += fabsl(r * (long double)x[i * d + j]);
            }
            g[c * (d + 1) + d] += r;
            t[c * (d + 1) + d] += fabsl(r);
        }
    }
    for (size_t c = 0; c < k; c++) {
        for (size_t j = 0; j < d; j++) {
            g[c * (d + 1) + j] += (long double)m->coef[c * d + j];
            t[c * (d + 1) + j] += fabsl((long double)m->coef[c * d + j]);
        }
    }
    *rel = 0.0;
    for (size_t q = 0; q < k * (d + 1); q++) {
        double a = (double)fabsl(g[q]);
        double r = (double)(fabsl(g[q]) / (t[q] + (long double)DBL_MIN));
        worst = a > worst ? a : worst;
        *rel = r > *rel ? r : *rel;
    }
    return worst;
}

/* A fit that must have reached the optimum: converged within max_iter Newton iterations,
 * the independent gradient below gap in absolute terms (the solver's own rule is 1e-10
 * C sum s) and below 1e-10 of its terms' size (the solver's rule: 1e-8), intercepts summing
 * to zero and, as the gradient of every feature forces at the optimum (sum_c g_cj =
 * sum_c w_cj), each coefficient column summing to zero over the classes. */
static void assert_optimum(const double *x, const int *y, const double *s, size_t n, size_t d,
                           size_t k, double C, const imbal_logreg_multi_model *m, double gap,
                           size_t max_iter, const char *what)
{
    double big = 0.0;
    double bsum = 0.0;
    double g;
    double rel;
    ck_assert_msg(m->fit == IMBAL_FIT_CONVERGED && m->converged,
                  "%s: fit %d after %zu iterations (max |grad| %g)", what, (int)m->fit,
                  m->n_iter, m->grad_max);
    ck_assert_msg(m->n_iter <= max_iter, "%s: %zu iterations", what, m->n_iter);
    g = optimality_gap(x, y, s, n, d, k, C, m, &rel);
    ck_assert_msg(g <= gap, "%s: max |gradient| %g > %g", what, g, gap);
    ck_assert_msg(rel <= 1e-10, "%s: a gradient component is %g of its terms", what, rel);
    for (size_t c = 0; c < k; c++) {
        bsum += m->intercept[c];
        big = fabs(m->intercept[c]) > big ? fabs(m->intercept[c]) : big;
    }
    ck_assert_msg(fabs(bsum) <= 1e-14 * (1.0 + big), "%s: intercepts sum to %g", what, bsum);
    for (size_t j = 0; j < d; j++) {
        double csum = 0.0;
        double cbig = 0.0;
        for (size_t c = 0; c < k; c++) {
            csum += m->coef[c * d + j];
            cbig = fabs(m->coef[c * d + j]) > cbig ? fabs(m->coef[c * d + j]) : cbig;
        }
        ck_assert_msg(fabs(csum) <= 1e-11 * cbig, "%s: coefficients of feature %zu sum to %g",
                      what, j, csum);
    }
}

/* The exact solver's CG path (dense_max 0) from zero with logreg_multi.c's defaults (rule
 * 1e-10 max(1, C sum s), 100 iterations) on rows weighted s (NULL: 1), as a model in the
 * original features with centred intercepts (fit and n_iter filled in). */
static void cg_fit(const double *x, const int *y, const double *s, size_t n, size_t d,
                   size_t k, double C, imbal_logreg_multi_model **out)
{
    imbal_logreg_multi_model *m = calloc(1, sizeof(*m));
    double *theta = calloc(k * (d + 1), sizeof(*theta));
    double *w = malloc(n * sizeof(*w));
    double sum = 0.0;
    double mean = 0.0;
    imbal_mlogreg_problem pb;
    imbal_error err;
    imbal_status st;
    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_nonnull(theta);
    ck_assert_ptr_nonnull(w);
    m->k = k;
    m->d = d;
    m->coef = malloc(k * d * sizeof(*m->coef));
    m->intercept = malloc(k * sizeof(*m->intercept));
    ck_assert_ptr_nonnull(m->coef);
    ck_assert_ptr_nonnull(m->intercept);
    for (size_t i = 0; i < n; i++) {
        w[i] = s != NULL ? s[i] : 1.0;
        sum += w[i];
    }
    pb.x = x;
    pb.y = y;
    pb.s = w;
    pb.n = n;
    pb.d = d;
    pb.k = k;
    pb.C = C;
    imbal_error_clear(&err);
    st = imbal_mlogreg_newton(&pb, 0, 1e-10 * (C * sum > 1.0 ? C * sum : 1.0), 1e-8, 100, theta,
                              &m->n_iter, &m->grad_max, &m->grad_rel, &m->fit, &err);
    ck_assert_msg(st == IMBAL_OK || st == IMBAL_ENOCONV, "CG: %s", err.msg);
    m->converged = st == IMBAL_OK && m->fit == IMBAL_FIT_CONVERGED;
    m->method = IMBAL_LOGREG_CG;
    for (size_t c = 0; c < k; c++) {
        memcpy(m->coef + c * d, theta + c * (d + 1), d * sizeof(*theta));
        m->intercept[c] = theta[c * (d + 1) + d];
        mean += m->intercept[c];
    }
    for (size_t c = 0; c < k; c++) {
        m->intercept[c] -= mean / (double)k;
    }
    free(theta);
    free(w);
    *out = m;
}

/* 18 rows of datasets/iris_imbalanced.csv (file lines 12 39 35 26 8 6 | 67 65 53 63 58 61 |
 * 78 77 73 79 72 75), 6 per class. Before the line search judged steps by the gradient where
 * f cannot resolve them, the exact fit ended at max_iter: Newton reached max |g| 2.1e-9 in 6
 * iterations (the rule: 1.8e-9), the next full step (to 5e-15) promised a decrease of 1e-18,
 * below the rounding of f = 7.17, Armijo refused it, and the backtracking stalled on one
 * point for 94 iterations. */
static const double small_iris_x[18 * 4] = {
    5.4, 3.7, 1.5, 0.2, 4.9, 3.6, 1.4, 0.1, 5.5, 4.2, 1.4, 0.2,
    4.8, 3.4, 1.9, 0.2, 4.6, 3.4, 1.4, 0.3, 5.0, 3.6, 1.4, 0.2,
    6.7, 3.1, 4.4, 1.4, 6.1, 2.9, 4.7, 1.4, 6.4, 3.2, 4.5, 1.5,
    5.9, 3.0, 4.2, 1.5, 6.3, 3.3, 4.7, 1.6, 5.2, 2.7, 3.9, 1.4,
    4.9, 2.5, 4.5, 1.7, 7.6, 3.0, 6.6, 2.1, 5.8, 2.7, 5.1, 1.9,
    7.3, 2.9, 6.3, 1.8, 6.3, 3.3, 6.0, 2.5, 6.3, 2.9, 5.6, 1.8,
};
static const int small_iris_y[18] = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2};

START_TEST(small_subset_reaches_the_optimum)
{
    imbal_logreg_multi_params p;
    imbal_logreg_multi_model *m = NULL;
    imbal_error err;
    imbal_error_clear(&err);
    imbal_logreg_multi_params_default(&p);
    ck_assert_int_eq(imbal_logreg_multi_fit(small_iris_x, small_iris_y, 18, 4, 3, NULL, &p, &m,
                                            &err),
                     IMBAL_OK);
    assert_optimum(small_iris_x, small_iris_y, NULL, 18, 4, 3, 1.0, m, 1e-12, 30, "defaults");
    imbal_logreg_multi_model_free(m);
    /* the CG path (dense_max 0) shares the line search (these rows it solved before too;
     * the sweep below has subsets where it did not) */
    cg_fit(small_iris_x, small_iris_y, NULL, 18, 4, 3, 1.0, &m);
    assert_optimum(small_iris_x, small_iris_y, NULL, 18, 4, 3, 1.0, m, 1e-12, 30, "CG");
    imbal_logreg_multi_model_free(m);
    /* nearly separating fits (setosa is separable; C 1e10, or the features in units 100
     * times smaller at C 1e6): every true class's p is 1 - 1e-12 or closer, and with 1 - p
     * formed as 1.0 - p the gradient's rounding floor lay above the relative rule (max_iter
     * at relative 1.2e-7 and 2.5e-8) */
    for (int scaled = 0; scaled < 2; scaled++) {
        double x100[18 * 4];
        double C = scaled ? 1e6 : 1e10;
        const char *what = scaled ? "x 100, C 1e6" : "C 1e10";
        for (size_t q = 0; q < 18 * 4; q++) {
            x100[q] = scaled ? 100.0 * small_iris_x[q] : small_iris_x[q];
        }
        p.C = C;
        ck_assert_int_eq(imbal_logreg_multi_fit(x100, small_iris_y, 18, 4, 3, NULL, &p, &m, &err),
                         IMBAL_OK);
        assert_optimum(x100, small_iris_y, NULL, 18, 4, 3, C, m, 1e-10, 40, what);
        imbal_logreg_multi_model_free(m);
        cg_fit(x100, small_iris_y, NULL, 18, 4, 3, C, &m);
        assert_optimum(x100, small_iris_y, NULL, 18, 4, 3, C, m, 1e-10, 40, what);
        imbal_logreg_multi_model_free(m);
    }
}
END_TEST

/* Fits of many small subsets of the imbalanced iris, as the runner's random_under,
 * cluster_centroids and class_weight_balanced folds make them: 6 rows per class (about 5% of
 * them ended at max_iter before), unequal counts with balanced weights, near-duplicate rows,
 * and C from 0.01 to 1e4 (f's terms cancel more as C grows: at 1e4 its rounding noise is
 * 1e-10 beside f = 320). Every fit must converge to a zero gradient. */
START_TEST(small_subsets_all_converge)
{
    multi_holdout h = multi_load(&multi_cases[0]);
    const imbal_dataset *ds = h.ds;
    size_t d = ds->d;
    size_t k = ds->n_classes;
    size_t *members = malloc(ds->n * sizeof(*members));
    size_t n_members[3] = {0};
    double *x = malloc(2 * ds->n * d * sizeof(*x));
    int *y = malloc(2 * ds->n * sizeof(*y));
    double *s = malloc(2 * ds->n * sizeof(*s));
    uint64_t state = 88172645463325252u;
    const double cs[] = {1.0, 1.0, 0.01, 100.0, 1e4};
    size_t fits = 0;
    ck_assert_ptr_nonnull(members);
    ck_assert_ptr_nonnull(x);
    ck_assert_ptr_nonnull(y);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(k, 3);
    for (size_t i = 0; i < ds->n; i++) {
        n_members[ds->y[i]]++;
    }
    for (int trial = 0; trial < 400; trial++) {
        int variant = trial % 4; /* 0, 1: 6 per class; 2: unequal, balanced; 3: near-duplicates */
        double C = cs[(trial / 4) % 5];
        size_t n = 0;
        double gap;
        char what[96];
        imbal_logreg_multi_params p;
        imbal_logreg_multi_model *m = NULL;
        imbal_error err;
        imbal_error_clear(&err);
        imbal_logreg_multi_params_default(&p);
        p.C = C;
        for (size_t c = 0; c < k; c++) {
            size_t most = n_members[c] < 20 ? n_members[c] : 20;
            size_t take = variant == 2 ? 2 + (size_t)(state >> 40) % (most - 1) : 6;
            size_t got = 0;
            for (size_t i = 0; i < ds->n; i++) {
                if (ds->y[i] == (int)c) {
                    members[got++] = i;
                }
            }
            for (size_t t = 0; t < take && t < got; t++) {
                size_t r;
                size_t tmp;
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                r = t + (size_t)(state % (got - t));
                tmp = members[t];
                members[t] = members[r];
                members[r] = tmp;
                memcpy(x + n * d, ds->x + members[t] * d, d * sizeof(*x));
                y[n++] = (int)c;
                if (variant == 3) {
                    for (size_t j = 0; j < d; j++) {
                        x[n * d + j] = x[(n - 1) * d + j] * (1.0 + 1e-9 * (double)(j + 1));
                    }
                    y[n++] = (int)c;
                }
            }
        }
        if (variant == 2) {
            p.class_weight = IMBAL_CW_BALANCED;
        }
        for (size_t i = 0; i < n; i++) {
            size_t count = 0;
            for (size_t q = 0; q < n; q++) {
                count += y[q] == y[i];
            }
            s[i] = variant == 2 ? (double)n / ((double)k * (double)count) : 1.0;
        }
        ck_assert_int_eq(imbal_logreg_multi_fit(x, y, n, d, k, NULL, &p, &m, &err), IMBAL_OK);
        snprintf(what, sizeof(what), "trial %d (variant %d, C %g, %zu rows)", trial, variant, C,
                 n);
        /* the gradient's terms grow with C: the bound is 1e-3 of the solver's rule, 1e-10 C
         * sum s (sum s = n, balanced too); measured at most 3.0e-15 C n */
        gap = 1e-13 * (C * (double)n > 1.0 ? C * (double)n : 1.0);
        assert_optimum(x, y, s, n, d, k, C, m, gap, 30, what);
        imbal_logreg_multi_model_free(m);
        cg_fit(x, y, s, n, d, k, C, &m);
        strcat(what, ", CG");
        assert_optimum(x, y, s, n, d, k, C, m, gap, 30, what);
        imbal_logreg_multi_model_free(m);
        fits++;
    }
    ck_assert_uint_eq(fits, 400);
    free(members);
    free(x);
    free(y);
    free(s);
    multi_holdout_free(&h);
}
END_TEST

START_TEST(iteration_limits)
{
    /* exact: one Newton step is not enough: the model after it is returned, marked MAX_ITER
     * (as logreg.h does), not converged; lbfgs: 5 iterations are what scikit-learn returns
     * with a warning: n_iter 5, MAX_ITER. */
    multi_holdout h = multi_load(&multi_cases[0]);
    imbal_logreg_multi_params p;
    imbal_logreg_multi_model *m = NULL;
    imbal_logreg_multi_model *full = NULL;
    imbal_logreg_multi_params_default(&p);
    ck_assert_int_eq(imbal_logreg_multi_fit(h.x_train, h.y_train, h.n_train, h.ds->d, 3, NULL,
                                            &p, &full, NULL),
                     IMBAL_OK);
    p.max_iter = 1;
    ck_assert_int_eq(imbal_logreg_multi_fit(h.x_train, h.y_train, h.n_train, h.ds->d, 3, NULL,
                                            &p, &m, NULL),
                     IMBAL_OK);
    ck_assert_int_eq(m->fit, IMBAL_FIT_MAX_ITER);
    ck_assert_int_eq(m->converged, 0);
    ck_assert_uint_eq(m->n_iter, 1);
    ck_assert(m->grad_max > 1e-3);
    ck_assert(fabs(m->coef[0] - full->coef[0]) > 1e-6); /* one step is not the optimum */
    imbal_logreg_multi_model_free(m);
    p.solver = IMBAL_SOLVER_LBFGS;
    p.max_iter = 5;
    ck_assert_int_eq(imbal_logreg_multi_fit(h.x_train, h.y_train, h.n_train, h.ds->d, 3, NULL,
                                            &p, &m, NULL),
                     IMBAL_OK);
    ck_assert_int_eq(m->converged, 0);
    ck_assert_int_eq(m->fit, IMBAL_FIT_MAX_ITER);
    ck_assert_uint_eq(m->n_iter, 5);
    imbal_logreg_multi_model_free(m);
    imbal_logreg_multi_model_free(full);
    multi_holdout_free(&h);
}
END_TEST

START_TEST(bad_input)
{
    const double x[] = {0.0, 1.0, 2.0, INFINITY};
    const double xf[] = {0.0, 1.0, 2.0, 3.0};
    const int y[] = {0, 1, 2, 1};
    const int y_bad[] = {0, 1, 3, 1};
    const int y_gap[] = {0, 2, 2, 0};
    const double sw[] = {1.0, 1.0, 0.0, 1.0};
    imbal_logreg_multi_params p;
    imbal_logreg_multi_model *m = (imbal_logreg_multi_model *)&m;
    imbal_error err;
    imbal_logreg_multi_params_default(&p);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_logreg_multi_fit(x, y, 4, 1, 3, NULL, &p, &m, &err), IMBAL_EINVAL);
    ck_assert_ptr_null(m);
    ck_assert_int_eq(err.line, 4);
    ck_assert_int_eq(err.column, 1);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_logreg_multi_fit(xf, y_bad, 4, 1, 3, NULL, &p, &m, &err),
                     IMBAL_EINVAL);
    ck_assert_int_eq(err.line, 3);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_logreg_multi_fit(xf, y_gap, 4, 1, 3, NULL, &p, &m, &err),
                     IMBAL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "class 1 has no row"));
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_logreg_multi_fit(xf, y, 4, 1, 3, sw, &p, &m, &err), IMBAL_EINVAL);
    ck_assert_int_eq(err.line, 3);
    imbal_error_clear(&err);
    p.C = 0.0;
    ck_assert_int_eq(imbal_logreg_multi_fit(xf, y, 4, 1, 3, NULL, &p, &m, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "C");
    ck_assert_ptr_nonnull(imbal_logreg_multi_params_check(&p, 3));
    p.C = 1.0;
    p.class_weight = IMBAL_CW_EXPLICIT;
    ck_assert_ptr_nonnull(imbal_logreg_multi_params_check(&p, 3));
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_logreg_multi_fit(xf, y, 4, 1, 3, NULL, &p, &m, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "class_weight");
    p.class_weight = IMBAL_CW_NONE;
    ck_assert_ptr_null(imbal_logreg_multi_params_check(&p, 3));
    ck_assert_int_eq(imbal_logreg_multi_fit(xf, y, 4, 1, 1, NULL, &p, &m, NULL), IMBAL_EINVAL);
    ck_assert_ptr_null(m);
}
END_TEST

START_TEST(out_of_memory)
{
    multi_holdout h = multi_load(&multi_cases[0]);
    for (int solver = 0; solver < 2; solver++) {
        for (long fail = 1; fail < 100; fail++) {
            imbal_logreg_multi_params p;
            imbal_logreg_multi_model *m = NULL;
            imbal_status st;
            imbal_logreg_multi_params_default(&p);
            p.solver = solver == 0 ? IMBAL_SOLVER_EXACT : IMBAL_SOLVER_LBFGS;
            p.standardize = 1;
            imbal_alloc_fail_after(fail);
            st = imbal_logreg_multi_fit(h.x_train, h.y_train, h.n_train, h.ds->d, 3, NULL, &p,
                                        &m, NULL);
            imbal_alloc_fail_after(0);
            if (st == IMBAL_OK) {
                imbal_logreg_multi_model_free(m);
                break;
            }
            ck_assert_int_eq(st, IMBAL_ENOMEM);
            ck_assert_ptr_null(m);
            ck_assert_int_lt(fail, 99);
        }
    }
    multi_holdout_free(&h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("logreg_multi");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, parity_iris);
    tcase_add_test(tc, parity_ecoli);
    tcase_add_test(tc, lbfgs_path_ecoli);
    tcase_add_test(tc, exact_is_the_40_digit_optimum);
    tcase_add_test(tc, metrics_of_fitted_models);
    tcase_add_test(tc, two_classes_is_binary_at_twice_c);
    tcase_add_test(tc, explicit_weights_are_repeated_rows);
    tcase_add_test(tc, standardize_is_the_fit_on_z_scores);
    tcase_add_test(tc, conjugate_gradients_agree_with_cholesky);
    tcase_add_test(tc, hessian_is_the_gradient_derivative);
    tcase_add_test(tc, predict_proba_is_softmax_without_overflow);
    tcase_add_test(tc, small_subset_reaches_the_optimum);
    tcase_add_test(tc, small_subsets_all_converge);
    tcase_add_test(tc, iteration_limits);
    tcase_add_test(tc, bad_input);
    tcase_add_test(tc, out_of_memory);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
