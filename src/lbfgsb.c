/* L-BFGS-B without bounds, retracing SciPy 1.10's lbfgsb.f 3.0 so that scikit-learn's
 * default logistic regression can be reproduced iteration for iteration. Without bounds the
 * generalized Cauchy point is only needed with an empty memory (it is then x - g), and the
 * subspace step is the quasi-Newton step of the compact representation
 *   B = theta I - W M W',  W = [Y, theta S]
 * (Byrd, Nocedal, Schnabel 1994), solved through the same LEL' factorisation of the middle
 * matrix as L-BFGS-B, every operation in the reference's order so that the iterates agree bit
 * for bit with Debian's build (liblbfgsb0, which its SciPy calls): dot products in index order
 * (reference BLAS ddot: unrolled by 5 but summed left to right), the Cholesky factors and
 * triangular solves as reference LAPACK 3.11's dpotrf (recursive dpotrf2) and dtrtrs
 * (reference dtrsm), which Debian's copy calls where lbfgsb.f has LINPACK's dpofa and dtrsl:
 * the two round differently, and on a fit stopped at max_iter that decides the result. */
#include "lbfgsb.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/* lnsrlb's constants: the largest step, and the Moré-Thuente tolerances */
#define LB_STPMAX 1e10
#define LB_FTOL 1e-3
#define LB_GTOL 0.9
#define LB_XTOL 0.1

/* The limited memory. Pairs live in physical slots (head + k) % m, k = 0 oldest; the small
 * matrices are indexed by k and shifted when the oldest pair is dropped. */
typedef struct {
    size_t n, m;
    size_t col;    /* pairs held */
    size_t head;   /* physical slot of the oldest pair */
    size_t tail;   /* physical slot of the newest pair */
    size_t n_upd;  /* updates since the last reset */
    double theta;  /* y'y / s'y of the newest pair */
    double *ws;    /* m x n: s vectors */
    double *wy;    /* m x n: y vectors */
    double *sy;    /* m x m: [i][j] = s_i'y_j for j < i; [i][i] = s_i'y_i from line search */
    double *ss;    /* m x m: [i][j] = s_i's_j for i <= j */
    double *yy;    /* m x m: [i][j] = y_i'y_j for j <= i */
    double *rz;    /* m x m: [i][j] = s_i'y_j for i <= j, 0 below */
    double *wt;    /* m x m: theta SS + L D^-1 L', only to check it is positive definite */
    double *wn;    /* 2m x 2m: the factorised middle matrix (upper triangle) */
    double *wv;    /* 2m */
} lb_memory;

#define AT(a, ld, i, j) ((a)[(i) * (ld) + (j)])

static double lb_dot(size_t n, const double *a, const double *b)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        s = s + a[i] * b[i];
    }
    return s;
}

static double lb_max_abs(size_t n, const double *g)
{
    double v = 0.0;
    for (size_t i = 0; i < n; i++) {
        v = fmax(v, fabs(g[i]));
    }
    return v;
}

/* Column-wise dot of column i and column j of an upper-triangular ld x ld array, rows 0..k-1. */
static double lb_coldot(const double *a, size_t ld, size_t k, size_t i, size_t j)
{
    double s = 0.0;
    for (size_t r = 0; r < k; r++) {
        s = s + AT(a, ld, r, i) * AT(a, ld, r, j);
    }
    return s;
}

/* Solves U'X = B in place for the nb columns of B (rows 0..k-1, column c at b + c), U the
 * k x k upper triangle at a: reference BLAS dtrsm('L', 'U', 'T', 'N') with alpha 1, which is
 * what LAPACK's dtrtrs and dpotrf2 call. Each entry is formed as (((b_i - u_0i x_0) -
 * u_1i x_1) - ...) / u_ii: a running difference, not a dot product subtracted once. */
