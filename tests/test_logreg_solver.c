/* The exact logistic regression solver's internals (logreg_panel.c, logreg_repeats.c): its
 * exp against libm's, each pass over the blocked rows against sums written out here row by
 * row, the remainder bound by hand, repeated rows folded into weights (and a fit on repeated
 * rows bit for bit the fit on the distinct rows weighted by their counts). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "imbal/logreg.h"
#include "logreg_impl.h"
#include "util.h"

START_TEST(exp_within_two_ulp_of_libm)
{
    /* |z| from 0 to 720 in uneven steps, both signs; beyond 708 the cap e^-708 */
    for (int k = 0; k <= 20000; k++) {
        double z = 0.036 * k + 1e-7 * (k % 7);
        double want = exp(-(z < 708.0 ? z : 708.0));
        double ulp = nextafter(want, INFINITY) - want;
        double got = imbal_logreg_exp_neg_abs(z);
        ck_assert_msg(fabs(got - want) <= 2.0 * ulp, "e^-%.17g: got %.17g, want %.17g", z, got,
                      want);
        ck_assert(imbal_logreg_exp_neg_abs(-z) == got); /* exactly symmetric */
    }
    ck_assert(imbal_logreg_exp_neg_abs(0.0) == 1.0);
    ck_assert(imbal_logreg_exp_neg_abs(-0.0) == 1.0);
    ck_assert(imbal_logreg_exp_neg_abs(INFINITY) == imbal_logreg_exp_neg_abs(708.0));
    ck_assert(imbal_logreg_exp_neg_abs(-1e300) == imbal_logreg_exp_neg_abs(708.0));
}
END_TEST

/* 13 rows (one full block and 5 padded) x 3 features, mixed labels and weights. */
enum { N = 13, D = 3, M = D + 1 };

static void small_problem(double *x, int *y, double *s)
{
    for (size_t i = 0; i < N; i++) {
        for (size_t j = 0; j < D; j++) {
            x[i * D + j] = sin(1.7 * (double)(i * D + j) + 0.3) * (double)(j + 1);
        }
        y[i] = (int)(i % 3 == 0);
        s[i] = 0.5 + 0.25 * (double)(i % 4);
    }
}

/* the panel of pb, every row kept; free pn->x, pn->s, pn->y */
static void small_panel(const imbal_logreg_problem *pb, imbal_logreg_panel *pn)
{
    size_t row[N];
    size_t n_pad = imbal_logreg_panel_rows(N);
    ck_assert_uint_eq(n_pad, 16);
    for (size_t i = 0; i < N; i++) {
        row[i] = i;
    }
    pn->x = malloc(n_pad * M * sizeof(double));
    pn->s = malloc(n_pad * sizeof(double));
    pn->y = malloc(n_pad * sizeof(double));
    ck_assert(pn->x && pn->s && pn->y);
    imbal_logreg_panel_fill(pb, row, N, pn);
    ck_assert_uint_eq(pn->n, N);
    ck_assert_uint_eq(pn->n_blocks, 2);
}

static void assert_close(double got, double want, const char *what)
{
    ck_assert_msg(fabs(got - want) <= 1e-14 * (fabs(want) > 1.0 ? fabs(want) : 1.0),
                  "%s: got %.17g, want %.17g", what, got, want);
}

