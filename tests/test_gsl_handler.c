/* A program that links libimbal and never touches GSL's error handler must not abort inside
 * the library: this test file, unlike imbal's main, does not call gsl_set_error_handler_off().
 * The fit below makes GSL's Cholesky refuse the Hessian (a constant feature next to the
 * intercept with C = 1e17 leaves its Schur complement at rounding level), which with GSL's
 * default handler printed "gsl: cholesky.c: ERROR: matrix is not positive definite" and
 * aborted; now the solver gets GSL_EDOM back and adds its ridge (logreg.h). Each test runs in
 * its own forked process, where the handler starts as GSL's default. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>

#include "imbal/logreg.h"
#include "util.h"

/* 40 rows, 3 features: a column of ones, two small integer columns; every third row positive */
static void constant_column_problem(double *x, int *y)
{
    for (size_t i = 0; i < 40; i++) {
        y[i] = i % 3 == 0;
        for (size_t j = 0; j < 3; j++) {
            x[3 * i + j] = j == 0 ? 1.0 : (double)((i * 7 + j) % 5);
        }
    }
}

START_TEST(non_definite_hessian_returns_a_status)
{
    double x[120];
    int y[40];
    imbal_logreg_params p;
    imbal_logreg_model *m = NULL;
    imbal_error err;
    imbal_status st;
    /* the handler really is GSL's default here: nobody turned it off */
    gsl_error_handler_t *prev = gsl_set_error_handler(NULL);
    ck_assert(prev == NULL);
    constant_column_problem(x, y);
    imbal_logreg_params_default(&p);
    p.C = 1e17;
    imbal_error_clear(&err);
    st = imbal_logreg_fit(x, y, 40, 3, NULL, &p, &m, &err);
    /* reaching this line is the test; with the ridge the fit meets its stopping rule
     * (max |gradient| <= 1e-10 * C * sum of weights = 4e8 here) */
    ck_assert_int_eq(st, IMBAL_OK);
    ck_assert_ptr_nonnull(m);
    for (size_t j = 0; j < 3; j++) {
        ck_assert(isfinite(m->coef[j]));
    }
    ck_assert(m->grad_max <= 1e-10 * 1e17 * 40);
    imbal_logreg_model_free(m);
}
END_TEST

START_TEST(first_fit_leaves_gsl_returning_statuses)
{
    /* after any fit, a GSL error in the host program returns too (the handler is off for the
     * process: documented in logreg.h) */
    double x[120];
    int y[40];
    double a[4] = {1.0, 0.0, 0.0, 0.0};
    gsl_matrix_view v = gsl_matrix_view_array(a, 2, 2);
    imbal_logreg_params p;
    imbal_logreg_model *m = NULL;
    constant_column_problem(x, y);
    imbal_logreg_params_default(&p);
    ck_assert_int_eq(imbal_logreg_fit(x, y, 40, 3, NULL, &p, &m, NULL), IMBAL_OK);
    ck_assert_int_eq(gsl_linalg_cholesky_decomp1(&v.matrix), GSL_EDOM);
    imbal_logreg_model_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gsl_handler");
    TCase *tc = tcase_create("no_abort");
    tcase_add_test(tc, non_definite_hessian_returns_a_status);
    tcase_add_test(tc, first_fit_leaves_gsl_returning_statuses);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
