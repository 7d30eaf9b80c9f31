/* Logistic regression on badly scaled problems: the exact solver against optima computed in
 * 50-digit arithmetic (tests/reference/logreg_scale.csv, scripts/logreg_scale_reference.py) on
 * the abalone19 training fold with class weights 1e12 and 1e-12, C = 1e-12 and 1e12, separable
 * labels at C = 1e12, an added constant or duplicate column (also at 1e300), and a feature
 * multiplied by 1e300 or 1e-300, raw and standardised; then data 20,000 features wide, whose
 * fit must take the conjugate-gradient path (memory linear in d) to the optimum, and the
 * errors that remain (a coefficient that cannot be represented in the original units). */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <gsl/gsl_errno.h>

#include "imbal/logreg.h"
#include "imbal/metrics.h"
#include "logreg_impl.h"
#include "util.h"

#define ABALONE_D 9
#define MAX_D 10

static const char *const numeric_features[7] = {
    "Length", "Diameter", "Height", "Whole_weight", "Shucked_weight", "Viscera_weight",
    "Shell_weight"};

/* The training or test fold of abalone19 (rows in abalone19_split.csv order; 7 numeric columns,
 * then Sex_I and Sex_M), as tests/reference/README.md prepares it. */
typedef struct {
    size_t n;
    double x[4174 * ABALONE_D];
    int y[4174];
} fold;

static void abalone_folds(fold *train, fold *test)
{
    ref_table *csv = ref_read("datasets/abalone19.csv");
    ref_table *split = ref_read("tests/reference/abalone19_split.csv");
    train->n = 0;
    test->n = 0;
    for (size_t k = 0; k < split->n_rows; k++) {
        size_t row = (size_t)ref_num(split, k, "row");
        fold *f = strcmp(ref_str(split, k, "set"), "train") == 0 ? train : test;
        double *x = f->x + f->n * ABALONE_D;
        const char *sex = ref_str(csv, row, "Sex");
        for (size_t j = 0; j < 7; j++) {
            x[j] = ref_num(csv, row, numeric_features[j]);
        }
        x[7] = strcmp(sex, "I") == 0 ? 1.0 : 0.0;
        x[8] = strcmp(sex, "M") == 0 ? 1.0 : 0.0;
        f->y[f->n] = strcmp(ref_str(csv, row, "Class"), "positive") == 0;
        f->n++;
    }
    ck_assert_uint_eq(train->n, 3339);
    ck_assert_uint_eq(test->n, 835);
    ref_free(csv);
    ref_free(split);
}

/* Column changes, as transform() in the reference script */
enum {
    X_PLAIN,
    X_CONSTANT,
    X_CONSTANT_1E300,
    X_DUPLICATE,
    X_DUPLICATE_1E300,
    X_BIG,
    X_TINY,
    X_MIXED
};

typedef struct {
    const char *name;
    double C, w0, w1;
    int standardize;
    int x;
    int separable; /* labels Shell_weight > 0.61 instead of Class */
    /* How coefficients are compared: |got - want| <= tol * (|want| + floor * max_k |want_k|).
     * floor 0 compares each coefficient to its own size (1e300 scales apart in one model);
     * > 0 lets a coefficient that is zero at the optimum (a constant column) or nearly so
     * (separable labels: Sex_I, 4e-28) be judged against the model's size. */
    double tol, floor;
    /* > 0: column twin copies column 0 at 1e300, where the penalty (1e-600 w^2) is below
     * double precision: only the sum of the two coefficients is determined, so the sum is
     * compared (the reference splits it evenly, as the exact optimum does) */
    size_t twin;
} scale_case;

