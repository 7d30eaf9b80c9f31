/* The exact solver of logreg.h: Newton's method on the L2-regularised logistic objective with an
 * Armijo backtracking line search. For up to IMBAL_LOGREG_DENSE_MAX_D features the Newton system
 * is solved by a GSL Cholesky factorisation of the (d + 1)^2 Hessian, reused for a chord step
 * when that should do as well as a new one; beyond, by preconditioned conjugate gradients on
 * Hessian-vector products (truncated Newton), which costs O(n d) per product instead of
 * O(n d^2) to form the Hessian, and memory O(n d) instead of O(d^2). The passes over the rows
 * are in logreg_panel.c. Steps are accepted on a bound of the objective (newton_certified) that
 * needs no logarithms, so the loss itself is evaluated only when the bound is not enough. The
 * solve stops on an absolute rule and one relative to the size of each gradient's terms
 * (newton_relative), so extreme weights, C or feature scales converge to the optimum; columns
 * beyond 16 are rescaled by powers of two (newton_column_scales) so none overflows. */
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "alloc.h"
#include "logreg_impl.h"

#define NEWTON_ARMIJO 1e-4     /* sufficient decrease constant */
#define NEWTON_MAX_HALVINGS 60 /* step 2^-60: nothing left to try */
#define NEWTON_RIDGE_TRIES 8
/* The Hessian's data part changes by at most the factor e^M when no decision value moves by
 * more than M, so a step with an old factorisation (a chord step) shrinks the gradient by
 * about M. One is taken instead of forming a new Hessian when that lands the gradient
 * NEWTON_CHORD_MARGIN inside the tolerance, as deep as the Newton step would: the returned
 * point stays as close to the optimum as logreg.h reports. */
#define NEWTON_CHORD_MARGIN 1e-3
/* Columns with a value beyond this are scaled by a power of two into [0.5, 1) before the solve
 * (see newton_column_scales); smaller ones are left as they are. */
#define NEWTON_SCALE_ABOVE 16.0

/* GSL's default error handler prints and aborts the process (a non-definite Hessian reaches
 * it through gsl_linalg_cholesky_decomp1), and a library must do neither: libimbal turns it
 * off itself, once per process, before its first GSL call, instead of relying on its caller.
 * pthread_once makes the first calls from several threads safe. */
static pthread_once_t newton_gsl_once = PTHREAD_ONCE_INIT;

static void newton_gsl_quiet(void)
{
    gsl_set_error_handler_off();
}

void imbal_logreg_gsl_init(void)
{
    pthread_once(&newton_gsl_once, newton_gsl_quiet);
}

/* 1 / (1 + exp(-z)) without overflow */
static double newton_sigmoid(double z)
{
    if (z >= 0) {
        return 1.0 / (1.0 + exp(-z));
    }
    double e = exp(z);
    return e / (1.0 + e);
}

/* log(1 + exp(z)) without overflow or cancellation */
static double newton_log1pexp(double z)
{
    return z > 0 ? z + log1p(exp(-z)) : log1p(exp(z));
}

static double newton_max_abs(const double *v, size_t m)
{
    double mx = 0.0;
    for (size_t j = 0; j < m; j++) {
        if (fabs(v[j]) > mx) {
            mx = fabs(v[j]);
        }
    }
    return mx;
}

static double newton_dot(const double *a, const double *b, size_t m)
{
    double s = 0.0;
    for (size_t j = 0; j < m; j++) {
        s += a[j] * b[j];
    }
    return s;
}

