/* The exact solver of logreg.h: Newton's method on the L2-regularised logistic objective with an
 * Armijo backtracking line search. For up to IMBAL_LOGREG_DENSE_MAX_D features the Newton system
 * is solved by a GSL Cholesky factorisation of the (d + 1)^2 Hessian; beyond, by preconditioned
 * conjugate gradients on Hessian-vector products (truncated Newton), which costs O(n d) per
 * product instead of O(n d^2) to form the Hessian. Losses use log1p forms so nothing overflows. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "alloc.h"
#include "logreg_impl.h"

#define NEWTON_ARMIJO 1e-4     /* sufficient decrease constant */
#define NEWTON_MAX_HALVINGS 60 /* step 2^-60: nothing left to try */
#define NEWTON_RIDGE_TRIES 8

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

/* w.x_i + b for every row, w summed in feature order, then the intercept added */
static void newton_decision(const imbal_logreg_problem *pb, const double *theta, double *z)
{
    for (size_t i = 0; i < pb->n; i++) {
        z[i] = newton_dot(theta, pb->x + i * pb->d, pb->d) + theta[pb->d];
    }
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

/* Row curvatures s_i p_i (1 - p_i): the Hessian is diag(1, .., 1, 0) + C X~' D X~ with
 * X~ = [X 1]. */
static void newton_curvature(const imbal_logreg_problem *pb, const double *z, double *curv)
{
    for (size_t i = 0; i < pb->n; i++) {
        curv[i] = pb->s[i] * newton_sigmoid(z[i]) * newton_sigmoid(-z[i]);
    }
}

/* The full (d + 1)^2 Hessian, row-major, each entry summed in row order. */
static void newton_hessian(const imbal_logreg_problem *pb, const double *curv, double *h)
{
    size_t d = pb->d;
    size_t m = d + 1;
    memset(h, 0, m * m * sizeof(*h));
    for (size_t i = 0; i < pb->n; i++) {
        const double *xi = pb->x + i * d;
        for (size_t j = 0; j < d; j++) {
            double v = curv[i] * xi[j];
            double *row = h + j * m;
            for (size_t k = 0; k <= j; k++) {
                row[k] += v * xi[k];
            }
            h[d * m + j] += v;
        }
        h[d * m + d] += curv[i];
    }
    for (size_t j = 0; j < m; j++) {
        for (size_t k = 0; k <= j; k++) {
            h[j * m + k] *= pb->C;
            h[k * m + j] = h[j * m + k];
        }
    }
    for (size_t j = 0; j < d; j++) {
        h[j * m + j] += 1.0; /* the penalty; the intercept has none */
    }
}

double imbal_logreg_newton_dir(const double *h, size_t m, const double *g, double *dir,
                               double *l)
{
    double ridge = 0.0;
    double max_diag = 1.0;
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

/* out = H v through the data: v_w + C X~' D (X~ v); t is n scratch */
static void newton_hess_vec(const imbal_logreg_problem *pb, const double *curv, const double *v,
                            double *out, double *t)
{
    size_t d = pb->d;
    newton_decision(pb, v, t);
    memset(out, 0, (d + 1) * sizeof(*out));
    for (size_t i = 0; i < pb->n; i++) {
        const double *xi = pb->x + i * d;
        double a = curv[i] * t[i];
        for (size_t j = 0; j < d; j++) {
            out[j] += a * xi[j];
        }
        out[d] += a;
    }
    for (size_t j = 0; j < d; j++) {
        out[j] = v[j] + pb->C * out[j];
    }
    out[d] = pb->C * out[d];
}

/* Scratch for conjugate gradients: 5 vectors of d + 1 and one of n. */
typedef struct {
    double *r, *p, *hp, *zr, *precond, *t;
} newton_cg_work;

/* Truncated Newton direction: Jacobi-preconditioned CG on H dir = -g from 0, stopped at
 * ||residual|| <= eta ||g|| or 2 (d + 1) steps. Every CG iterate from 0 is a descent direction
 * while H is positive definite; on non-positive curvature the iterate so far is kept (-g if
 * none). */
static void newton_cg_dir(const imbal_logreg_problem *pb, const double *curv, const double *g,
                          double eta, double *dir, newton_cg_work *w)
{
    size_t d = pb->d;
    size_t m = d + 1;
    size_t max_steps = 2 * m;
    double target;
    double rz;
    for (size_t j = 0; j < m; j++) {
        w->precond[j] = 0.0;
    }
    for (size_t i = 0; i < pb->n; i++) {
        const double *xi = pb->x + i * d;
        for (size_t j = 0; j < d; j++) {
            w->precond[j] += curv[i] * xi[j] * xi[j];
        }
        w->precond[d] += curv[i];
    }
    for (size_t j = 0; j < m; j++) {
        w->precond[j] = (j < d ? 1.0 : 0.0) + pb->C * w->precond[j];
        if (!(w->precond[j] > 0.0)) {
            w->precond[j] = 1.0;
        }
        dir[j] = 0.0;
        w->r[j] = -g[j];
        w->zr[j] = w->r[j] / w->precond[j];
        w->p[j] = w->zr[j];
    }
    target = eta * sqrt(newton_dot(g, g, m));
    rz = newton_dot(w->r, w->zr, m);
    for (size_t step = 0; step < max_steps; step++) {
        double php;
        double alpha;
        double rz_next;
        if (sqrt(newton_dot(w->r, w->r, m)) <= target) {
            break;
        }
        newton_hess_vec(pb, curv, w->p, w->hp, w->t);
        php = newton_dot(w->p, w->hp, m);
        if (!(php > 0.0)) {
            if (step == 0) {
                for (size_t j = 0; j < m; j++) {
                    dir[j] = -g[j];
                }
            }
            break;
        }
        alpha = rz / php;
        for (size_t j = 0; j < m; j++) {
            dir[j] += alpha * w->p[j];
            w->r[j] -= alpha * w->hp[j];
            w->zr[j] = w->r[j] / w->precond[j];
        }
        rz_next = newton_dot(w->r, w->zr, m);
        for (size_t j = 0; j < m; j++) {
            w->p[j] = w->zr[j] + (rz_next / rz) * w->p[j];
        }
        rz = rz_next;
    }
}

/* Working memory of one solve, one allocation carved into vectors. */
typedef struct {
    double *block;
    double *theta_new, *g, *g_new, *dir; /* d + 1 each */
    double *z, *curv;                    /* n each */
    double *h, *l;                       /* (d + 1)^2 each, dense only */
    newton_cg_work cg;                   /* CG only */
} newton_work;

static imbal_status newton_work_alloc(const imbal_logreg_problem *pb, int dense, newton_work *w,
                                      imbal_error *err)
{
    size_t m = pb->d + 1;
    size_t total;
    double *p;
    memset(w, 0, sizeof(*w));
    if (pb->d > SIZE_MAX / 64 || pb->n > SIZE_MAX / 64 ||
        (dense && m > (SIZE_MAX / 64) / m)) {
        return imbal_fail(err, IMBAL_ENOMEM, "logistic regression of %zu x %zu is too large",
                          pb->n, pb->d);
    }
    total = 4 * m + 2 * pb->n + (dense ? 2 * m * m : 5 * m + pb->n);
    w->block = imbal_malloc(total, sizeof(double));
    if (w->block == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for logistic regression (%zu x %zu)",
                          pb->n, pb->d);
    }
    p = w->block;
    w->theta_new = p;
    w->g = p + m;
    w->g_new = p + 2 * m;
    w->dir = p + 3 * m;
    w->z = p + 4 * m;
    w->curv = w->z + pb->n;
    p = w->curv + pb->n;
    if (dense) {
        w->h = p;
        w->l = p + m * m;
    } else {
        w->cg.r = p;
        w->cg.p = p + m;
        w->cg.hp = p + 2 * m;
        w->cg.zr = p + 3 * m;
        w->cg.precond = p + 4 * m;
        w->cg.t = p + 5 * m;
    }
    return IMBAL_OK;
}

/* Backtracking from the full step. A step is taken when it decreases f enough (Armijo) or,
 * near the optimum where f can no longer resolve the decrease, when f moved by rounding noise
 * only and the gradient shrank. On success theta, f, g and gmax hold the new point. */
static int newton_line_search(const imbal_logreg_problem *pb, newton_work *w, double *theta,
                              double *f, double *gmax)
{
    size_t m = pb->d + 1;
    double slope = newton_dot(w->g, w->dir, m);
    double noise = 1e-12 * (1.0 + fabs(*f));
    double step = 1.0;
    for (int k = 0; k <= NEWTON_MAX_HALVINGS; k++) {
        double f_new;
        double gmax_new;
        for (size_t j = 0; j < m; j++) {
            w->theta_new[j] = theta[j] + step * w->dir[j];
        }
        f_new = imbal_logreg_objective(pb, w->theta_new, w->g_new, w->z);
        gmax_new = newton_max_abs(w->g_new, m);
        if (isfinite(f_new) && (f_new <= *f + NEWTON_ARMIJO * step * slope ||
                                (f_new - *f <= noise && gmax_new < *gmax))) {
            memcpy(theta, w->theta_new, m * sizeof(*theta));
            memcpy(w->g, w->g_new, m * sizeof(*w->g));
            *f = f_new;
            *gmax = gmax_new;
            return 1;
        }
        step *= 0.5;
    }
    return 0;
}

imbal_status imbal_logreg_newton(const imbal_logreg_problem *pb, int dense, double tol,
                                 size_t max_iter, double *theta, size_t *n_iter,
                                 double *grad_max, imbal_error *err)
{
    newton_work w;
    size_t m = pb->d + 1;
    size_t it = 0;
    double f;
    double gmax;
    double gmax0;
    imbal_status st = newton_work_alloc(pb, dense, &w, err);
    *n_iter = 0;
    *grad_max = INFINITY;
    if (st != IMBAL_OK) {
        return st;
    }
    f = imbal_logreg_objective(pb, theta, w.g, w.z);
    gmax = newton_max_abs(w.g, m);
    gmax0 = gmax;
    while (!(gmax <= tol)) {
        if (it == max_iter) {
            st = imbal_fail(err, IMBAL_ENOCONV,
                            "logistic regression did not converge in %zu iterations "
                            "(max |gradient| %.3g > tol %.3g)",
                            max_iter, gmax, tol);
            goto cleanup;
        }
        /* z holds the decision values at theta: the last objective call was at theta */
        newton_curvature(pb, w.z, w.curv);
        if (dense) {
            newton_hessian(pb, w.curv, w.h);
            imbal_logreg_newton_dir(w.h, m, w.g, w.dir, w.l);
        } else {
            /* forcing term sqrt(|g| / |g0|): loose far away, tight near the optimum */
            double eta = sqrt(gmax / gmax0);
            newton_cg_dir(pb, w.curv, w.g, eta < 0.5 ? eta : 0.5, w.dir, &w.cg);
        }
        if (!(newton_dot(w.g, w.dir, m) < 0.0)) {
            for (size_t j = 0; j < m; j++) {
                w.dir[j] = -w.g[j];
            }
        }
        it++;
        if (!newton_line_search(pb, &w, theta, &f, &gmax)) {
            st = imbal_fail(err, IMBAL_ENOCONV,
                            "logistic regression line search failed at iteration %zu "
                            "(max |gradient| %.3g > tol %.3g)",
                            it, gmax, tol);
            goto cleanup;
        }
        /* the accepted trial left its decision values in w.z */
    }
cleanup:
    *n_iter = it;
    *grad_max = gmax;
    free(w.block);
    return st;
}