/* Builds case c's columns from a fold into x (n x d) and y; returns d. */
static size_t case_columns(const scale_case *c, const fold *f, double *x, int *y)
{
    size_t d = c->x == X_CONSTANT || c->x == X_CONSTANT_1E300 || c->x == X_DUPLICATE ||
                       c->x == X_DUPLICATE_1E300
                   ? 10
                   : 9;
    for (size_t i = 0; i < f->n; i++) {
        const double *src = f->x + i * ABALONE_D;
        double *dst = x + i * d;
        memcpy(dst, src, ABALONE_D * sizeof(double));
        if (c->x == X_CONSTANT) {
            dst[9] = 7.0;
        } else if (c->x == X_CONSTANT_1E300) {
            dst[9] = 1e300;
        } else if (c->x == X_DUPLICATE) {
            dst[9] = src[0];
        } else if (c->x == X_DUPLICATE_1E300) {
            dst[0] = src[0] * 1e300;
            dst[9] = dst[0];
        } else if (c->x == X_BIG || c->x == X_MIXED) {
            dst[0] = src[0] * 1e300;
        } else if (c->x == X_TINY) {
            dst[0] = src[0] * 1e-300;
        }
        if (c->x == X_MIXED) {
            dst[1] = src[1] * 1e-300;
        }
        y[i] = c->separable ? src[6] > 0.61 : f->y[i];
    }
    return d;
}

/* The reference row of case name and term, e.g. ("big", "coef0") */
static double reference(const ref_table *ref, const char *name, const char *term)
{
    for (size_t r = 0; r < ref->n_rows; r++) {
        if (strcmp(ref_str(ref, r, "case"), name) == 0 &&
            strcmp(ref_str(ref, r, "term"), term) == 0) {
            return ref_num(ref, r, "value");
        }
    }
    ck_abort_msg("no reference %s,%s", name, term);
    return NAN;
}

static const scale_case cases[] = {
    {"weights_1_1e12", 1.0, 1.0, 1e12, 0, X_PLAIN, 0, 1e-8, 0.0, 0},
    {"weights_1e-12_1", 1.0, 1e-12, 1.0, 0, X_PLAIN, 0, 1e-8, 0.0, 0},
    {"C_1e-12", 1e-12, 1.0, 1.0, 0, X_PLAIN, 0, 1e-8, 0.0, 0},
    {"C_1e12", 1e12, 1.0, 1.0, 0, X_PLAIN, 0, 1e-8, 0.0, 0},
    {"C_1e-12_std", 1e-12, 1.0, 1.0, 1, X_PLAIN, 0, 1e-8, 0.0, 0},
    {"separable_C_1e12", 1e12, 1.0, 1.0, 0, X_PLAIN, 1, 1e-8, 1.0, 0},
    {"constant", 1.0, 1.0, 1.0, 0, X_CONSTANT, 0, 1e-8, 1.0, 0},
    {"constant_std", 1.0, 1.0, 1.0, 1, X_CONSTANT, 0, 1e-8, 1.0, 0},
    {"constant_1e300", 1.0, 1.0, 1.0, 0, X_CONSTANT_1E300, 0, 1e-8, 0.0, 0},
    {"constant_1e300_std", 1.0, 1.0, 1.0, 1, X_CONSTANT_1E300, 0, 1e-8, 1.0, 0},
    {"duplicate", 1.0, 1.0, 1.0, 0, X_DUPLICATE, 0, 1e-8, 0.0, 0},
    {"duplicate_std", 1.0, 1.0, 1.0, 1, X_DUPLICATE, 0, 1e-8, 0.0, 0},
    {"duplicate_1e300", 1.0, 1.0, 1.0, 0, X_DUPLICATE_1E300, 0, 1e-8, 0.0, 9},
    {"big", 1.0, 1.0, 1.0, 0, X_BIG, 0, 1e-8, 0.0, 0},
    {"big_std", 1.0, 1.0, 1.0, 1, X_BIG, 0, 1e-8, 0.0, 0},
    {"tiny", 1.0, 1.0, 1.0, 0, X_TINY, 0, 1e-8, 0.0, 0},
    {"tiny_std", 1.0, 1.0, 1.0, 1, X_TINY, 0, 1e-8, 0.0, 0},
    {"mixed", 1.0, 1.0, 1.0, 0, X_MIXED, 0, 1e-8, 0.0, 0},
    {"mixed_std", 1.0, 1.0, 1.0, 1, X_MIXED, 0, 1e-8, 0.0, 0},
    /* Sex_I's coefficient (-0.914) is small beside the others (up to 253) and the data's
     * curvature 1e12 times the penalty's: it is judged against the model's size (its error
     * is 1.3e-8 of itself, 4.6e-11 of the largest coefficient) */
    {"weights_1_1e12_std", 1.0, 1.0, 1e12, 1, X_PLAIN, 0, 1e-8, 1.0, 0},
    {"weights_1e-12_1_std", 1.0, 1e-12, 1.0, 1, X_PLAIN, 0, 1e-8, 0.0, 0},
    {"C_1e12_std", 1e12, 1.0, 1.0, 1, X_PLAIN, 0, 1e-8, 0.0, 0},
    {"separable_C_1e12_std", 1e12, 1.0, 1.0, 1, X_PLAIN, 1, 1e-8, 1.0, 0},
};