double imbal_logreg_objective(const imbal_logreg_problem *pb, const double *theta, double *grad,
                              double *z)
{
    size_t d = pb->d;
    double loss = 0.0;
    if (grad != NULL) {
        memset(grad, 0, (d + 1) * sizeof(*grad));
    }
    for (size_t i = 0; i < pb->n; i++) {
        const double *xi = pb->x + i * d;
        double zi = newton_dot(theta, xi, d) + theta[d];
        /* the loss of a positive row is log(1 + e^-z), of a negative one log(1 + e^z);
         * r is its derivative in z: sigmoid(z) - y, formed without cancellation */
        double li = pb->y[i] ? newton_log1pexp(-zi) : newton_log1pexp(zi);
        double ri = pb->y[i] ? -newton_sigmoid(-zi) : newton_sigmoid(zi);
        if (z != NULL) {
            z[i] = zi;
        }
        loss += pb->s[i] * li;
        if (grad != NULL) {
            double a = pb->s[i] * ri;
            for (size_t j = 0; j < d; j++) {
                grad[j] += a * xi[j];
            }
            grad[d] += a;
        }
    }
    if (grad != NULL) {
        for (size_t j = 0; j < d; j++) {
            grad[j] = theta[j] + pb->C * grad[j];
        }
        grad[d] = pb->C * grad[d];
    }
    return 0.5 * newton_dot(theta, theta, d) + pb->C * loss;
}

double imbal_logreg_newton_dir(const double *h, size_t m, const double *g, double *dir,
                               double *l)
{
    double ridge = 0.0;
    double max_diag = 1.0;
    imbal_logreg_gsl_init();
    for (size_t j = 0; j < m; j++) {
        if (h[j * m + j] > max_diag) {
            max_diag = h[j * m + j];
        }
    }
    for (int attempt = 0; attempt <= NEWTON_RIDGE_TRIES; attempt++) {
        gsl_matrix_view lv = gsl_matrix_view_array(l, m, m);
        gsl_vector_const_view gv = gsl_vector_const_view_array(g, m);
        gsl_vector_view dv = gsl_vector_view_array(dir, m);
        memcpy(l, h, m * m * sizeof(*l));
        for (size_t j = 0; j < m; j++) {
            l[j * m + j] += ridge;
        }
        /* GSL_EDOM when not positive definite; the error handler is off, so it returns */
        if (gsl_linalg_cholesky_decomp1(&lv.matrix) == GSL_SUCCESS &&
            gsl_linalg_cholesky_solve(&lv.matrix, &gv.vector, &dv.vector) == GSL_SUCCESS) {
            int finite = 1;
            for (size_t j = 0; j < m; j++) {
                dir[j] = -dir[j];
                finite = finite && isfinite(dir[j]);
            }
            if (finite) {
                return ridge;
            }
        }
        ridge = ridge == 0.0 ? 1e-10 * max_diag : ridge * 100.0;
    }
    for (size_t j = 0; j < m; j++) {
        dir[j] = -g[j];
    }
    return -1.0;
}

/* Scratch for conjugate gradients: 5 vectors of d + 1. */
typedef struct {
    double *r, *p, *hp, *zr, *precond;
} newton_cg_work;

/* Working memory of one solve, one allocation carved into vectors. The arrays of a value per
 * row come in pairs (the current point and the trial point) swapped when a step is taken.
 * Memory is linear in d except h, l and the Gram lane sums of the dense path. */
typedef struct {
    double *block;
    imbal_logreg_panel pn;
    double *theta_new, *g, *g_new, *dir; /* d + 1 each */
    double *size;                        /* d + 1: the size of each gradient's terms */
    double *col_scale, *penalty;         /* d each: 2^-e_j and 2^-2e_j (newton_column_scales) */
    double *z, *z_new, *c, *c_new, *r;   /* a value per padded row each */
    double *acc;                         /* lane sums: (d + 2) (d + 1) LANES dense, else d + 1 */
    double *h, *l;                       /* (d + 1)^2 each, dense only */
    newton_cg_work cg;                   /* CG only */
} newton_work;

