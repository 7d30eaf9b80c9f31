/* Private to the logistic regression files: the weighted problem the solvers see and the
 * exact Newton solver, shared by logreg.c (parameters, weights, scaling) and the solvers
 * (logreg_newton.c; an L-BFGS-B solver can reuse imbal_logreg_objective). The exact solver
 * reads the rows in a blocked layout of its own (logreg_panel.c), repeated rows folded into
 * weights (logreg_repeats.c). */
#ifndef IMBAL_LOGREG_IMPL_H
#define IMBAL_LOGREG_IMPL_H

#include <stddef.h>

#include "imbal/error.h"
#include "imbal/logreg.h"

/* minimise 0.5 * ||w||^2 + C * sum_i s[i] * log(1 + exp(-t_i * (w.x_i + b))), t_i = 2 y_i - 1.
 * Parameters theta are w[0..d) then b = theta[d]. */
typedef struct {
    const double *x; /* n x d, row-major; borrowed */
    const int *y;    /* n labels in {0, 1}; borrowed */
    const double *s; /* n row weights (sample weight times class weight), > 0; borrowed */
    size_t n;
    size_t d;
    double C;
} imbal_logreg_problem;

/* The objective at theta; grad (d + 1, may be NULL) receives its gradient and z (n, may be NULL)
 * the decision values w.x_i + b. Every sum runs in index order. */
double imbal_logreg_objective(const imbal_logreg_problem *pb, const double *theta, double *grad,
                              double *z);

/* The rows the exact solver keeps: row[i] receives the solver's row for row i of pb, in order
 * of first appearance, rows that repeat an earlier row of the smaller class (class 1 on a
 * tie) bit for bit sharing its row, and *n_rows the number of rows kept. ENOMEM. */
imbal_status imbal_logreg_repeats(const imbal_logreg_problem *pb, size_t *row, size_t *n_rows,
                                  imbal_error *err);

/* The rows of a problem as the exact solver reads them (logreg_panel.c): blocks of
 * IMBAL_LOGREG_LANES rows, column-major inside a block, the columns being the d features and a
 * column of ones (the intercept), padded with rows of weight 0 up to a whole block. Row i,
 * column j is x[((i / LANES) * m + j) * LANES + i % LANES]. Sums over rows are formed per lane
 * (lane i % LANES, rows in order), then the lanes are added in order. */
#define IMBAL_LOGREG_LANES 8

typedef struct {
    size_t n;        /* rows, without the padding (repeated rows of the problem count once) */
    size_t m;        /* d + 1 columns */
    size_t n_blocks; /* blocks of IMBAL_LOGREG_LANES rows */
    double *x;       /* n_blocks * m * LANES */
    double *s;       /* n_blocks * LANES row weights, 0 in the padding */
    double *y;       /* n_blocks * LANES labels, 0.0 or 1.0 */
} imbal_logreg_panel;

/* n rounded up to a whole number of blocks */
size_t imbal_logreg_panel_rows(size_t n);
/* Fills pn (x, s and y allocated for imbal_logreg_panel_rows(n_rows) rows) from pb, row i of pb
 * going to row[i] (imbal_logreg_repeats); rows sharing one add their weights in row order. */
void imbal_logreg_panel_fill(const imbal_logreg_problem *pb, const size_t *row, size_t n_rows,
                             imbal_logreg_panel *pn);
/* The same, column j of the features multiplied by col_scale[j] (powers of two, so exactly;
 * NULL: by 1). */
void imbal_logreg_panel_fill_scaled(const imbal_logreg_problem *pb, const size_t *row,
                                    size_t n_rows, const double *col_scale,
                                    imbal_logreg_panel *pn);
/* z_i = theta . x~_i (padded rows too), summed in column order: the bits of w.x_i + b. */
void imbal_logreg_panel_decision(const imbal_logreg_panel *pn, const double *theta, double *z);
/* One pass at theta: z as above, the row curvatures c_i = s_i sigmoid(z_i) sigmoid(-z_i) and
 * out_j = sum_i r_i x~_ij with r_i = s_i (sigmoid(z_i) - y_i), the data part of the gradient;
 * r receives the r_i, acc is m * LANES scratch. */
void imbal_logreg_panel_eval(const imbal_logreg_panel *pn, const double *theta, double *z,
                             double *r, double *c, double *out, double *acc);
/* out_j = sum_i a_i x~_ij; acc is m * LANES scratch. */
void imbal_logreg_panel_xt(const imbal_logreg_panel *pn, const double *a, double *out,
                           double *acc);
