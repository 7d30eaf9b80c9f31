/* Private to the multinomial logistic regression files: the weighted k-class problem the
 * solvers see, shared by logreg_multi.c (parameters, weights, scaling), the exact Newton
 * solver (logreg_multi_newton.c) and scikit-learn's L-BFGS-B fit (logreg_multi_lbfgs.c).
 * Parameters theta are class-major: class c's coefficients at theta + c * (d + 1), its
 * intercept at theta[c * (d + 1) + d]. */
#ifndef IMBAL_LOGREG_MULTI_IMPL_H
#define IMBAL_LOGREG_MULTI_IMPL_H

#include <stddef.h>

#include "imbal/error.h"
#include "imbal/logreg.h"

/* minimise 0.5 * ||W||^2 + C * sum_i s[i] * (log sum_c exp(z_ic) - z_i,y_i) */
typedef struct {
    const double *x; /* n x d, row-major; borrowed */
    const int *y;    /* n labels in 0 .. k-1; borrowed */
    const double *s; /* n row weights (sample weight times class weight), > 0; borrowed */
    size_t n, d, k;
    double C;
} imbal_mlogreg_problem;

/* The exact solver (logreg_multi.h's rule) from theta (updated in place; its intercepts are
 * kept summing to what they summed to). Up to dense_max parameters a dense Cholesky solve,
 * beyond conjugate gradients. Sets *n_iter, *grad_max, *grad_rel and *fit on every return
 * but ENOMEM. ENOCONV with *fit = IMBAL_FIT_MAX_ITER (max_iter iterations) or
 * IMBAL_FIT_STALLED (no decrease possible), theta then the last point; ENOMEM. */
imbal_status imbal_mlogreg_newton(const imbal_mlogreg_problem *pb, size_t dense_max, double tol,
                                  double rel_tol, size_t max_iter, double *theta,
                                  size_t *n_iter, double *grad_max, double *grad_rel,
                                  imbal_logreg_fit_status *fit, imbal_error *err);

/* The dense Hessian the exact solver factorises at theta (m x m, m = k (d + 1), row-major,
 * lambda u u' included: see logreg_multi_newton.c) and the gradient (m), for the tests. */
imbal_status imbal_mlogreg_hessian(const imbal_mlogreg_problem *pb, const double *theta,
                                   double *h, double *g, imbal_error *err);

/* scikit-learn 1.2.1's lbfgs multinomial fit from zero (logreg_multi.h): writes theta
 * (class-major as above), *n_iter = min(iterations, max_iter) and *fit as the binary
 * imbal_logreg_fit_lbfgs does (MAX_ITER for max_iter or maxfun; STALLED for a failed line
 * search or a relative-reduction stop without a step). IMBAL_OK when a tolerance test stopped
 * it, ENOCONV when not (theta then holds the model scikit-learn returns); ENOMEM. */
imbal_status imbal_mlogreg_lbfgs(const imbal_mlogreg_problem *pb, double tol, size_t max_iter,
                                 double *theta, size_t *n_iter, imbal_logreg_fit_status *fit,
                                 imbal_error *err);

#endif