START_TEST(passes_match_sums_row_by_row)
{
    double x[N * D];
    int y[N];
    double s[N];
    const double theta[M] = {0.4, -0.7, 0.25, -0.3}; /* w, then b */
    double z[16], r[16], c[16], out[M], h[M * M], acc[M * M * IMBAL_LOGREG_LANES];
    double v[M * IMBAL_LOGREG_LANES];
    double want_out[M] = {0.0};
    double want_h[M * M] = {0.0};
    double want_loss = 0.0;
    double want_c[N];
    imbal_logreg_panel pn;
    small_problem(x, y, s);
    imbal_logreg_problem pb = {x, y, s, N, D, 1.0};
    small_panel(&pb, &pn);
    /* z_i = w.x_i + b, p_i = sigmoid(z_i); r_i = s_i (p_i - y_i), c_i = s_i p_i (1 - p_i),
     * out = X~' r, h = X~' diag(c) X~ with x~_i = (x_i, 1), loss_i = -log(p_i or 1 - p_i) */
    for (size_t i = 0; i < N; i++) {
        double xt[M] = {x[i * D], x[i * D + 1], x[i * D + 2], 1.0};
        double zi = theta[0] * xt[0] + theta[1] * xt[1] + theta[2] * xt[2] + theta[3];
        double p = 1.0 / (1.0 + exp(-zi));
        want_c[i] = s[i] * p * (1.0 - p);
        want_loss += s[i] * -log(y[i] ? p : 1.0 - p);
        for (size_t j = 0; j < M; j++) {
            want_out[j] += s[i] * (p - y[i]) * xt[j];
            for (size_t k = 0; k < M; k++) {
                want_h[j * M + k] += want_c[i] * xt[j] * xt[k];
            }
        }
    }
    imbal_logreg_panel_eval(&pn, theta, z, r, c, out, acc);
    for (size_t i = 0; i < N; i++) {
        assert_close(c[i], want_c[i], "curvature");
    }
    for (size_t i = N; i < 16; i++) {
        ck_assert(c[i] == 0.0 && r[i] == 0.0); /* padding weighs 0 */
    }
    for (size_t j = 0; j < M; j++) {
        assert_close(out[j], want_out[j], "gradient");
    }
    imbal_logreg_panel_decision(&pn, theta, r);
    ck_assert(memcmp(r, z, sizeof(z)) == 0);
    imbal_logreg_panel_gram(&pn, c, h, acc, v);
    for (size_t j = 0; j < M * M; j++) {
        assert_close(h[j], want_h[j], "hessian");
    }
    imbal_logreg_panel_gram_diag(&pn, c, out, acc);
    for (size_t j = 0; j < M; j++) {
        ck_assert(out[j] == h[j * M + j]); /* same sums, same order */
    }
    imbal_logreg_panel_xt(&pn, c, out, acc);
    for (size_t j = 0; j < M; j++) {
        ck_assert(out[j] == h[(M - 1) * M + j]); /* c against the column of ones */
    }
    assert_close(imbal_logreg_panel_loss(&pn, z, r), want_loss, "loss");
    free(pn.x);
    free(pn.s);
    free(pn.y);
}
END_TEST

START_TEST(remainder_by_hand)
{
    /* row 0 stays positive: u = 1.5 - 0.5 = 1, top = max(0.2, 0.15) -> 1 * 0.2;
     * row 1 crosses 0: u = 2 - (-1) = 3, top = s / 4 = 2 / 4 -> 9 * 0.5; padding adds 0.
     * Sum 4.7, largest shift 3. */
    double x[2] = {0.0, 0.0};
    int y[2] = {0, 1};
    double s[2] = {1.0, 2.0};
    size_t row[2] = {0, 1};
    double px[8 * 2], ps[8], py[8];
    double z[8] = {0.5, -1.0}, z_new[8] = {1.5, 2.0};
    double c[8] = {0.2, 0.1}, c_new[8] = {0.15, 0.05};
    double shift = 0.0;
    imbal_logreg_problem pb = {x, y, s, 2, 1, 1.0};
    imbal_logreg_panel pn = {0, 0, 0, px, ps, py};
    imbal_logreg_panel_fill(&pb, row, 2, &pn);
    ck_assert_double_eq_tol(imbal_logreg_panel_remainder(&pn, z, z_new, c, c_new, &shift), 4.7,
                            1e-15);
    ck_assert_double_eq(shift, 3.0);
}
END_TEST