static fold train_fold;
static fold test_fold;
static double x_train[3339 * MAX_D];
static double x_test[835 * MAX_D];
static int y_train[3339];
static int y_test[835];

START_TEST(matches_high_precision_optimum)
{
    const scale_case *c = &cases[_i];
    ref_table *ref = ref_read("tests/reference/logreg_scale.csv");
    imbal_logreg_params p;
    imbal_logreg_model *m = NULL;
    imbal_error err;
    double decision[835];
    double want[MAX_D + 1];
    double top = 0.0;
    double auc = -1.0;
    size_t d;
    abalone_folds(&train_fold, &test_fold);
    d = case_columns(c, &train_fold, x_train, y_train);
    case_columns(c, &test_fold, x_test, y_test);
    imbal_logreg_params_default(&p);
    p.C = c->C;
    p.class_weight = IMBAL_CW_EXPLICIT;
    p.weight[0] = c->w0;
    p.weight[1] = c->w1;
    p.standardize = c->standardize;
    imbal_error_clear(&err);
    ck_assert_msg(imbal_logreg_fit(x_train, y_train, 3339, d, NULL, &p, &m, &err) == IMBAL_OK,
                  "%s: %s", c->name, err.msg);
    ck_assert_int_eq(m->converged, 1);
    ck_assert_int_eq(m->method, IMBAL_LOGREG_CHOLESKY);
    ck_assert_double_le(m->grad_rel, IMBAL_LOGREG_REL_TOL);
    for (size_t j = 0; j <= d; j++) {
        char term[16];
        snprintf(term, sizeof(term), j < d ? "coef%zu" : "intercept", j);
        want[j] = reference(ref, c->name, term);
        top = fabs(want[j]) > top ? fabs(want[j]) : top;
    }
    if (c->twin > 0) {
        ck_assert(isfinite(m->coef[0]) && isfinite(m->coef[c->twin]));
        m->coef[0] += m->coef[c->twin];
        m->coef[c->twin] = 0.0;
        want[0] += want[c->twin];
        want[c->twin] = 0.0;
    }
    for (size_t j = 0; j <= d; j++) {
        double got = j < d ? m->coef[j] : m->intercept;
        ck_assert_msg(isfinite(got), "%s: term %zu is %g", c->name, j, got);
        ck_assert_msg(fabs(got - want[j]) <= c->tol * (fabs(want[j]) + c->floor * top),
                      "%s: term %zu: got %.17g, want %.17g (%.3g relative)", c->name, j, got,
                      want[j], fabs(got - want[j]) / fabs(want[j]));
    }
    /* the ranking from decision values (probabilities saturate at 1 - 1e-10 with a weight of
     * 1e-12 on the negatives, so they would tie) */
    imbal_logreg_decision(m, x_test, 835, decision);
    ck_assert_int_eq(imbal_roc_auc(decision, y_test, 835, &auc, NULL), IMBAL_OK);
    ck_assert_double_eq_tol(auc, reference(ref, c->name, "test_auc"), 1e-12);
    imbal_logreg_model_free(m);
    ref_free(ref);
}
END_TEST