static void lb_trsm_ut(const double *a, size_t ld, size_t k, double *b, size_t ldb, size_t nb)
{
    for (size_t c = 0; c < nb; c++) {
        for (size_t i = 0; i < k; i++) {
            double t = AT(b, ldb, i, c);
            for (size_t r = 0; r < i; r++) {
                t = t - AT(a, ld, r, i) * AT(b, ldb, r, c);
            }
            AT(b, ldb, i, c) = t / AT(a, ld, i, i);
        }
    }
}

/* Cholesky A = U'U of the k x k upper triangle at a, as reference LAPACK 3.11's dpotrf does
 * it for k < 64 (its block size): dpotrf2, recursive: U11 of the first k/2 rows, then
 * U12 = U11'^-1 A12 (dtrsm), A22 - U12'U12 (dsyrk: each entry minus its whole dot product),
 * then U22. Debian's L-BFGS-B (liblbfgsb0, which its SciPy calls) factorises with it where
 * lbfgsb.f has LINPACK's dpofa. Returns 0 when a pivot is <= 0 or NaN. */
static int lb_potrf(double *a, size_t ld, size_t k)
{
    size_t n1;
    size_t n2;
    double *a22;
    if (k == 1) {
        if (!(a[0] > 0.0)) {
            return 0;
        }
        a[0] = sqrt(a[0]);
        return 1;
    }
    n1 = k / 2;
    n2 = k - n1;
    if (!lb_potrf(a, ld, n1)) {
        return 0;
    }
    lb_trsm_ut(a, ld, n1, a + n1, ld, n2);
    a22 = a + n1 * ld + n1;
    for (size_t j = 0; j < n2; j++) {
        for (size_t i = 0; i <= j; i++) {
            double t = 0.0;
            for (size_t l = 0; l < n1; l++) {
                t = t + AT(a, ld, l, n1 + i) * AT(a, ld, l, n1 + j);
            }
            AT(a22, ld, i, j) = -t + AT(a22, ld, i, j);
        }
    }
    return lb_potrf(a22, ld, n2);
}

/* The factorisation of the k x k block at (off, off). */
static int lb_cholesky(double *a, size_t ld, size_t off, size_t k)
{
    return lb_potrf(a + off * ld + off, ld, k);
}

/* Solves U'v = b in place, U the k x k upper triangle of a (dtrtrs 'U', 'T'). */
static void lb_solve_ut(const double *a, size_t ld, size_t k, double *v, size_t stride)
{
    lb_trsm_ut(a, ld, k, v, stride, 1);
}

/* Solves Uv = b in place (dtrtrs 'U', 'N': reference dtrsm, by columns from the last, a
 * zero entry skipping its column). */
static void lb_solve_u(const double *a, size_t ld, size_t k, double *v)
{
    for (size_t j = k; j-- > 0;) {
        if (v[j] != 0.0) {
            v[j] = v[j] / AT(a, ld, j, j);
            for (size_t r = 0; r < j; r++) {
                v[r] = v[r] - v[j] * AT(a, ld, r, j);
            }
        }
    }
}

static void lb_reset(lb_memory *mem)
{
    mem->col = 0;
    mem->head = 0;
    mem->tail = 0;
    mem->n_upd = 0;
    mem->theta = 1.0;
}

static double *lb_s(const lb_memory *mem, size_t k)
{
    return mem->ws + ((mem->head + k) % mem->m) * mem->n;
}

static double *lb_y(const lb_memory *mem, size_t k)
{
    return mem->wy + ((mem->head + k) % mem->m) * mem->n;
}

/* Stores the pair (s, y) with s'y = sy_new and s's = ss_new, dropping the oldest when full;
 * updates theta and the S'Y, S'S, Y'Y products (L-BFGS-B's matupd and formk). */