/* The solver works on x_ij 2^-e_j and w_j 2^e_j, which leaves every product w_j x_ij and so the
 * problem unchanged, with the penalty 0.5 sum_j 2^-2e_j (w_j 2^e_j)^2. e_j = 0 unless column j
 * has a value beyond NEWTON_SCALE_ABOVE; then the column's largest |x_ij| lands in [0.5, 1), so
 * that at 1e300 its squares and the Hessian cannot overflow. (Tiny columns need nothing: their
 * penalty dominates.) The penalty of a column at 1e300 underflows to 0: that coefficient is,
 * to double precision, unpenalised, and for a constant column it would trade places with the
 * intercept. A constant column's coefficient is exactly 0 at the optimum (its gradient is
 * w_j + x_1j times the intercept's, both 0 there), so a scaled constant column gets scale 0:
 * the solver sees zeros and keeps its coefficient at 0. */
static void newton_column_scales(const imbal_logreg_problem *pb, double *col_scale,
                                 double *penalty)
{
    size_t d = pb->d;
    for (size_t j = 0; j < d; j++) {
        col_scale[j] = 0.0; /* the largest |x_ij| for now */
        penalty[j] = 1.0;   /* 1 while column j is constant */
    }
    for (size_t i = 0; i < pb->n; i++) {
        for (size_t j = 0; j < d; j++) {
            double a = fabs(pb->x[i * d + j]);
            col_scale[j] = a > col_scale[j] ? a : col_scale[j];
            /* exact comparison: constant means every bit equal */
            penalty[j] = pb->x[i * d + j] == pb->x[j] ? penalty[j] : 0.0;
        }
    }
    for (size_t j = 0; j < d; j++) {
        int e = col_scale[j] > NEWTON_SCALE_ABOVE ? ilogb(col_scale[j]) + 1 : 0;
        int constant = penalty[j] == 1.0;
        col_scale[j] = e > 0 && constant ? 0.0 : ldexp(1.0, -e);
        penalty[j] = e > 0 && constant ? 1.0 : ldexp(1.0, -2 * e);
    }
}

/* Lays the rows out (imbal_logreg_repeats, imbal_logreg_panel_fill) in w->pn and carves the
 * rest of the working memory. */
static imbal_status newton_work_alloc(const imbal_logreg_problem *pb, int dense, newton_work *w,
                                      imbal_error *err)
{
    size_t m = pb->d + 1;
    size_t n_rows = 0;
    size_t n_pad;
    size_t total;
    size_t acc_len;
    size_t *row = NULL;
    double *p;
    imbal_status st;
    memset(w, 0, sizeof(*w));
    if (pb->d > SIZE_MAX / 64 || pb->n > SIZE_MAX / 64 || (dense && m > (SIZE_MAX / 64) / m) ||
        imbal_logreg_panel_rows(pb->n) > (SIZE_MAX / 64) / m) {
        return imbal_fail(err, IMBAL_ENOMEM, "logistic regression of %zu x %zu is too large",
                          pb->n, pb->d);
    }
    row = imbal_malloc(pb->n > 0 ? pb->n : 1, sizeof(*row));
    if (row == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for logistic regression (%zu x %zu)",
                          pb->n, pb->d);
    }
    st = imbal_logreg_repeats(pb, row, &n_rows, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    n_pad = imbal_logreg_panel_rows(n_rows);
    acc_len = (dense ? m + 1 : 1) * m * IMBAL_LOGREG_LANES; /* the Gram pass needs (m + 1) m */
    total = n_pad * (m + 7) + 7 * m + acc_len + (dense ? 2 * m * m : 5 * m) + 8;
    w->block = imbal_malloc(total, sizeof(double));
    if (w->block == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for logistic regression (%zu x %zu)",
                        pb->n, pb->d);
        goto cleanup;
    }
    /* 64-byte alignment: the passes' vector loads then never straddle a cache line (the
     * arrays up to acc are whole numbers of blocks long, so all of them stay aligned) */
    p = w->block + (64 - (uintptr_t)w->block % 64) % 64 / sizeof(double);
    w->pn.x = p;
    p += n_pad * m;
    w->pn.s = p;
    w->pn.y = p + n_pad;
    w->z = p + 2 * n_pad;
    w->z_new = p + 3 * n_pad;
    w->c = p + 4 * n_pad;
    w->c_new = p + 5 * n_pad;
    w->r = p + 6 * n_pad;
    w->acc = p + 7 * n_pad;
    p = w->acc + acc_len;
    w->theta_new = p;
    w->g = p + m;
    w->g_new = p + 2 * m;
    w->dir = p + 3 * m;
    w->size = p + 4 * m;
    w->col_scale = p + 5 * m;
    w->penalty = p + 6 * m;
    p += 7 * m;
    if (dense) {
        w->h = p;
        w->l = p + m * m;
    } else {
        w->cg.r = p;
        w->cg.p = p + m;
        w->cg.hp = p + 2 * m;
        w->cg.zr = p + 3 * m;
        w->cg.precond = p + 4 * m;
    }
    newton_column_scales(pb, w->col_scale, w->penalty);
    imbal_logreg_panel_fill_scaled(pb, row, n_rows, w->col_scale, &w->pn);