/* out_j = sum_i |r_i| |x~_ij| with r_i = s_i (sigmoid(z_i) - y_i) at decision values z: the
 * size of the terms that make up the data part of the gradient; acc is m * LANES scratch. */
void imbal_logreg_panel_abs_xt(const imbal_logreg_panel *pn, const double *z, double *out,
                               double *acc);
/* h = X~' diag(c) X~, m x m row-major; acc (m * m * LANES) and v (m * LANES) are scratch. */
void imbal_logreg_panel_gram(const imbal_logreg_panel *pn, const double *c, double *h,
                             double *acc, double *v);
/* out_j = sum_i c_i x~_ij^2, the diagonal of X~' diag(c) X~; acc is m * LANES scratch. */
void imbal_logreg_panel_gram_diag(const imbal_logreg_panel *pn, const double *c, double *out,
                                  double *acc);
/* sum_i u_i^2 top_i with u_i = z_new_i - z_i and top_i the largest curvature s_i sigmoid'
 * on the segment from z_i to z_new_i: max(c_i, c_new_i), or s_i / 4 when it passes 0.
 * Half of it, times C, bounds the loss's change beyond its linear term between the points.
 * *shift receives max_i |u_i| over the padded rows, a guide to how much the Hessian moved. */
double imbal_logreg_panel_remainder(const imbal_logreg_panel *pn, const double *z,
                                    const double *z_new, const double *c, const double *c_new,
                                    double *shift);
/* sum_i s_i log(1 + exp(-t_i z_i)); l is scratch for a value per padded row. */
double imbal_logreg_panel_loss(const imbal_logreg_panel *pn, const double *z, double *l);
/* e^-|z| as the passes compute it: within 2 ulp of exp(-|z|) up to |z| = 708, e^-708 beyond */
double imbal_logreg_exp_neg_abs(double z);

/* Above this many features the Newton direction comes from preconditioned conjugate gradients
 * on Hessian-vector products instead of a Cholesky factorisation of the (d + 1)^2 Hessian. */
#define IMBAL_LOGREG_DENSE_MAX_D 200

/* Turns GSL's aborting default error handler off, once per process (thread-safe); every
 * function here that calls GSL does so first, so no caller has to. */
void imbal_logreg_gsl_init(void);

/* The exact solver's relative rule: every gradient component within this fraction of the size
 * of its terms (logreg.h). */
#define IMBAL_LOGREG_REL_TOL 1e-8

/* Newton's method with an Armijo backtracking line search from theta (d + 1, updated in
 * place) until max |gradient| <= tol and, when rel_tol > 0, |g_j| <= rel_tol (T_j + DBL_MIN)
 * for every j, T_j = penalty_j |theta_j| + C sum_i s_i |sigmoid(z_i) - y_i| |x_ij| the size of
 * the terms of g_j (the intercept: no penalty, x = 1). Both are checked in the solver's
 * coordinates: columns with a value beyond 16 are scaled exactly by a power of two into
 * [0.5, 1), their coefficient and penalty 0.5 w_j^2 rescaled to match (the relative test does
 * not depend on it). dense = 1: Cholesky solve (GSL), its factor reused for a chord step when
 * the decision values hardly moved since; 0: conjugate gradients, memory linear in d. Steps
 * are accepted on a bound of the objective where it suffices (no logarithms), on the objective
 * otherwise. Sets *n_iter, *grad_max (max |g_j|, solver's coordinates) and *grad_rel (max
 * |g_j| / (T_j + DBL_MIN), INFINITY unless converged) on every return. ENOCONV after max_iter
 * iterations or when the line search cannot reduce the objective, theta then holding the last
 * point and *fit (unless NULL) IMBAL_FIT_MAX_ITER or IMBAL_FIT_STALLED (IMBAL_FIT_CONVERGED
 * on success); ENOMEM. */
imbal_status imbal_logreg_newton(const imbal_logreg_problem *pb, int dense, double tol,
                                 double rel_tol, size_t max_iter, double *theta, size_t *n_iter,
                                 double *grad_max, double *grad_rel,
                                 imbal_logreg_fit_status *fit, imbal_error *err);

/* Solves h * dir = -g for the symmetric m x m matrix h (row-major, unchanged) by Cholesky,
 * using l (m * m) as scratch. When h is not numerically positive definite, a ridge
 * (1e-10 * max(1, max diagonal), growing 100-fold, at most 8 tries) is added to its diagonal;
 * if that still fails dir = -g. Returns the ridge used (0 for none, -1 for the fallback).
 * Turns GSL's error handler off first (imbal_logreg_gsl_init). */
double imbal_logreg_newton_dir(const double *h, size_t m, const double *g, double *dir,
                               double *l);

#endif
