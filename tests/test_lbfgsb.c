/* L-BFGS-B (src/lbfgsb.c, lbfgsb_search.c) against SciPy 1.10's L-BFGS-B and MINPACK-2's
 * dcsrch on small functions (expected values printed by /usr/bin/python3, the command in
 * each comment), a hand-computed quadratic, and every error path. The scikit-learn fit
 * built on it is tested in test_logreg_lbfgs.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "lbfgsb.h"
#include "util.h"


static imbal_status rosenbrock(size_t n, const double *x, double *f, double *g, void *ctx,
                               imbal_error *err)
{
    double a = x[1] - x[0] * x[0];
    double b = 1.0 - x[0];
    (void)n;
    (void)ctx;
    (void)err;
    *f = 100.0 * a * a + b * b;
    g[0] = -400.0 * x[0] * a - 2.0 * b;
    g[1] = 200.0 * a;
    return IMBAL_OK;
}

static imbal_lbfgsb_result run(imbal_lbfgsb_fg fg, size_t n, double *x,
                               const imbal_lbfgsb_options *opt)
{
    imbal_lbfgsb_result res;
    imbal_error err;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_lbfgsb_minimize(n, x, fg, NULL, opt, &res, &err), IMBAL_OK);
    ck_assert_int_eq(err.status, IMBAL_OK);
    return res;
}

/* SciPy from (-1.2, 1) with its defaults and with maxiter / maxcor changed:
 * /usr/bin/python3 -c "import scipy.optimize as so, numpy as np; r = so.minimize(ros,
 *   [-1.2, 1.0], method='L-BFGS-B', jac=True, options={...}); print(r.nit, r.nfev,
 *   r.message, r.x)" with ros the f and gradient above; options maxcor (m), maxiter,
 *   maxfun, gtol (pgtol), ftol (factr * eps). */
typedef struct {
    size_t m, maxiter, maxfun;
    double pgtol, factr;
    size_t nit, nfev;
    imbal_lbfgsb_stop stop;
    double x0, x1, tol;
} ros_case;

static const ros_case ros_cases[] = {
    {10, 15000, 15000, 1e-5, 1e7, 36, 44, IMBAL_LBFGSB_FACTR, 0.9999989453492615,
     0.9999980209056964, 1e-9},
    {10, 15000, 15000, 1e-10, 0.0, 39, 47, IMBAL_LBFGSB_PGTOL, 1.0, 1.0, 1e-14},
    {10, 10, 15000, 1e-5, 1e7, 10, 12, IMBAL_LBFGSB_MAXITER, -0.6778321515223998,
     0.4258544052059642, 1e-12},
    {10, 15000, 10, 1e-5, 1e7, 9, 11, IMBAL_LBFGSB_MAXFUN, -0.7872592106533345,
     0.5671494560362995, 1e-12},
    {1, 15000, 15000, 1e-5, 1e7, 41, 74, IMBAL_LBFGSB_FACTR, 1.0000274881952087,
     1.0000559748272144, 1e-9},
    {2, 15000, 15000, 1e-5, 1e7, 38, 51, IMBAL_LBFGSB_PGTOL, 1.000000165485031,
     1.0000003405943563, 1e-9},
    {3, 15000, 15000, 1e-5, 1e7, 38, 50, IMBAL_LBFGSB_PGTOL, 1.000000001186552,
     1.0000000026302984, 1e-9},
};

START_TEST(rosenbrock_retraces_scipy)
{
    const ros_case *c = &ros_cases[_i];
    imbal_lbfgsb_options opt;
    imbal_lbfgsb_result res;
    double x[2] = {-1.2, 1.0};
    imbal_lbfgsb_options_default(&opt);
    opt.m = c->m;
    opt.maxiter = c->maxiter;
    opt.maxfun = c->maxfun;
    opt.pgtol = c->pgtol;
    opt.factr = c->factr;
    res = run(rosenbrock, 2, x, &opt);
    ck_assert_uint_eq(res.n_iter, c->nit);
    ck_assert_uint_eq(res.n_fev, c->nfev);
    ck_assert_int_eq(res.stop, c->stop);
    ck_assert_uint_eq(res.n_reset, 0);
    ck_assert_double_eq_tol(x[0], c->x0, c->tol);
    ck_assert_double_eq_tol(x[1], c->x1, c->tol);
    if (c->stop == IMBAL_LBFGSB_PGTOL) {
        ck_assert(res.pg_max <= c->pgtol);
    }
}
END_TEST