/* How scikit-learn's lbfgs (IMBAL_SOLVER_LBFGS) ends on each case: it stops at max_iter on
 * C = 1e12 and on class weights 1e12 standardised, and with a column at 1e300 (raw, or a constant one standardised: StandardScaler
 * keeps its units, and x - mean is then +-1 ulp of 1e300) ||g||^2 overflows, the first step
 * 1 / ||g|| is 0 and SciPy's relative-reduction test holds at the start: all zeros, which
 * earlier versions reported as converged. Every other case converges. */
static const struct {
    const char *name;
    imbal_logreg_fit_status fit;
} lbfgs_ends[] = {
    {"C_1e12", IMBAL_FIT_MAX_ITER},         {"weights_1_1e12_std", IMBAL_FIT_MAX_ITER},
    {"constant_1e300", IMBAL_FIT_STALLED},
    {"constant_1e300_std", IMBAL_FIT_STALLED}, {"duplicate_1e300", IMBAL_FIT_STALLED},
    {"big", IMBAL_FIT_STALLED},             {"mixed", IMBAL_FIT_STALLED},
};

START_TEST(lbfgs_says_when_it_did_not_converge)
{
    const scale_case *c = &cases[_i];
    imbal_logreg_params p;
    imbal_logreg_model *m = NULL;
    imbal_error err;
    imbal_logreg_fit_status want = IMBAL_FIT_CONVERGED;
    size_t d;
    for (size_t k = 0; k < sizeof(lbfgs_ends) / sizeof(lbfgs_ends[0]); k++) {
        if (strcmp(lbfgs_ends[k].name, c->name) == 0) {
            want = lbfgs_ends[k].fit;
        }
    }
    abalone_folds(&train_fold, &test_fold);
    d = case_columns(c, &train_fold, x_train, y_train);
    imbal_logreg_params_default(&p);
    p.C = c->C;
    p.class_weight = IMBAL_CW_EXPLICIT;
    p.weight[0] = c->w0;
    p.weight[1] = c->w1;
    p.standardize = c->standardize;
    p.solver = IMBAL_SOLVER_LBFGS;
    imbal_error_clear(&err);
    ck_assert_msg(imbal_logreg_fit(x_train, y_train, 3339, d, NULL, &p, &m, &err) == IMBAL_OK,
                  "%s: %s", c->name, err.msg);
    ck_assert_msg(m->fit == want, "%s: fit %s, want %s", c->name, imbal_logreg_fit_name(m->fit),
                  imbal_logreg_fit_name(want));
    ck_assert_int_eq(m->converged, want == IMBAL_FIT_CONVERGED);
    ck_assert_int_eq(m->method, IMBAL_LOGREG_LBFGS);
    for (size_t j = 0; j < d; j++) {
        ck_assert_msg(isfinite(m->coef[j]), "%s: coef %zu is %g", c->name, j, m->coef[j]);
    }
    ck_assert(isfinite(m->intercept));
    imbal_logreg_model_free(m);
}
END_TEST

START_TEST(line_at_1e200)
{
    /* the squares of these features overflow a double: the solver scales the column by 2^-668
     * (its penalty underflows to 0, as 0.5 w^2 with w ~ 1e-201 does) */
    const double x[] = {-1e200, 1e200, 2e200, -3e200};
    const int y[] = {0, 1, 0, 1};
    ref_table *ref = ref_read("tests/reference/logreg_scale.csv");
    imbal_logreg_params p;
    imbal_logreg_model *m = NULL;
    double want_b = reference(ref, "line_1e200", "intercept");
    double want_w = reference(ref, "line_1e200", "coef0");
    imbal_logreg_params_default(&p);
    ck_assert_int_eq(imbal_logreg_fit(x, y, 4, 1, NULL, &p, &m, NULL), IMBAL_OK);
    ck_assert_double_le(fabs(m->coef[0] - want_w), 1e-8 * fabs(want_w));
    ck_assert_double_le(fabs(m->intercept - want_b), 1e-8 * fabs(want_b));
    imbal_logreg_model_free(m);
    ref_free(ref);
}
END_TEST