cleanup:
    free(row);
    return st;
}

/* One pass at theta: its decision values z, row curvatures c and gradient g. */
static void newton_gradient(const imbal_logreg_problem *pb, newton_work *w, const double *theta,
                            double *z, double *c, double *g)
{
    imbal_logreg_panel_eval(&w->pn, theta, z, w->r, c, g, w->acc);
    for (size_t j = 0; j < pb->d; j++) {
        g[j] = w->penalty[j] * theta[j] + pb->C * g[j];
    }
    g[pb->d] = pb->C * g[pb->d];
}

/* 0.5 sum_j penalty_j theta_j^2, in index order (the bits of 0.5 ||theta||^2 at penalty 1) */
static double newton_penalty(const newton_work *w, const double *theta, size_t d)
{
    double s = 0.0;
    for (size_t j = 0; j < d; j++) {
        s += (w->penalty[j] * theta[j]) * theta[j];
    }
    return 0.5 * s;
}

/* The objective at theta from its decision values z */
static double newton_objective(const imbal_logreg_problem *pb, newton_work *w,
                               const double *theta, const double *z)
{
    return newton_penalty(w, theta, pb->d) + pb->C * imbal_logreg_panel_loss(&w->pn, z, w->r);
}

/* The largest |g_j| / (T_j + DBL_MIN) at theta (decision values w->z, gradient w->g), T_j the
 * size of the terms g_j sums: penalty_j |theta_j| + C sum_i |r_i| |x~_ij|. Rounding leaves g_j
 * an error of a few ulps of T_j, whatever the scale of C, the weights or column j; DBL_MIN
 * keeps a component whose terms all underflow from counting. One pass over the rows. */
static double newton_relative(const imbal_logreg_problem *pb, newton_work *w, const double *theta)
{
    size_t m = pb->d + 1;
    double worst = 0.0;
    imbal_logreg_panel_abs_xt(&w->pn, w->z, w->size, w->acc);
    for (size_t j = 0; j < m; j++) {
        double t = pb->C * w->size[j] + (j < pb->d ? w->penalty[j] * fabs(theta[j]) : 0.0);
        double q = fabs(w->g[j]) / (t + DBL_MIN);
        worst = q > worst ? q : worst;
    }
    return worst;
}

/* The Hessian diag(penalty, 0) + C X~' D X~, D = diag(c), into w->h. */
static void newton_hessian(const imbal_logreg_problem *pb, newton_work *w)
{
    size_t m = pb->d + 1;
    imbal_logreg_panel_gram(&w->pn, w->c, w->h, w->acc, w->acc + m * m * IMBAL_LOGREG_LANES);
    for (size_t j = 0; j < m * m; j++) {
        w->h[j] *= pb->C;
    }
    for (size_t j = 0; j < pb->d; j++) {
        w->h[j * m + j] += w->penalty[j]; /* the intercept has none */
    }
}

/* The quasi-Newton direction -H0^-1 g from the Cholesky factor w->l of an earlier Hessian H0
 * (the chord method): near the optimum the Hessian hardly changes, and reusing it saves the
 * O(n d^2) pass that forms a new one. */