static imbal_status shifted_square(size_t n, const double *x, double *f, double *g, void *ctx,
                                   imbal_error *err)
{
    (void)n;
    (void)ctx;
    (void)err;
    *f = (x[0] - 3.0) * (x[0] - 3.0);
    g[0] = 2.0 * (x[0] - 3.0);
    return IMBAL_OK;
}

/* f = (x - 3)^2 from 0: g = -6, d = 6, first step 1/|d| = 1/6 -> x = 1, f = 4, g = -4:
 * f <= 9 - 1e-3 * 36 / 6 and |g d| = 24 <= 0.9 * 36, accepted. Pair s = 1, y = 2,
 * s'y = (-24 + 36) / 6 = 2, theta = y'y / s'y = 2; the quasi-Newton step is then exact,
 * d = -g / 2 = 2, x = 3, g = 0 <= pgtol: 2 iterations, 3 evaluations, x exactly 3. */
START_TEST(quadratic_one_dimension_by_hand)
{
    imbal_lbfgsb_options opt;
    imbal_lbfgsb_result res;
    double x = 0.0;
    imbal_lbfgsb_options_default(&opt);
    res = run(shifted_square, 1, &x, &opt);
    ck_assert_uint_eq(res.n_iter, 2);
    ck_assert_uint_eq(res.n_fev, 3);
    ck_assert_int_eq(res.stop, IMBAL_LBFGSB_PGTOL);
    ck_assert(x == 3.0);
    ck_assert(res.f == 0.0);
    ck_assert(res.pg_max == 0.0);
}
END_TEST

/* sum_i c_i (x_i - a_i)^2, c = 1..10, a_i = i - 4.5: the minimiser is a, and at a point with
 * max |g| <= pgtol, |x_i - a_i| = |g_i| / (2 c_i) <= pgtol / 2. */
static imbal_status weighted_squares(size_t n, const double *x, double *f, double *g,
                                     void *ctx, imbal_error *err)
{
    (void)ctx;
    (void)err;
    *f = 0.0;
    for (size_t i = 0; i < n; i++) {
        double c = (double)(i + 1);
        double r = x[i] - ((double)i - 4.5);
        *f += c * r * r;
        g[i] = 2.0 * c * r;
    }
    return IMBAL_OK;
}

START_TEST(quadratic_ten_dimensions_reaches_pgtol)
{
    imbal_lbfgsb_options opt;
    imbal_lbfgsb_result res;
    double x[10] = {0};
    imbal_lbfgsb_options_default(&opt);
    opt.m = 3; /* the memory wraps around */
    opt.pgtol = 1e-8;
    opt.factr = 0.0;
    res = run(weighted_squares, 10, x, &opt);
    ck_assert_int_eq(res.stop, IMBAL_LBFGSB_PGTOL);
    ck_assert_uint_gt(res.n_iter, 3);
    for (size_t i = 0; i < 10; i++) {
        ck_assert_double_eq_tol(x[i], (double)i - 4.5, 0.5e-8);
    }
}
END_TEST

/* f = NaN beyond x0 > 1. From (0, 3), g = (-4, 4), the first step 1/|d| lands on
 * (1/sqrt2, 3 - 1/sqrt2); the next line search meets only NaN, fails with one pair in memory
 * (reset), then again from steepest descent: abnormal stop at 1 iteration. SciPy:
 * nit 1, nfev 38, ABNORMAL_TERMINATION_IN_LNSRCH, the same x. */
static imbal_status nan_wall(size_t n, const double *x, double *f, double *g, void *ctx,
                             imbal_error *err)
{
    (void)n;
    (void)ctx;
    (void)err;
    if (x[0] > 1.0) {
        *f = NAN;
        g[0] = NAN;
        g[1] = NAN;
        return IMBAL_OK;
    }
    *f = (x[0] - 2.0) * (x[0] - 2.0) + (x[1] - 1.0) * (x[1] - 1.0);
    g[0] = 2.0 * (x[0] - 2.0);
    g[1] = 2.0 * (x[1] - 1.0);
    return IMBAL_OK;
}