static void lb_push(lb_memory *mem, const double *s, const double *y, double yy_new,
                    double sy_new, double ss_new)
{
    size_t m = mem->m;
    size_t n = mem->n;
    size_t c;
    mem->n_upd++;
    if (mem->n_upd <= m) {
        mem->col = mem->n_upd;
        mem->tail = (mem->head + mem->n_upd - 1) % m;
    } else {
        mem->tail = (mem->tail + 1) % m;
        mem->head = (mem->head + 1) % m;
        for (size_t i = 0; i + 1 < m; i++) {
            for (size_t j = 0; j + 1 < m; j++) {
                AT(mem->sy, m, i, j) = AT(mem->sy, m, i + 1, j + 1);
                AT(mem->ss, m, i, j) = AT(mem->ss, m, i + 1, j + 1);
                AT(mem->yy, m, i, j) = AT(mem->yy, m, i + 1, j + 1);
                AT(mem->rz, m, i, j) = AT(mem->rz, m, i + 1, j + 1);
            }
        }
    }
    c = mem->col - 1;
    memcpy(mem->ws + mem->tail * n, s, n * sizeof(*s));
    memcpy(mem->wy + mem->tail * n, y, n * sizeof(*y));
    mem->theta = yy_new / sy_new;
    for (size_t j = 0; j < c; j++) {
        AT(mem->sy, m, c, j) = lb_dot(n, s, lb_y(mem, j));
        AT(mem->ss, m, j, c) = lb_dot(n, lb_s(mem, j), s);
    }
    AT(mem->ss, m, c, c) = ss_new;
    AT(mem->sy, m, c, c) = sy_new;
    for (size_t j = 0; j <= c; j++) {
        AT(mem->yy, m, c, j) = lb_dot(n, y, lb_y(mem, j));
        AT(mem->rz, m, c, j) = 0.0;
    }
    for (size_t i = 0; i <= c; i++) {
        AT(mem->rz, m, i, c) = lb_dot(n, lb_s(mem, i), y);
    }
}

/* Checks that T = theta S'S + L D^-1 L' is positive definite (L-BFGS-B's formt); the
 * factor itself serves the Cauchy point, which bound-free problems only need at col 0. */
static int lb_check_t(lb_memory *mem)
{
    size_t m = mem->m;
    size_t col = mem->col;
    for (size_t j = 0; j < col; j++) {
        AT(mem->wt, m, 0, j) = mem->theta * AT(mem->ss, m, 0, j);
    }
    for (size_t i = 1; i < col; i++) {
        for (size_t j = i; j < col; j++) {
            double s = 0.0;
            for (size_t k = 0; k < i; k++) {
                s = s + AT(mem->sy, m, i, k) * AT(mem->sy, m, j, k) / AT(mem->sy, m, k, k);
            }
            AT(mem->wt, m, i, j) = s + mem->theta * AT(mem->ss, m, i, j);
        }
    }
    return lb_cholesky(mem->wt, m, 0, col);
}

/* Factorises the middle matrix of the subspace step with every variable free
 * (L-BFGS-B's formk with Z = I):
 *   [ D + Y'Y / theta   R' ]  =  [ L  0 ] [ L'  L^-1 R' ]
 *   [ R                 0  ]     [ .  J ] [ 0   J'      ],  J J' = R (D + Y'Y/theta)^-1 R'.
 * Returns 0 when a block is not positive definite. */
