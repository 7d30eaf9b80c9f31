/* scikit-learn 1.2.1's default LogisticRegression() fit (solver "lbfgs") for a binary
 * problem: its objective, sum_i s_i * half-binomial loss + 0.5 / C ||w||^2 with the intercept
 * last and unpenalised, evaluated with the same per-sample formulas (bit for bit) and numpy's
 * order for its sums (pairwise.h: not index order: rounding decides where an early stop lands),
 * then minimised from zero by the L-BFGS-B of lbfgsb.c with scikit-learn's options. Used by
 * logreg.c for IMBAL_SOLVER_LBFGS. */
#include <math.h>
#include <stdlib.h>

#include "alloc.h"
#include "lbfgsb.h"
#include "pairwise.h"

typedef struct {
    const double *x;
    const int *y;
    const double *s;  /* NULL: all 1 */
    size_t n, d;
    double l2;        /* 1 / C */
    double *grad_pt;  /* n: s_i * dloss/draw_i */
    double *loss_pt;  /* n: s_i * loss_i */
} logreg_problem;

/* Half-binomial loss log(1 + e^r) - y r and its derivative sigmoid(r) - y at raw r, split as
 * scikit-learn's Cython does so that every bit agrees (cut-offs -37 and 18). */
static void logreg_point(double y, double r, double *loss, double *grad)
{
    double e;
    if (r <= 0.0) {
        e = exp(r);
        *loss = (r <= -37.0 ? e : log1p(e)) - y * r;
        *grad = ((1.0 - y) * e - y) / (1.0 + e);
    } else {
        e = exp(-r);
        *loss = (r <= 18.0 ? log1p(e) : e) + (1.0 - y) * r;
        *grad = ((1.0 - y) - y * e) / (1.0 + e);
    }
}

/* f and gradient at p = (w, b), as LinearModelLoss.loss_gradient: raw = X w + b, the loss
 * and the intercept gradient summed as numpy sums, X w (reference BLAS dgemv 'T': a dot per
 * row in feature order), X' grad (dgemv 'N': g_j += x_ij r_i, rows in order) and w'w (ddot:
 * in order) as the reference BLAS loops run. */
static imbal_status logreg_fg(size_t np, const double *p, double *f, double *g, void *ctx,
                              imbal_error *err)
{
    const logreg_problem *pr = ctx;
    size_t d = pr->d;
    double loss = 0.0;
    double ww = 0.0;
    double gb = 0.0;
    (void)np;
    (void)err;
    for (size_t i = 0; i < pr->n; i++) {
        const double *xi = pr->x + i * d;
        double r = 0.0;
        double li;
        double gi;
        double si = pr->s != NULL ? pr->s[i] : 1.0;
        for (size_t j = 0; j < d; j++) {
            r = r + xi[j] * p[j];
        }
        r = r + p[d];
        logreg_point((double)pr->y[i], r, &li, &gi);
        pr->loss_pt[i] = si * li;
        pr->grad_pt[i] = si * gi;
    }
    for (size_t j = 0; j < d; j++) {
        ww = ww + p[j] * p[j];
        g[j] = 0.0;
    }
    for (size_t i = 0; i < pr->n; i++) {
        const double *xi = pr->x + i * d;
        for (size_t j = 0; j < d; j++) {
            g[j] = g[j] + xi[j] * pr->grad_pt[i];
        }
    }
    loss = imbal_numpy_sum(pr->loss_pt, pr->n);
    gb = imbal_numpy_sum(pr->grad_pt, pr->n);
    for (size_t j = 0; j < d; j++) {
        g[j] = g[j] + pr->l2 * p[j];
    }
    g[d] = gb;
    *f = loss + 0.5 * pr->l2 * ww;
    return IMBAL_OK;
}