static void newton_chord_dir(newton_work *w, size_t m)
{
    gsl_matrix_view lv = gsl_matrix_view_array(w->l, m, m);
    gsl_vector_const_view gv = gsl_vector_const_view_array(w->g, m);
    gsl_vector_view dv = gsl_vector_view_array(w->dir, m);
    if (gsl_linalg_cholesky_solve(&lv.matrix, &gv.vector, &dv.vector) != GSL_SUCCESS) {
        memcpy(w->dir, w->g, m * sizeof(*w->dir));
    }
    for (size_t j = 0; j < m; j++) {
        w->dir[j] = -w->dir[j];
    }
}

/* out = H v through the data: v_w + C X~' D (X~ v); uses w->r and w->z_new as scratch */
static void newton_hess_vec(const imbal_logreg_problem *pb, newton_work *w, const double *v,
                            double *out)
{
    size_t n_pad = w->pn.n_blocks * IMBAL_LOGREG_LANES;
    imbal_logreg_panel_decision(&w->pn, v, w->z_new);
    for (size_t i = 0; i < n_pad; i++) {
        w->r[i] = w->c[i] * w->z_new[i];
    }
    imbal_logreg_panel_xt(&w->pn, w->r, out, w->acc);
    for (size_t j = 0; j < pb->d; j++) {
        out[j] = w->penalty[j] * v[j] + pb->C * out[j];
    }
    out[pb->d] = pb->C * out[pb->d];
}

/* Truncated Newton direction: Jacobi-preconditioned CG on H dir = -g from 0, stopped at
 * ||residual|| <= eta ||g|| or 2 (d + 1) steps. Every CG iterate from 0 is a descent direction
 * while H is positive definite; on non-positive curvature the iterate so far is kept (-g if
 * none). */
static void newton_cg_dir(const imbal_logreg_problem *pb, newton_work *w, double eta)
{
    newton_cg_work *cg = &w->cg;
    size_t d = pb->d;
    size_t m = d + 1;
    size_t max_steps = 2 * m;
    double target;
    double rz;
    imbal_logreg_panel_gram_diag(&w->pn, w->c, cg->precond, w->acc);
    for (size_t j = 0; j < m; j++) {
        cg->precond[j] = (j < d ? w->penalty[j] : 0.0) + pb->C * cg->precond[j];
        if (!(cg->precond[j] > 0.0)) {
            cg->precond[j] = 1.0;
        }
        w->dir[j] = 0.0;
        cg->r[j] = -w->g[j];
        cg->zr[j] = cg->r[j] / cg->precond[j];
        cg->p[j] = cg->zr[j];
    }
    target = eta * sqrt(newton_dot(w->g, w->g, m));
    rz = newton_dot(cg->r, cg->zr, m);
    for (size_t step = 0; step < max_steps; step++) {
        double php;
        double alpha;
        double rz_next;
        if (sqrt(newton_dot(cg->r, cg->r, m)) <= target) {
            break;
        }
        newton_hess_vec(pb, w, cg->p, cg->hp);
        php = newton_dot(cg->p, cg->hp, m);
        if (!(php > 0.0)) {
            if (step == 0) {
                for (size_t j = 0; j < m; j++) {
                    w->dir[j] = -w->g[j];
                }
            }
            break;
        }
        alpha = rz / php;
        for (size_t j = 0; j < m; j++) {
            w->dir[j] += alpha * cg->p[j];
            cg->r[j] -= alpha * cg->hp[j];
            cg->zr[j] = cg->r[j] / cg->precond[j];
        }
        rz_next = newton_dot(cg->r, cg->zr, m);
        for (size_t j = 0; j < m; j++) {
            cg->p[j] = cg->zr[j] + (rz_next / rz) * cg->p[j];
        }
        rz = rz_next;
    }
}