START_TEST(repeats_of_the_smaller_class_share_a_row)
{
    /* 4 rows per class, a tie, so class 1 (rows 1, 3, 5, 6) is searched: rows 3 and 6 repeat
     * row 1; row 5 is row 1 with -0.0 for 0.0, a different row. Class 0 is not searched, so
     * row 2 (equal to row 0) and row 7 (row 1's cells) stay. Rows kept: 0 1 2 4 5 7. */
    const double x[] = {1.0, 2.0, 0.0, 3.0, 1.0, 2.0, 0.0, 3.0,
                        5.0, 5.0, -0.0, 3.0, 0.0, 3.0, 0.0, 3.0};
    const int y[] = {0, 1, 0, 1, 0, 1, 1, 0};
    const double s[] = {1.0, 2.0, 1.0, 0.5, 1.0, 2.0, 0.25, 1.0};
    const size_t want[] = {0, 1, 2, 1, 3, 4, 1, 5};
    imbal_logreg_problem pb = {x, y, s, 8, 2, 1.0};
    size_t row[8];
    size_t n_rows = 0;
    double px[8 * 3], ps[8], py[8];
    imbal_logreg_panel pn = {0, 0, 0, px, ps, py};
    ck_assert_int_eq(imbal_logreg_repeats(&pb, row, &n_rows, NULL), IMBAL_OK);
    ck_assert_uint_eq(n_rows, 6);
    for (size_t i = 0; i < 8; i++) {
        ck_assert_uint_eq(row[i], want[i]);
    }
    imbal_logreg_panel_fill(&pb, row, n_rows, &pn);
    ck_assert_uint_eq(pn.n, 6);
    /* one block: column j of panel row r at px[j * 8 + r] */
    ck_assert_double_eq(ps[1], 2.75); /* 2 + 0.5 + 0.25, in row order */
    ck_assert_double_eq(py[1], 1.0);
    ck_assert(px[3] == 5.0 && px[8 + 3] == 5.0); /* pb row 4 */
    ck_assert(px[4] == 0.0 && signbit(px[4]));   /* pb row 5 keeps its -0.0 */
    ck_assert(px[5] == 0.0 && px[8 + 5] == 3.0 && py[5] == 0.0 && ps[5] == 1.0); /* pb row 7 */
    ck_assert(px[16 + 5] == 1.0 && px[16 + 7] == 1.0); /* the column of ones, padding too */
    ck_assert(ps[6] == 0.0 && ps[7] == 0.0 && px[6] == 0.0); /* padding weighs 0 */
}
END_TEST

START_TEST(fit_on_repeats_is_the_weighted_fit)
{
    /* 40 distinct rows, class 1 rows 0, 7, 14, ...; then each class-1 row 4 more times: the
     * fit must be bit for bit the fit on the 40 rows with those rows weighted 5 */
    enum { U = 40, R = 4 };
    double xu[U * 2], x[(U + 6 * R) * 2], sw[U];
    int yu[U], y[U + 6 * R];
    size_t n = U;
    imbal_logreg_params p;
    imbal_logreg_model *a = NULL;
    imbal_logreg_model *b = NULL;
    for (size_t i = 0; i < U; i++) {
        xu[2 * i] = cos(0.9 * (double)i);
        xu[2 * i + 1] = sin(0.4 * (double)i) + 0.1 * (double)i;
        yu[i] = (int)(i % 7 == 0);
        sw[i] = yu[i] ? 1.0 + R : 1.0;
    }
    memcpy(x, xu, sizeof(xu));
    memcpy(y, yu, sizeof(yu));
    for (size_t k = 0; k < R; k++) {
        for (size_t i = 0; i < U; i += 7) {
            x[2 * n] = xu[2 * i];
            x[2 * n + 1] = xu[2 * i + 1];
            y[n] = 1;
            n++;
        }
    }
    ck_assert_uint_eq(n, U + 6 * R);
    imbal_logreg_params_default(&p);
    p.C = 3.0;
    p.tol = 1e-9; /* the same rule for both: sum s is 64 in each */
    ck_assert_int_eq(imbal_logreg_fit(x, y, n, 2, NULL, &p, &a, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_logreg_fit(xu, yu, U, 2, sw, &p, &b, NULL), IMBAL_OK);
    ck_assert(a->intercept == b->intercept);
    ck_assert(a->coef[0] == b->coef[0] && a->coef[1] == b->coef[1]);
    ck_assert_uint_eq(a->n_iter, b->n_iter);
    imbal_logreg_model_free(a);
    imbal_logreg_model_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("logreg_solver");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, exp_within_two_ulp_of_libm);
    tcase_add_test(tc, passes_match_sums_row_by_row);
    tcase_add_test(tc, remainder_by_hand);
    tcase_add_test(tc, repeats_of_the_smaller_class_share_a_row);
    tcase_add_test(tc, fit_on_repeats_is_the_weighted_fit);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
