/* Multinomial (softmax) logistic regression for k >= 2 classes with scikit-learn 1.2's
 * objective for LogisticRegression() on more than two classes:
 *   minimise f(W, b) = 0.5 * ||W||^2 + C * sum_i s_i * CE_i,
 *   CE_i = log(sum_c exp(z_ic)) - z_i,y_i,   z_ic = W_c . x_i + b_c,
 * W the k x d coefficients (penalised), b the k intercepts (not penalised), s_i the sample
 * weight times the class weight of y_i (balanced: n / (k * n_c), counted on the rows given,
 * ignoring sample weights, as compute_class_weight; explicit: weight[c] per class).
 * f is flat along "every intercept + t" (softmax is unchanged), so the model reported has
 * intercepts that sum to zero (subtracting their mean changes no probability); at the optimum
 * each coefficient column also sums to zero over the classes (the gradient forces it).
 * With standardize, the solver sees z = (x - mean) / std over the rows given (population std,
 * scale 1 for a constant column, as StandardScaler), the penalty applies to the standardised
 * coefficients, and coef/intercept are mapped back to the original features.
 * Solvers:
 *   IMBAL_SOLVER_EXACT (default): Newton's method on the k (d + 1) parameters with an Armijo
 *     backtracking line search from W = 0 and the intercept-only optimum (b_c = log S_c minus
 *     the mean of those logs, S_c the sum of s_i over class c). The Hessian is singular along
 *     the flat direction; the solver adds lambda u u' there (u = all intercepts equal, lambda
 *     the mean intercept curvature), which changes no step (the gradient is orthogonal to u)
 *     and makes it positive definite. Up to IMBAL_LOGREG_MULTI_DENSE_MAX parameters the
 *     Newton system is solved by GSL's Cholesky factorisation of the dense Hessian; beyond,
 *     by preconditioned conjugate gradients on Hessian-vector products (O(n k d) each; see
 *     below). Sums over rows run in index order. Stopping rule, as the binary solver
 *     (logreg.h): both (a) max_j |g_j| <= tol (tol <= 0: 1e-10 * max(1, C * sum_i s_i)) and
 *     (b) |g_j| <= 1e-8 (T_j + DBL_MIN) for every parameter, T_j = |theta_j| (coefficients)
 *     + C sum_i s_i |p_ic - [y_i = c]| |x_ij| (x = 1 for an intercept), the size of the terms
 *     g_j sums. Once the rule holds, up to 3 more full Newton steps are taken, each kept only
 *     if it cuts max |g| fourfold (Newton's last steps reach the rounding floor). max_iter
 *     counts Newton iterations (0: 100). A fit that misses the rule is returned marked,
 *     as in logreg.h: model->fit is IMBAL_FIT_MAX_ITER (max_iter iterations) or
 *     IMBAL_FIT_STALLED (the line search could no longer decrease f), converged 0, the
 *     solver's last point. Accuracy, against 40-digit optima of the imbalanced iris and ecoli
 *     hold-outs (tests/reference/<name>_logreg_mp.csv, mpmath): every coefficient within
 *     1e-10 of the largest coefficient of its feature (measured 9.9e-13) and within 1e-7 of
 *     itself (iris 2.2e-14; ecoli 4.0e-8), every intercept within 1e-10 of the largest; on
 *     iris every coefficient and intercept is within 1e-8 of the shared reference as well.
 *     The 1e-7 is ecoli's a4 coefficient of class im, 5e-7 beside 0.03 for imL: a4 is 5 on
 *     almost every row, like the intercept's column, so that coefficient is fixed by gradient
 *     terms that cancel at about 1e-13, the rounding floor of any double-precision optimum
 *     (the shared float64 reference's own is 2.3e-8 off).
 *     The CG path preconditions with the Cholesky factors of the k diagonal blocks of the
 *     Hessian (block Jacobi, memory k (d + 1)^2; plain Jacobi when that exceeds 4M doubles),
 *     and converges on ecoli's unscaled features as the dense path does (to the same 1e-10).
 *   IMBAL_SOLVER_LBFGS: what scikit-learn 1.2.1's LogisticRegression() does on k > 2 classes:
 *     SciPy's L-BFGS-B (src/lbfgsb.c; memory 10, at most 20 line-search steps) from zero on
 *     sum_i s_i CE_i + 0.5 / C ||W||^2 (the objective divided by C; sums, not means), the
 *     parameters in scikit-learn's order, stopping at max |grad| <= tol (default 1e-4),
 *     relative reduction <= 2.22e-9 or max_iter (default 100) iterations. Iteration counts
 *     match scikit-learn on both hold-outs (86 and 76 on iris, max_iter 100 on ecoli), and so
 *     do the coefficients on iris (1e-6 relative; measured 6.1e-9). On ecoli, stopped by
 *     max_iter, they do not: lbfgsb.c follows SciPy's algebra but not its Fortran's order of
 *     operations, and on features in 0 .. 100 the two sets of iterates drift apart about
 *     30-fold every 10 iterations (column-relative 1e-12 up to 30 iterations, 4.7e-8 at 60,
 *     1.7e-2 at 100; tests/reference/ecoli_lbfgs_path.csv). A fit stopped by max_iter is
 *     returned with fit = IMBAL_FIT_MAX_ITER, as scikit-learn keeps it (with a
 *     ConvergenceWarning); STALLED as logreg.h says; grad_max and grad_rel are NAN. (For k = 2 scikit-learn fits a binary model instead:
 *     use logreg.h for that; this solver always fits the k-class softmax.) */