START_TEST(subnormal_feature_cannot_be_standardised)
{
    /* standard deviation 1.1e-310: the standardised coefficient (about 1) divided by it
     * overflows, so no model in the original units exists; the error names the feature */
    const double x[] = {1e-310, 2e-310, 3e-310, 4e-310};
    const int y[] = {0, 0, 1, 1};
    imbal_logreg_params p;
    imbal_logreg_model *m = (imbal_logreg_model *)&p;
    imbal_error err;
    imbal_error_clear(&err);
    imbal_logreg_params_default(&p);
    p.standardize = 1;
    ck_assert_int_eq(imbal_logreg_fit(x, y, 4, 1, NULL, &p, &m, &err), IMBAL_EINVAL);
    ck_assert_ptr_null(m);
    ck_assert_int_eq(err.column, 1);
    ck_assert_msg(strstr(err.msg, "feature 0: its coefficient") != NULL, "%s", err.msg);
    /* without standardize the coefficient is tiny and finite */
    p.standardize = 0;
    ck_assert_int_eq(imbal_logreg_fit(x, y, 4, 1, NULL, &p, &m, NULL), IMBAL_OK);
    ck_assert(isfinite(m->coef[0]) && fabs(m->coef[0]) < 1e-300);
    imbal_logreg_model_free(m);
}
END_TEST

/* n x d rows from a fixed formula, labels from a noisy linear rule */
static void wide_rows(size_t n, size_t d, double *x, int *y)
{
    for (size_t i = 0; i < n; i++) {
        double t = 0.0;
        for (size_t j = 0; j < d; j++) {
            x[i * d + j] = sin(0.37 * (double)(i * d + j) + 0.11 * (double)j);
            t += (j % 7 == 0 ? 1.0 : 0.05) * x[i * d + j];
        }
        y[i] = t / sqrt((double)d) + 0.8 * sin(1.3 * (double)i) > 0.1;
    }
}

/* The largest |g_j| / (T_j + DBL_MIN) at (w, b), written out here in long double
 * independently of the library: g_j = w_j + C sum_i (p_i - y_i) x_ij, T_j = |w_j| +
 * C sum_i |p_i - y_i| |x_ij|; the intercept without the penalty terms. */
static double relative_gradient(const double *x, const int *y, size_t n, size_t d, double C,
                                const double *w, double b)
{
    long double *g = calloc(d + 1, sizeof(long double));
    long double *t = calloc(d + 1, sizeof(long double));
    double worst = 0.0;
    ck_assert(g != NULL && t != NULL);
    for (size_t i = 0; i < n; i++) {
        long double z = b;
        long double r;
        for (size_t j = 0; j < d; j++) {
            z += (long double)w[j] * x[i * d + j];
        }
        r = 1.0L / (1.0L + expl(-z)) - y[i];
        for (size_t j = 0; j < d; j++) {
            g[j] += r * x[i * d + j];
            t[j] += fabsl(r * x[i * d + j]);
        }
        g[d] += r;
        t[d] += fabsl(r);
    }
    for (size_t j = 0; j <= d; j++) {
        long double gj = C * g[j] + (j < d ? w[j] : 0.0);
        long double tj = C * t[j] + (j < d ? fabs(w[j]) : 0.0);
        double q = (double)(fabsl(gj) / (tj + DBL_MIN));
        worst = q > worst ? q : worst;
    }
    free(g);
    free(t);
    return worst;
}

enum { WIDE_N = 60, WIDE_D = 20000 };