static int lb_factor_k(lb_memory *mem)
{
    size_t m = mem->m;
    size_t col = mem->col;
    size_t ld = 2 * m;
    double *wn = mem->wn;
    for (size_t iy = 0; iy < col; iy++) {
        size_t is = col + iy;
        for (size_t jy = 0; jy <= iy; jy++) {
            AT(wn, ld, jy, iy) = AT(mem->yy, m, iy, jy) / mem->theta;
            AT(wn, ld, col + jy, is) = 0.0;
        }
        for (size_t jy = 0; jy < iy; jy++) {
            AT(wn, ld, jy, is) = -AT(mem->rz, m, iy, jy);
        }
        for (size_t jy = iy; jy < col; jy++) {
            AT(wn, ld, jy, is) = AT(mem->rz, m, iy, jy);
        }
        AT(wn, ld, iy, iy) = AT(wn, ld, iy, iy) + AT(mem->sy, m, iy, iy);
    }
    if (!lb_cholesky(wn, ld, 0, col)) {
        return 0;
    }
    for (size_t js = col; js < 2 * col; js++) {
        lb_solve_ut(wn, ld, col, wn + js, ld);
    }
    for (size_t is = col; is < 2 * col; is++) {
        for (size_t js = is; js < 2 * col; js++) {
            AT(wn, ld, is, js) = AT(wn, ld, is, js) + lb_coldot(wn, ld, col, is, js);
        }
    }
    return lb_cholesky(wn, ld, col, col);
}

/* z = x + H r with r = -g and H the inverse of the compact matrix (L-BFGS-B's subsm). */
static void lb_subspace_step(lb_memory *mem, const double *x, const double *g, double *z)
{
    size_t n = mem->n;
    size_t col = mem->col;
    size_t ld = 2 * mem->m;
    double *wv = mem->wv;
    double inv_theta;
    for (size_t i = 0; i < n; i++) {
        z[i] = -g[i];
    }
    for (size_t i = 0; i < col; i++) {
        wv[i] = lb_dot(n, lb_y(mem, i), z);
        wv[col + i] = mem->theta * lb_dot(n, lb_s(mem, i), z);
    }
    lb_solve_ut(mem->wn, ld, 2 * col, wv, 1);
    for (size_t i = 0; i < col; i++) {
        wv[i] = -wv[i];
    }
    lb_solve_u(mem->wn, ld, 2 * col, wv);
    for (size_t j = 0; j < col; j++) {
        const double *y = lb_y(mem, j);
        const double *s = lb_s(mem, j);
        for (size_t i = 0; i < n; i++) {
            z[i] = z[i] + y[i] * wv[j] / mem->theta + s[i] * wv[col + j];
        }
    }
    inv_theta = 1.0 / mem->theta;
    for (size_t i = 0; i < n; i++) {
        z[i] = x[i] + inv_theta * z[i];
    }
}

void imbal_lbfgsb_options_default(imbal_lbfgsb_options *opt)
{
    opt->m = 10;
    opt->pgtol = 1e-5;
    opt->factr = 1e7;
    opt->maxiter = 15000;
    opt->maxfun = 15000;
    opt->maxls = 20;
}

static imbal_status lb_check_options(size_t n, const imbal_lbfgsb_options *opt,
                                     imbal_error *err)
{
    if (n == 0) {
        return imbal_fail(err, IMBAL_EINVAL, "L-BFGS-B: no variables");
    }
    if (opt->m == 0 || opt->maxiter == 0 || opt->maxls == 0) {
        return imbal_fail(err, IMBAL_EINVAL, "L-BFGS-B: m, maxiter and maxls must be >= 1");
    }
    if (!(opt->pgtol >= 0.0) || !(opt->factr >= 0.0)) {
        return imbal_fail(err, IMBAL_EINVAL, "L-BFGS-B: pgtol and factr must be >= 0");
    }
    return IMBAL_OK;
}

/* Work arrays of the solver: the memory and six vectors of n. */
typedef struct {
    lb_memory mem;
    double *g, *z, *d, *x0, *g0, *y;
    double *block;
} lb_work;