START_TEST(failed_line_search_resets_then_stops)
{
    imbal_lbfgsb_options opt;
    imbal_lbfgsb_result res;
    double x[2] = {0.0, 3.0};
    imbal_lbfgsb_options_default(&opt);
    res = run(nan_wall, 2, x, &opt);
    ck_assert_int_eq(res.stop, IMBAL_LBFGSB_ABNORMAL);
    ck_assert_uint_eq(res.n_iter, 1);
    ck_assert_uint_eq(res.n_fev, 38);
    ck_assert_uint_eq(res.n_reset, 1);
    ck_assert_double_eq_tol(x[0], sqrt(0.5), 1e-15);
    ck_assert_double_eq_tol(x[1], 3.0 - sqrt(0.5), 1e-15);
    ck_assert_double_eq_tol(res.f, 2.0 * (2.0 - sqrt(0.5)) * (2.0 - sqrt(0.5)), 1e-14);
}
END_TEST

/* -1e6 x - x^3 only falls faster along the search: every trial fails the curvature test,
 * so the first search uses its maxls = 20 trials and stops (SciPy: nit 0, nfev 21). */
static imbal_status falling_cubic(size_t n, const double *x, double *f, double *g, void *ctx,
                                  imbal_error *err)
{
    (void)n;
    (void)ctx;
    (void)err;
    *f = -1e6 * x[0] - x[0] * x[0] * x[0];
    g[0] = -1e6 - 3.0 * x[0] * x[0];
    return IMBAL_OK;
}

START_TEST(line_search_gives_up_after_maxls)
{
    imbal_lbfgsb_options opt;
    imbal_lbfgsb_result res;
    double x = 0.0;
    imbal_lbfgsb_options_default(&opt);
    res = run(falling_cubic, 1, &x, &opt);
    ck_assert_int_eq(res.stop, IMBAL_LBFGSB_ABNORMAL);
    ck_assert_uint_eq(res.n_iter, 0);
    ck_assert_uint_eq(res.n_fev, 21);
    ck_assert(x == 0.0);
    opt.maxls = 3;
    res = run(falling_cubic, 1, &x, &opt);
    ck_assert_uint_eq(res.n_fev, 4);
}
END_TEST

/* |x0 - 1| + 2 |x1 + 2|: the gradient is constant between kinks, so searches end on
 * warnings with y = 0 and the pair is skipped. SciPy (also isave[25], its skip count, when
 * driving scipy.optimize._lbfgsb.setulb by hand): nit 7, nfev 83, 6 skipped, x below. */
static imbal_status kinks(size_t n, const double *x, double *f, double *g, void *ctx,
                          imbal_error *err)
{
    (void)n;
    (void)ctx;
    (void)err;
    *f = fabs(x[0] - 1.0) + 2.0 * fabs(x[1] + 2.0);
    g[0] = x[0] > 1.0 ? 1.0 : -1.0;
    g[1] = x[1] > -2.0 ? 2.0 : -2.0;
    return IMBAL_OK;
}

START_TEST(flat_curvature_skips_the_update)
{
    imbal_lbfgsb_options opt;
    imbal_lbfgsb_result res;
    double x[2] = {0.0, 0.0};
    imbal_lbfgsb_options_default(&opt);
    res = run(kinks, 2, x, &opt);
    ck_assert_int_eq(res.stop, IMBAL_LBFGSB_FACTR);
    ck_assert_uint_eq(res.n_iter, 7);
    ck_assert_uint_eq(res.n_fev, 83);
    ck_assert_uint_eq(res.n_skip, 6);
    ck_assert_double_eq_tol(x[0], 0.9999999999999795, 1e-15);
    ck_assert_double_eq_tol(x[1], -1.999999999999959, 1e-15);
}
END_TEST

/* A start that already satisfies pgtol: no iteration, one evaluation. */
START_TEST(converged_start_takes_no_step)
{
    imbal_lbfgsb_options opt;
    imbal_lbfgsb_result res;
    double x = 3.0;
    imbal_lbfgsb_options_default(&opt);
    res = run(shifted_square, 1, &x, &opt);
    ck_assert_uint_eq(res.n_iter, 0);
    ck_assert_uint_eq(res.n_fev, 1);
    ck_assert_int_eq(res.stop, IMBAL_LBFGSB_PGTOL);
    ck_assert(x == 3.0);
}
END_TEST

/* ---- the line search against MINPACK-2's dcsrch ---- */

static void phi1(double a, double *f, double *g)
{
    *f = -a / (a * a + 2.0);
    *g = (a * a - 2.0) / ((a * a + 2.0) * (a * a + 2.0));
}