START_TEST(twenty_thousand_features_in_linear_memory)
{
    /* 60 x 20,000: the dense path would factorise a (d + 1)^2 Hessian (3.2 GB, twice), and an
     * earlier layout asked for (d + 2) (d + 1) 8 doubles of lane sums (26 GB) on the
     * conjugate-gradient path too. The fit must take the conjugate-gradient path, and here the
     * address space is capped at 1 GB (not under ASan, whose shadow memory needs far more);
     * the data take 9.6 MB, the solver's copy as much again. With n < d the data cannot pin
     * the optimum down: the penalty does, so this is the wide regime's typical problem. */
    double *x = malloc((size_t)WIDE_N * WIDE_D * sizeof(double));
    int y[WIDE_N];
    imbal_logreg_params p;
    imbal_logreg_model *m = NULL;
    imbal_error err;
    imbal_status st;
    double rel;
#if !defined(__SANITIZE_ADDRESS__)
    struct rlimit old_limit;
    struct rlimit limit;
    ck_assert_int_eq(getrlimit(RLIMIT_AS, &old_limit), 0);
    limit = old_limit;
    limit.rlim_cur = (rlim_t)1 << 30;
    ck_assert_int_eq(setrlimit(RLIMIT_AS, &limit), 0);
#endif
    ck_assert_ptr_nonnull(x);
    wide_rows(WIDE_N, WIDE_D, x, y);
    imbal_logreg_params_default(&p);
    imbal_error_clear(&err);
    st = imbal_logreg_fit(x, y, WIDE_N, WIDE_D, NULL, &p, &m, &err);
#if !defined(__SANITIZE_ADDRESS__)
    ck_assert_int_eq(setrlimit(RLIMIT_AS, &old_limit), 0);
#endif
    ck_assert_msg(st == IMBAL_OK, "%s", err.msg);
    ck_assert_int_eq(m->converged, 1);
    ck_assert_int_eq(m->method, IMBAL_LOGREG_CG);
    ck_assert_uint_gt(m->n_iter, 1);
    /* the documented rule, checked from outside: every component within 1e-8 of its terms
     * (the long double sums differ from the solver's by far less than that) */
    rel = relative_gradient(x, y, WIDE_N, WIDE_D, 1.0, m->coef, m->intercept);
    ck_assert_double_le(rel, IMBAL_LOGREG_REL_TOL);
    ck_assert_double_le(m->grad_rel, IMBAL_LOGREG_REL_TOL);
    imbal_logreg_model_free(m);
    free(x);
}
END_TEST

START_TEST(conjugate_gradients_agree_with_cholesky)
{
    /* the two Newton systems on one problem (d = 150, n = 120, so the Hessian's data part is
     * singular and the penalty carries it), each to the default rules of logreg.h */
    enum { N = 120, D = 150 };
    static double x[N * D];
    static int y[N];
    static double s[N];
    static double theta_cg[D + 1];
    static double theta_chol[D + 1];
    imbal_logreg_problem pb = {x, y, s, N, D, 3.0};
    size_t it = 0;
    double gmax = 1.0;
    double grel = 1.0;
    double top = 0.0;
    wide_rows(N, D, x, y);
    for (size_t i = 0; i < N; i++) {
        s[i] = 1.0 + (double)(i % 3);
    }
    /* tol 1e-10 * C * sum s (absolute, as the front end's default) and the relative rule */
    ck_assert_int_eq(imbal_logreg_newton(&pb, 0, 1e-10 * 3.0 * 240.0, IMBAL_LOGREG_REL_TOL, 100,
                                         theta_cg, &it, &gmax, &grel, NULL, NULL),
                     IMBAL_OK);
    ck_assert_double_le(grel, IMBAL_LOGREG_REL_TOL);
    ck_assert_int_eq(imbal_logreg_newton(&pb, 1, 1e-10 * 3.0 * 240.0, IMBAL_LOGREG_REL_TOL, 100,
                                         theta_chol, &it, &gmax, &grel, NULL, NULL),
                     IMBAL_OK);
    ck_assert_double_le(grel, IMBAL_LOGREG_REL_TOL);
    for (size_t j = 0; j <= D; j++) {
        top = fabs(theta_chol[j]) > top ? fabs(theta_chol[j]) : top;
    }
    for (size_t j = 0; j <= D; j++) {
        ck_assert_double_le(fabs(theta_cg[j] - theta_chol[j]), 1e-8 * top);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("logreg_scale");
    TCase *tc = tcase_create("core");
    gsl_set_error_handler_off();
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, matches_high_precision_optimum, 0,
                        (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_loop_test(tc, lbfgs_says_when_it_did_not_converge, 0,
                        (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_test(tc, line_at_1e200);
    tcase_add_test(tc, subnormal_feature_cannot_be_standardised);
    tcase_add_test(tc, twenty_thousand_features_in_linear_memory);
    tcase_add_test(tc, conjugate_gradients_agree_with_cholesky);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