static imbal_status lb_alloc(lb_work *w, size_t n, size_t m, imbal_error *err)
{
    size_t small;
    double *p;
    memset(w, 0, sizeof(*w));
    if (m > ((size_t)1 << 20)) {
        return imbal_fail(err, IMBAL_EINVAL, "L-BFGS-B: memory m = %zu is too large", m);
    }
    small = 10 * m * m + 2 * m;
    if (n > (SIZE_MAX / sizeof(double) - small) / (2 * m + 6)) {
        return imbal_fail(err, IMBAL_ENOMEM, "L-BFGS-B: %zu variables overflow the size", n);
    }
    w->block = imbal_calloc((2 * m + 6) * n + small, sizeof(double));
    if (w->block == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "L-BFGS-B: out of memory for %zu variables", n);
    }
    p = w->block;
    w->mem.n = n;
    w->mem.m = m;
    w->mem.ws = p;
    p += n * m;
    w->mem.wy = p;
    p += n * m;
    w->mem.sy = p;
    p += m * m;
    w->mem.ss = p;
    p += m * m;
    w->mem.yy = p;
    p += m * m;
    w->mem.rz = p;
    p += m * m;
    w->mem.wt = p;
    p += m * m;
    w->mem.wn = p;
    p += 4 * m * m;
    w->mem.wv = p;
    p += 2 * m;
    w->g = p;
    w->z = p + n;
    w->d = p + 2 * n;
    w->x0 = p + 3 * n;
    w->g0 = p + 4 * n;
    w->y = p + 5 * n;
    lb_reset(&w->mem);
    return IMBAL_OK;
}

/* Line search along d from (x0, f0, g0) with the first trial stp (L-BFGS-B's lnsrlb):
 * on success x, *f, g hold the accepted point, *stp its step and *gd = g'd. Returns 1 on
 * success, 0 when the search failed (x, f, g then restored) and -1 when fg failed. */
static int lb_search(size_t n, double *x, double *f, lb_work *w, double stp_init, double *stp,
                     double gd0, double *gd, const imbal_lbfgsb_options *opt, imbal_lbfgsb_fg fg,
                     void *ctx, imbal_lbfgsb_result *res, imbal_status *st, imbal_error *err)
{
    imbal_linesearch ls;
    double f0 = *f;
    double s = stp_init;
    imbal_ls_task task = imbal_linesearch_start(&ls, f0, gd0, &s, LB_FTOL, LB_GTOL, LB_XTOL,
                                                0.0, LB_STPMAX);
    for (size_t ifun = 0; task == IMBAL_LS_FG; ifun++) {
        if (ifun >= opt->maxls) {
            break;
        }
        int moved = 0;
        for (size_t i = 0; i < n; i++) {
            /* the unit step reuses z = x0 + d exactly as computed, as lnsrlb does */
            double xi = s == 1.0 ? w->z[i] : s * w->d[i] + w->x0[i];
            moved |= xi != x[i];
            x[i] = xi;
        }
        /* x, *f and g always belong together, so a trial point equal bit for bit to the
         * last one (the search fell back to its best step) keeps them, as SciPy's cache
         * does: n_fev then counts what SciPy's nfev counts */
        if (moved) {
            *st = fg(n, x, f, w->g, ctx, err);
            res->n_fev++;
            if (*st != IMBAL_OK) {
                memcpy(x, w->x0, n * sizeof(*x));
                return -1;
            }
        }
        *gd = lb_dot(n, w->g, w->d);
        task = imbal_linesearch_next(&ls, *f, *gd, &s);
    }
    if (task == IMBAL_LS_CONV || task == IMBAL_LS_WARN) {
        *stp = s;
        return 1;
    }
    memcpy(x, w->x0, n * sizeof(*x));
    memcpy(w->g, w->g0, n * sizeof(*x));
    *f = f0;
    return 0;
}