static void phi2(double a, double *f, double *g)
{
    double b = a + 0.004;
    *f = pow(b, 5) - 2.0 * pow(b, 4);
    *g = pow(b, 3) * (5.0 * b - 8.0);
}

/* Moré and Thuente's functions 1 (beta 2, ftol 1e-3, gtol 0.1) and 2 (beta 0.004, ftol 0.1,
 * gtol 0.1), xtol 0.1, stpmax 1e10; the trial steps of scipy.optimize._minpack2.dcsrch
 * (the MINPACK-2 build SciPy ships), looping "stp, f, g, task = dcsrch(stp, f, g, ...)"
 * while task starts with FG. */
typedef struct {
    int fn;
    double stp0;
    imbal_ls_task end;
    size_t n;
    double steps[12];
} ls_case;

static const ls_case ls_cases[] = {
    {1, 1e-3, IMBAL_LS_CONV, 6, {0.001, 0.005, 0.021, 0.085, 0.341, 1.365}},
    {1, 1e-1, IMBAL_LS_CONV, 3, {0.1, 0.5, 1.4413720790892741}},
    {1, 1e3, IMBAL_LS_CONV, 4, {1000.0, 332.83537094698613, 110.78382764820593,
                                36.88760696396662}},
    {2, 1e-3, IMBAL_LS_WARN, 11, {0.001, 0.005, 0.021, 0.085, 0.341, 1.365, 5.461,
                                  2.1070247668786957, 1.5516926344756752,
                                  1.5975830448985595, 1.5975830448985595}},
    {2, 1e3, IMBAL_LS_WARN, 10, {1000.0, 222.29565484593803, 49.47281649042708,
                                 11.06935214473647, 2.5433685560303134, 0.7201153415592901,
                                 1.6296513166653734, 1.35122297978815, 1.5950402760316595,
                                 1.5950402760316595}},
};

START_TEST(line_search_retraces_minpack2)
{
    const ls_case *c = &ls_cases[_i];
    void (*phi)(double, double *, double *) = c->fn == 1 ? phi1 : phi2;
    double ftol = c->fn == 1 ? 1e-3 : 0.1;
    imbal_linesearch ls;
    double f;
    double g;
    double stp = c->stp0;
    size_t k = 0;
    imbal_ls_task task;
    phi(0.0, &f, &g);
    task = imbal_linesearch_start(&ls, f, g, &stp, ftol, 0.1, 0.1, 0.0, 1e10);
    while (task == IMBAL_LS_FG) {
        ck_assert_uint_lt(k, c->n);
        ck_assert_double_eq_tol(stp, c->steps[k], 1e-13 * c->steps[k]);
        phi(stp, &f, &g);
        task = imbal_linesearch_next(&ls, f, g, &stp);
        k++;
    }
    ck_assert_uint_eq(k, c->n);
    ck_assert_int_eq(task, c->end);
}
END_TEST

START_TEST(line_search_rejects_bad_start)
{
    imbal_linesearch ls;
    double stp = 1.0;
    ck_assert_int_eq(imbal_linesearch_start(&ls, 0.0, 0.0, &stp, 1e-3, 0.9, 0.1, 0.0, 1e10),
                     IMBAL_LS_ERROR); /* not a descent direction */
    stp = 2.0;
    ck_assert_int_eq(imbal_linesearch_start(&ls, 0.0, -1.0, &stp, 1e-3, 0.9, 0.1, 0.0, 1.0),
                     IMBAL_LS_ERROR); /* stp > stpmax */
}
END_TEST

/* ---- errors ---- */

static imbal_status failing_fg(size_t n, const double *x, double *f, double *g, void *ctx,
                               imbal_error *err)
{
    int *calls = ctx;
    if (++*calls == 3) {
        return imbal_fail(err, IMBAL_EIO, "fg failed at call 3");
    }
    return shifted_square(n, x, f, g, NULL, err);
}