#ifndef IMBAL_LOGREG_MULTI_H
#define IMBAL_LOGREG_MULTI_H

#include <stddef.h>

#include "imbal/error.h"
#include "imbal/logreg.h"

/* Largest k (d + 1) solved with a dense Hessian (8 MB); larger problems use Newton-CG. */
#define IMBAL_LOGREG_MULTI_DENSE_MAX 1024

typedef struct {
    double C;                            /* > 0, default 1 */
    imbal_class_weight_kind class_weight; /* NONE, BALANCED or EXPLICIT */
    const double *weight;                /* EXPLICIT: k class weights, finite > 0; borrowed */
    int standardize;                     /* z-score features with the rows' mean / std */
    imbal_solver solver;                 /* EXACT (default) or LBFGS */
    double tol;                          /* > 0: rule (a)'s bound / lbfgs gtol; <= 0: default */
    size_t max_iter;                     /* 0: the solver's default (100) */
} imbal_logreg_multi_params;

typedef struct {
    size_t k, d;
    double *coef;       /* k * d, row-major (class c's coefficients at coef + c * d), in the
                         * original feature space */
    double *intercept;  /* k, summing to zero (to rounding) */
    size_t n_iter;      /* iterations the solver took (lbfgs: min(iterations, max_iter)) */
    double grad_max;    /* exact: largest gradient component at the returned point; lbfgs NAN */
    double grad_rel;    /* exact: largest |g_j| / (T_j + DBL_MIN) at the point returned; lbfgs NAN */
    int converged;      /* fit == IMBAL_FIT_CONVERGED */
    imbal_logreg_method method;  /* CHOLESKY or CG (exact), LBFGS */
    imbal_logreg_fit_status fit; /* how the fit ended (logreg.h) */
} imbal_logreg_multi_model;

void imbal_logreg_multi_params_default(imbal_logreg_multi_params *p);
/* NULL if p is valid for k classes, else a static reason (liblinear's check_parameter). */
const char *imbal_logreg_multi_params_check(const imbal_logreg_multi_params *p, size_t k);

/* Fits on n rows x (row-major, d columns) with labels y in 0 .. k-1 (k >= 2, every class with
 * at least one row); sample_weight may be NULL (all 1), else finite and > 0. Free the model
 * with imbal_logreg_multi_model_free; on error *out is NULL. Errors: EINVAL (bad parameters,
 * err->key the parameter; a label out of range, a weight <= 0 or a non-finite cell, with
 * err->line = row + 1 and err->column = feature + 1; a class without rows, naming it),
 * ENOMEM. A fit that misses its tolerance is returned, marked (model->fit). */
imbal_status imbal_logreg_multi_fit(const double *x, const int *y, size_t n, size_t d, size_t k,
                                    const double *sample_weight,
                                    const imbal_logreg_multi_params *p,
                                    imbal_logreg_multi_model **out, imbal_error *err);

/* decision[i * k + c] = W_c . x_i + b_c, summed in feature order. */
void imbal_logreg_multi_decision(const imbal_logreg_multi_model *m, const double *x, size_t n,
                                 double *decision);
/* proba[i * k + c] = softmax of the decision values (the maximum subtracted first), as
 * scikit-learn's predict_proba. */
void imbal_logreg_multi_predict_proba(const imbal_logreg_multi_model *m, const double *x,
                                      size_t n, double *proba);

void imbal_logreg_multi_model_free(imbal_logreg_multi_model *m);

#endif