imbal_status imbal_lbfgsb_minimize(size_t n, double *x, imbal_lbfgsb_fg fg, void *ctx,
                                   const imbal_lbfgsb_options *opt, imbal_lbfgsb_result *res,
                                   imbal_error *err)
{
    lb_work w;
    lb_memory *mem = &w.mem;
    double f = 0.0;
    double tol;
    int updated = 0;
    imbal_status st = lb_check_options(n, opt, err);
    memset(res, 0, sizeof(*res));
    if (st != IMBAL_OK) {
        return st;
    }
    st = lb_alloc(&w, n, opt->m, err);
    if (st != IMBAL_OK) {
        return st;
    }
    tol = opt->factr * DBL_EPSILON;
    st = fg(n, x, &f, w.g, ctx, err);
    res->n_fev = 1;
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    if (lb_max_abs(n, w.g) <= opt->pgtol) {
        res->stop = IMBAL_LBFGSB_PGTOL;
        goto done;
    }
    for (;;) {
        double dtd;
        double fold = f;
        double gd0;
        double gd = 0.0;
        double stp = 1.0;
        double stp_init = 1.0;
        double dr;
        double ddum;
        int found;
        if (mem->col == 0) {
            /* empty memory: the Cauchy point of theta = 1 is x - g, reached at t = 1 */
            for (size_t i = 0; i < n; i++) {
                w.z[i] = x[i] + (-w.g[i]);
            }
        } else {
            if (updated && !lb_factor_k(mem)) {
                lb_reset(mem);
                res->n_reset++;
                updated = 0;
                continue;
            }
            lb_subspace_step(mem, x, w.g, w.z);
        }
        for (size_t i = 0; i < n; i++) {
            w.d[i] = w.z[i] - x[i];
        }
        dtd = lb_dot(n, w.d, w.d);
        if (res->n_iter == 0) {
            stp_init = fmin(1.0 / sqrt(dtd), LB_STPMAX);
        }
        memcpy(w.x0, x, n * sizeof(*x));
        memcpy(w.g0, w.g, n * sizeof(*x));
        gd0 = lb_dot(n, w.g, w.d);
        found = 0;
        if (gd0 < 0.0) {
            found = lb_search(n, x, &f, &w, stp_init, &stp, gd0, &gd, opt, fg, ctx, res, &st,
                              err);
            if (found < 0) {
                goto cleanup;
            }
        }
        if (!found) {
            if (mem->col == 0) {
                res->stop = IMBAL_LBFGSB_ABNORMAL;
                goto done;
            }
            lb_reset(mem);
            res->n_reset++;
            updated = 0;
            continue;
        }
        res->n_iter++;
        if (res->n_iter >= opt->maxiter) {
            res->stop = IMBAL_LBFGSB_MAXITER;
            goto done;
        }
        if (res->n_fev > opt->maxfun) {
            res->stop = IMBAL_LBFGSB_MAXFUN;
            goto done;
        }
        if (lb_max_abs(n, w.g) <= opt->pgtol) {
            res->stop = IMBAL_LBFGSB_PGTOL;
            goto done;
        }
        if (fold - f <= tol * fmax(fmax(fabs(fold), fabs(f)), 1.0)) {
            res->stop = IMBAL_LBFGSB_FACTR;
            goto done;
        }
        /* the pair: y = g - g_old, s = stp d, with s'y from the directional derivatives */
        for (size_t i = 0; i < n; i++) {
            w.y[i] = w.g[i] - w.g0[i];
        }
        if (stp == 1.0) {
            dr = gd - gd0;
            ddum = -gd0;
        } else {
            dr = (gd - gd0) * stp;
            for (size_t i = 0; i < n; i++) {
                w.d[i] = stp * w.d[i];
            }
            ddum = -gd0 * stp;
        }
        if (dr <= DBL_EPSILON * ddum) {
            updated = 0; /* curvature too small to keep B positive definite: skip */
            res->n_skip++;
            continue;
        }
        updated = 1;
        lb_push(mem, w.d, w.y, lb_dot(n, w.y, w.y), dr, stp == 1.0 ? dtd : stp * stp * dtd);
        if (!lb_check_t(mem)) {
            lb_reset(mem);
            res->n_reset++;
            updated = 0;
        }
    }
done:
    res->f = f;
    res->pg_max = lb_max_abs(n, w.g);
cleanup:
    free(w.block);
    return st;
}