/* 1 when the step from theta to w->theta_new (decision values w->z, w->z_new, curvatures w->c,
 * w->c_new) provably meets the Armijo condition, slope being f'(0) along it: no logarithm
 * needed. Row i's decision value moves by u_i, and its loss changes by its linear term, which
 * slope holds, plus a remainder of at most u_i^2 / 2 times the largest s_i sigmoid' on the
 * way (imbal_logreg_panel_remainder); the penalty's remainder is
 * sum_j penalty_j (step dir_j)^2 / 2. */
static int newton_certified(const imbal_logreg_problem *pb, const newton_work *w, double step,
                            double slope, double *shift)
{
    double dw2 = 0.0;
    double rest = imbal_logreg_panel_remainder(&w->pn, w->z, w->z_new, w->c, w->c_new, shift);
    for (size_t j = 0; j < pb->d; j++) {
        dw2 += w->penalty[j] * ((step * w->dir[j]) * (step * w->dir[j]));
    }
    return slope < 0.0 && slope + 0.5 * dw2 + 0.5 * pb->C * rest <= NEWTON_ARMIJO * slope;
}

static void newton_swap(double **a, double **b)
{
    double *t = *a;
    *a = *b;
    *b = t;
}

/* Backtracking from the full step along w->dir. A step is taken when it
 * provably decreases f enough (newton_certified, no objective needed), when f does (Armijo),
 * or, near the optimum where f can no longer resolve the decrease, when f moved by rounding
 * noise only and the gradient shrank. *f is the objective at theta when *f_known. On success
 * theta, w->z, w->c, w->g and gmax hold the new point and *shift the largest change of a
 * decision value. */
static int newton_line_search(const imbal_logreg_problem *pb, newton_work *w, double *theta,
                              double *f, int *f_known, double *gmax, double *shift)
{
    size_t m = pb->d + 1;
    double slope = newton_dot(w->g, w->dir, m);
    double step = 1.0;
    for (int k = 0; k <= NEWTON_MAX_HALVINGS; k++) {
        double gmax_new;
        int ok;
        for (size_t j = 0; j < m; j++) {
            w->theta_new[j] = theta[j] + step * w->dir[j];
        }
        newton_gradient(pb, w, w->theta_new, w->z_new, w->c_new, w->g_new);
        ok = newton_certified(pb, w, step, step * slope, shift);
        gmax_new = newton_max_abs(w->g_new, m);
        if (!ok) {
            double f_new;
            if (!*f_known) {
                *f = newton_objective(pb, w, theta, w->z);
                *f_known = 1;
            }
            f_new = newton_objective(pb, w, w->theta_new, w->z_new);
            ok = isfinite(f_new) && (f_new <= *f + NEWTON_ARMIJO * step * slope ||
                                     (f_new - *f <= 1e-12 * (1.0 + fabs(*f)) && gmax_new < *gmax));
            if (ok) {
                *f = f_new;
            }
        } else {
            *f_known = 0;
        }
        if (ok) {
            memcpy(theta, w->theta_new, m * sizeof(*theta));
            newton_swap(&w->g, &w->g_new);
            newton_swap(&w->z, &w->z_new);
            newton_swap(&w->c, &w->c_new);
            *gmax = gmax_new;
            return 1;
        }
        step *= 0.5;
    }
    return 0;
}

/* Why theta is not yet a solution, for an ENOCONV message: the gradient against tol, or, when
 * that is met, against its terms' size. */
static void newton_why(char *buf, size_t len, double gmax, double tol, double rel,
                       double rel_tol)
{
    if (!(gmax <= tol)) {
        snprintf(buf, len, "max |gradient| %.3g > tol %.3g", gmax, tol);
    } else {
        snprintf(buf, len, "max |gradient| %.3g, %.3g of its terms' size > %.3g", gmax, rel,
                 rel_tol);
    }
}

