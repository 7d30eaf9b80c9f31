/* scikit-learn 1.2.1's default LogisticRegression() fit on k > 2 classes (solver "lbfgs",
 * multi_class "multinomial"): LinearModelLoss(HalfMultinomialLoss) on the parameters in its
 * order (the k x (d + 1) matrix ravelled in Fortran order: parameter j * k + c is class c's
 * coefficient j, j = d its intercept), the objective sum_i s_i CE_i + 0.5 / C ||W||^2 with the
 * per-sample loss and gradient formed as its Cython does, the loss summed as numpy sums (rounding
 * decides where an early stop lands), minimised from zero by the L-BFGS-B of lbfgsb.c with
 * scikit-learn's options. Used by logreg_multi.c for IMBAL_SOLVER_LBFGS. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "lbfgsb.h"
#include "logreg_multi_impl.h"
#include "pairwise.h"

typedef struct {
    const imbal_mlogreg_problem *pb;
    double l2;       /* 1 / C */
    double *loss_pt; /* n: s_i * loss_i */
    double *grad_pt; /* n * k: s_i * (p_ic - [y_i = c]) */
    double *raw;     /* k */
} mlbfgs_ctx;

/* HalfMultinomialLoss.loss_gradient for one row: raw (k values) becomes the gradient row. */
static double mlbfgs_point(double *raw, size_t k, int y, double sw, double *grad)
{
    double top = raw[0];
    double sum = 0.0;
    double loss;
    for (size_t c = 1; c < k; c++) {
        if (top < raw[c]) {
            top = raw[c];
        }
    }
    for (size_t c = 0; c < k; c++) {
        grad[c] = exp(raw[c] - top);
        sum += grad[c];
    }
    loss = log(sum) + top;
    for (size_t c = 0; c < k; c++) {
        if (y == (int)c) {
            loss -= raw[c];
        }
        grad[c] /= sum;
        grad[c] = (grad[c] - (y == (int)c ? 1.0 : 0.0)) * sw;
    }
    return loss * sw;
}

static imbal_status mlbfgs_fg(size_t np, const double *w, double *f, double *g, void *vctx,
                              imbal_error *err)
{
    mlbfgs_ctx *ctx = vctx;
    const imbal_mlogreg_problem *pb = ctx->pb;
    size_t d = pb->d;
    size_t k = pb->k;
    double ww = 0.0;
    (void)np;
    (void)err;
    for (size_t i = 0; i < pb->n; i++) {
        const double *xi = pb->x + i * d;
        for (size_t c = 0; c < k; c++) {
            double r = 0.0;
            for (size_t j = 0; j < d; j++) {
                r = r + xi[j] * w[j * k + c];
            }
            ctx->raw[c] = r + w[d * k + c];
        }
        ctx->loss_pt[i] = mlbfgs_point(ctx->raw, k, pb->y[i], pb->s[i], ctx->grad_pt + i * k);
    }
    memset(g, 0, k * (d + 1) * sizeof(*g));
    for (size_t i = 0; i < pb->n; i++) {
        const double *xi = pb->x + i * d;
        const double *gi = ctx->grad_pt + i * k;
        for (size_t j = 0; j < d; j++) {
            for (size_t c = 0; c < k; c++) {
                g[j * k + c] = g[j * k + c] + gi[c] * xi[j];
            }
        }
        for (size_t c = 0; c < k; c++) {
            g[d * k + c] = g[d * k + c] + gi[c]; /* grad_pointwise.sum(axis=0): row by row */
        }
    }
    for (size_t q = 0; q < d * k; q++) {
        ww = ww + w[q] * w[q];
        g[q] = g[q] + ctx->l2 * w[q];
    }
    *f = imbal_numpy_sum(ctx->loss_pt, pb->n) + 0.5 * ctx->l2 * ww;
    return IMBAL_OK;
}

imbal_status imbal_mlogreg_lbfgs(const imbal_mlogreg_problem *pb, double tol, size_t max_iter,
                                 double *theta, size_t *n_iter, imbal_logreg_fit_status *fit,
                                 imbal_error *err)
{
    mlbfgs_ctx ctx;
    imbal_lbfgsb_options opt;
    imbal_lbfgsb_result res;
    size_t d = pb->d;
    size_t k = pb->k;
    double *w = imbal_calloc(k, (d + 1) * sizeof(*w));
    imbal_status st = IMBAL_OK;
    ctx.pb = pb;
    ctx.l2 = 1.0 / pb->C;
    ctx.loss_pt = imbal_malloc(pb->n, sizeof(*ctx.loss_pt));
    ctx.grad_pt = imbal_malloc(pb->n, k * sizeof(*ctx.grad_pt));
    ctx.raw = imbal_malloc(k, sizeof(*ctx.raw));
    if (w == NULL || ctx.loss_pt == NULL || ctx.grad_pt == NULL || ctx.raw == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "lbfgs: out of memory for %zu rows", pb->n);
        goto cleanup;
    }
    /* scikit-learn passes gtol = tol and maxiter = max_iter; ftol 2.2e-9, maxls 20 and
     * maxcor 10 are SciPy's defaults */
    imbal_lbfgsb_options_default(&opt);
    opt.pgtol = tol;
    opt.maxiter = max_iter;
    st = imbal_lbfgsb_minimize(k * (d + 1), w, mlbfgs_fg, &ctx, &opt, &res, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t c = 0; c < k; c++) {
        for (size_t j = 0; j <= d; j++) {
            theta[c * (d + 1) + j] = w[j * k + c];
        }
    }
    *n_iter = res.n_iter < max_iter ? res.n_iter : max_iter;
    {
        int moved = 0;
        for (size_t q = 0; q < k * (d + 1); q++) {
            moved |= w[q] != 0.0; /* the start is all zeros */
        }
        *fit = res.stop == IMBAL_LBFGSB_MAXITER || res.stop == IMBAL_LBFGSB_MAXFUN
                   ? IMBAL_FIT_MAX_ITER
               : res.stop == IMBAL_LBFGSB_ABNORMAL || (res.stop == IMBAL_LBFGSB_FACTR && !moved)
                   ? IMBAL_FIT_STALLED
                   : IMBAL_FIT_CONVERGED;
    }
    if (*fit != IMBAL_FIT_CONVERGED) {
        st = imbal_fail(err, IMBAL_ENOCONV,
                        "lbfgs: %s after %zu iterations (max |grad| %g > tol %g)",
                        res.stop == IMBAL_LBFGSB_MAXITER   ? "max_iter reached"
                        : res.stop == IMBAL_LBFGSB_MAXFUN  ? "too many evaluations"
                        : res.stop == IMBAL_LBFGSB_ABNORMAL ? "line search failed"
                                                            : "no step from the start",
                        res.n_iter, res.pg_max, tol);
    }
cleanup:
    free(w);
    free(ctx.loss_pt);
    free(ctx.grad_pt);
    free(ctx.raw);
    return st;
}