static imbal_status logreg_check(const int *y, size_t n, size_t d, const double *s, double C,
                                 double tol, size_t max_iter, imbal_error *err)
{
    if (n == 0 || d == 0) {
        return imbal_fail(err, IMBAL_EINVAL, "lbfgs: no rows or no features");
    }
    if (!(C > 0.0) || !isfinite(C)) {
        return imbal_fail(err, IMBAL_EINVAL, "lbfgs: C must be > 0, got %g", C);
    }
    if (!(tol >= 0.0)) {
        return imbal_fail(err, IMBAL_EINVAL, "lbfgs: tol must be >= 0, got %g", tol);
    }
    if (max_iter == 0) {
        return imbal_fail(err, IMBAL_EINVAL, "lbfgs: max_iter must be >= 1");
    }
    for (size_t i = 0; i < n; i++) {
        if (y[i] != 0 && y[i] != 1) {
            return imbal_fail(err, IMBAL_EINVAL, "lbfgs: label %d of row %zu is not 0 or 1",
                              y[i], i);
        }
        if (s != NULL && (!(s[i] >= 0.0) || !isfinite(s[i]))) {
            return imbal_fail(err, IMBAL_EINVAL, "lbfgs: weight %g of row %zu is not >= 0",
                              s[i], i);
        }
    }
    return IMBAL_OK;
}

imbal_status imbal_logreg_fit_lbfgs(const double *x, const int *y, size_t n, size_t d,
                                    const double *s, double C, double tol, size_t max_iter,
                                    double *coef_out, double *intercept_out, size_t *n_iter_out,
                                    imbal_logreg_fit_status *fit_out, imbal_error *err)
{
    logreg_problem pr;
    imbal_lbfgsb_options opt;
    imbal_lbfgsb_result res;
    double *p = NULL;
    imbal_status st = logreg_check(y, n, d, s, C, tol, max_iter, err);
    pr.grad_pt = NULL;
    pr.loss_pt = NULL;
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    p = imbal_calloc(d + 1, sizeof(*p)); /* d + 1 cannot wrap: d rows of x exist */
    pr.grad_pt = imbal_malloc(n, sizeof(*pr.grad_pt));
    pr.loss_pt = imbal_malloc(n, sizeof(*pr.loss_pt));
    if (p == NULL || pr.grad_pt == NULL || pr.loss_pt == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "lbfgs: out of memory for %zu rows", n);
        goto cleanup;
    }
    pr.x = x;
    pr.y = y;
    pr.s = s;
    pr.n = n;
    pr.d = d;
    pr.l2 = 1.0 / C;
    /* scikit-learn passes gtol = tol and maxiter = max_iter; ftol 2.2e-9, maxls 20 and
     * maxcor 10 are SciPy's defaults */
    imbal_lbfgsb_options_default(&opt);
    opt.pgtol = tol;
    opt.maxiter = max_iter;
    st = imbal_lbfgsb_minimize(d + 1, p, logreg_fg, &pr, &opt, &res, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t j = 0; j < d; j++) {
        coef_out[j] = p[j];
    }
    *intercept_out = p[d];
    *n_iter_out = res.n_iter < max_iter ? res.n_iter : max_iter;
    if (fit_out != NULL) {
        int moved = 0;
        for (size_t j = 0; j <= d; j++) {
            moved |= p[j] != 0.0; /* the start is all zeros */
        }
        *fit_out = res.stop == IMBAL_LBFGSB_MAXITER || res.stop == IMBAL_LBFGSB_MAXFUN
                       ? IMBAL_FIT_MAX_ITER
                   : res.stop == IMBAL_LBFGSB_ABNORMAL || (res.stop == IMBAL_LBFGSB_FACTR && !moved)
                       ? IMBAL_FIT_STALLED
                       : IMBAL_FIT_CONVERGED;
    }
    if (res.stop != IMBAL_LBFGSB_PGTOL && res.stop != IMBAL_LBFGSB_FACTR) {
        st = imbal_fail(err, IMBAL_ENOCONV,
                        "lbfgs: %s after %zu iterations (max |grad| %g > tol %g)",
                        res.stop == IMBAL_LBFGSB_MAXITER  ? "max_iter reached"
                        : res.stop == IMBAL_LBFGSB_MAXFUN ? "too many evaluations"
                                                          : "line search failed",
                        res.n_iter, res.pg_max, tol);
    }
cleanup:
    free(p);
    free(pr.grad_pt);
    free(pr.loss_pt);
    return st;
}