imbal_status imbal_logreg_newton(const imbal_logreg_problem *pb, int dense, double tol,
                                 double rel_tol, size_t max_iter, double *theta, size_t *n_iter,
                                 double *grad_max, double *grad_rel,
                                 imbal_logreg_fit_status *fit, imbal_error *err)
{
    imbal_logreg_fit_status fit_local = IMBAL_FIT_CONVERGED;
    newton_work w;
    size_t m = pb->d + 1;
    size_t it = 0;
    double f = 0.0;
    int f_known = 0;
    double gmax;
    double gmax0;
    double rel = INFINITY;   /* newton_relative at theta, when rel_known */
    int rel_known = 0;
    double drift = INFINITY; /* decision values' movement since w.l was factorised */
    char why[128];
    imbal_status st;
    imbal_logreg_gsl_init();
    st = newton_work_alloc(pb, dense, &w, err);
    *n_iter = 0;
    *grad_max = INFINITY;
    *grad_rel = INFINITY;
    if (st != IMBAL_OK) {
        return st;
    }
    for (size_t j = 0; j < pb->d; j++) {
        /* into the solver's coordinates, exactly; a scale 0 pins the coefficient at 0 */
        theta[j] = w.col_scale[j] > 0.0 ? theta[j] / w.col_scale[j] : 0.0;
    }
    newton_gradient(pb, &w, theta, w.z, w.c, w.g);
    gmax = newton_max_abs(w.g, m);
    gmax0 = gmax;
    for (;;) {
        double shift = INFINITY;
        int chord;
        /* the relative test needs a pass over the rows: only once the absolute one holds */
        if (gmax <= tol) {
            rel = newton_relative(pb, &w, theta);
            rel_known = 1;
            if (rel_tol <= 0.0 || rel <= rel_tol) {
                break;
            }
        }
        if (it == max_iter) {
            newton_why(why, sizeof(why), gmax, tol, rel, rel_tol);
            st = imbal_fail(err, IMBAL_ENOCONV,
                            "logistic regression did not converge in %zu iterations (%s)",
                            max_iter, why);
            fit_local = IMBAL_FIT_MAX_ITER;
            goto cleanup;
        }
        /* a chord step should land as deep inside both rules as a Newton step would */
        chord = dense && drift * gmax <= NEWTON_CHORD_MARGIN * tol;
        if (chord && rel_tol > 0.0) {
            if (!rel_known) {
                rel = newton_relative(pb, &w, theta);
            }
            chord = drift * rel <= NEWTON_CHORD_MARGIN * rel_tol;
        }
        if (chord) {
            newton_chord_dir(&w, m);
        } else if (dense) {
            /* w.c holds the row curvatures at theta */
            newton_hessian(pb, &w);
            drift = imbal_logreg_newton_dir(w.h, m, w.g, w.dir, w.l) >= 0.0 ? 0.0 : INFINITY;
        } else {
            /* forcing term sqrt(|g| / |g0|): loose far away, tight near the optimum */
            double eta = sqrt(gmax / gmax0);
            newton_cg_dir(pb, &w, eta < 0.5 ? eta : 0.5);
        }
        if (!(newton_dot(w.g, w.dir, m) < 0.0)) {
            for (size_t j = 0; j < m; j++) {
                w.dir[j] = -w.g[j];
            }
        }
        it++;
        rel_known = 0;
        rel = INFINITY;
        if (!newton_line_search(pb, &w, theta, &f, &f_known, &gmax, &shift)) {
            if (gmax <= tol) {
                rel = newton_relative(pb, &w, theta);
            }
            newton_why(why, sizeof(why), gmax, tol, rel, rel_tol);
            st = imbal_fail(err, IMBAL_ENOCONV,
                            "logistic regression line search failed at iteration %zu (%s)", it,
                            why);
            fit_local = IMBAL_FIT_STALLED;
            goto cleanup;
        }
        drift += shift;
    }
    *grad_rel = rel;
cleanup:
    for (size_t j = 0; j < pb->d; j++) {
        theta[j] *= w.col_scale[j];
    }
    *n_iter = it;
    *grad_max = gmax;
    if (fit != NULL) {
        *fit = fit_local;
    }
    free(w.block);
    return st;
}