START_TEST(minimize_rejects_bad_options_and_passes_fg_errors)
{
    imbal_lbfgsb_options opt;
    imbal_lbfgsb_result res;
    imbal_error err;
    double x = 0.0;
    int calls = 0;
    imbal_lbfgsb_options_default(&opt);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_lbfgsb_minimize(0, &x, shifted_square, NULL, &opt, &res, &err),
                     IMBAL_EINVAL);
    ck_assert_int_eq(err.status, IMBAL_EINVAL);
    opt.m = 0;
    ck_assert_int_eq(imbal_lbfgsb_minimize(1, &x, shifted_square, NULL, &opt, &res, NULL),
                     IMBAL_EINVAL);
    imbal_lbfgsb_options_default(&opt);
    opt.maxiter = 0;
    ck_assert_int_eq(imbal_lbfgsb_minimize(1, &x, shifted_square, NULL, &opt, &res, NULL),
                     IMBAL_EINVAL);
    imbal_lbfgsb_options_default(&opt);
    opt.pgtol = -1.0;
    ck_assert_int_eq(imbal_lbfgsb_minimize(1, &x, shifted_square, NULL, &opt, &res, NULL),
                     IMBAL_EINVAL);
    imbal_lbfgsb_options_default(&opt);
    opt.factr = NAN;
    ck_assert_int_eq(imbal_lbfgsb_minimize(1, &x, shifted_square, NULL, &opt, &res, NULL),
                     IMBAL_EINVAL);
    ck_assert(x == 0.0);
    /* the third evaluation fails: x keeps the first accepted iterate (1, see above) */
    imbal_lbfgsb_options_default(&opt);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_lbfgsb_minimize(1, &x, failing_fg, &calls, &opt, &res, &err),
                     IMBAL_EIO);
    ck_assert_int_eq(err.status, IMBAL_EIO);
    ck_assert_str_eq(err.msg, "fg failed at call 3");
    ck_assert_uint_eq(res.n_iter, 1);
}
END_TEST

START_TEST(out_of_memory)
{
    imbal_lbfgsb_options opt;
    imbal_lbfgsb_result res;
    imbal_error err;
    double x = 0.0;
    double coef[1] = {42.0};
    double b = 42.0;
    size_t it = 42;
    const double xs[2] = {0.0, 1.0};
    const int ys[2] = {0, 1};
    imbal_lbfgsb_options_default(&opt);
    imbal_error_clear(&err);
    imbal_alloc_fail_after(1);
    ck_assert_int_eq(imbal_lbfgsb_minimize(1, &x, shifted_square, NULL, &opt, &res, &err),
                     IMBAL_ENOMEM);
    imbal_alloc_fail_after(0);
    ck_assert_int_eq(err.status, IMBAL_ENOMEM);
    ck_assert(x == 0.0);
    for (long k = 1; k <= 4; k++) { /* p, grad_pt, loss_pt, the solver block */
        imbal_error_clear(&err);
        imbal_alloc_fail_after(k);
        ck_assert_int_eq(imbal_logreg_fit_lbfgs(xs, ys, 2, 1, NULL, 1.0, 1e-4, 100, coef, &b,
                                                &it, NULL, &err),
                         IMBAL_ENOMEM);
        imbal_alloc_fail_after(0);
        ck_assert_int_eq(err.status, IMBAL_ENOMEM);
        ck_assert(coef[0] == 42.0 && b == 42.0 && it == 42);
    }
    ck_assert_int_eq(imbal_logreg_fit_lbfgs(xs, ys, 2, 1, NULL, 1.0, 1e-4, 100, coef, &b, &it,
                                            NULL, NULL),
                     IMBAL_OK);
}
END_TEST

static Suite *lbfgsb_suite(void)
{
    Suite *s = suite_create("lbfgsb");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, rosenbrock_retraces_scipy, 0,
                        (int)(sizeof(ros_cases) / sizeof(ros_cases[0])));
    tcase_add_test(tc, quadratic_one_dimension_by_hand);
    tcase_add_test(tc, quadratic_ten_dimensions_reaches_pgtol);
    tcase_add_test(tc, failed_line_search_resets_then_stops);
    tcase_add_test(tc, line_search_gives_up_after_maxls);
    tcase_add_test(tc, flat_curvature_skips_the_update);
    tcase_add_test(tc, converged_start_takes_no_step);
    tcase_add_loop_test(tc, line_search_retraces_minpack2, 0,
                        (int)(sizeof(ls_cases) / sizeof(ls_cases[0])));
    tcase_add_test(tc, line_search_rejects_bad_start);
    tcase_add_test(tc, minimize_rejects_bad_options_and_passes_fg_errors);
    tcase_add_test(tc, out_of_memory);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(lbfgsb_suite());
}
