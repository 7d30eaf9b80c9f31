/* Private to the logistic regression files: the weighted problem the solvers see and the
 * exact Newton solver, shared by logreg.c (parameters, weights, scaling) and the solvers
 * (logreg_newton.c; an L-BFGS-B solver can reuse imbal_logreg_objective). */
#ifndef IMBAL_LOGREG_IMPL_H
#define IMBAL_LOGREG_IMPL_H

#include <stddef.h>

#include "imbal/error.h"

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

/* Above this many features the Newton direction comes from preconditioned conjugate gradients
 * on Hessian-vector products instead of a Cholesky factorisation of the (d + 1)^2 Hessian. */
#define IMBAL_LOGREG_DENSE_MAX_D 200

/* Newton's method with an Armijo backtracking line search from theta (d + 1, updated in
 * place) until max |gradient| <= tol. dense = 1: Cholesky solve (GSL); 0: conjugate gradients.
 * Sets *n_iter and *grad_max on every return. ENOCONV after max_iter iterations or when the
 * line search cannot reduce the objective; ENOMEM. */
imbal_status imbal_logreg_newton(const imbal_logreg_problem *pb, int dense, double tol,
                                 size_t max_iter, double *theta, size_t *n_iter,
                                 double *grad_max, imbal_error *err);

/* Solves h * dir = -g for the symmetric m x m matrix h (row-major, unchanged) by Cholesky,
 * using l (m * m) as scratch. When h is not numerically positive definite, a ridge
 * (1e-10 * max(1, max diagonal), growing 100-fold, at most 8 tries) is added to its diagonal;
 * if that still fails dir = -g. Returns the ridge used (0 for none, -1 for the fallback).
 * GSL's error handler must be off (gsl_set_error_handler_off), as imbal's main sets it. */
double imbal_logreg_newton_dir(const double *h, size_t m, const double *g, double *dir,
                               double *l);

#endif
