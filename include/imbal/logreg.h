/* L2-regularised binary logistic regression with scikit-learn's objective:
 *   minimise f(w, b) = 0.5 * ||w||^2 + C * sum_i s_i * log(1 + exp(-t_i * (w.x_i + b))),
 * t_i = +-1, the intercept b unpenalised, s_i the sample weight times the class weight of y_i
 * (balanced: n / (2 * n_class), counted on the rows given, ignoring sample weights).
 * With standardize, the solver sees z = (x - mean) / std over the rows given (population std,
 * scale 1 for a constant column, as StandardScaler), the penalty applies to the standardised
 * coefficients, and coef/intercept are mapped back to the original features.
 * Solvers:
 *   IMBAL_SOLVER_EXACT (default): Newton's method with an Armijo backtracking line search
 *     from w = 0 and the intercept-only optimum b = log(S1 / S0) (Sk: the sum of s_i over
 *     class k). For d <= 200 the Newton system is solved by GSL's Cholesky factorisation of
 *     the (d + 1)^2 Hessian (a tiny ridge is added if it is not numerically positive
 *     definite), the last factorisation being reused when that should land the gradient as
 *     deep inside the rule as a new one would; beyond, by Jacobi-preconditioned conjugate
 *     gradients on Hessian-vector products (truncated Newton), whose memory is linear in d
 *     (the rows' copy plus O(d); 200 x 20,000 fits in well under 1 GB); model->method says
 *     which ran. Rows that repeat a row of the smaller class bit for bit count once with their
 *     weights added (the same objective). Sums over rows run in a fixed order (8 interleaved
 *     partial sums added in turn), whatever the threads or the machine's vector width.
 *     Coordinates: the solver works on the standardised features with standardize, and a
 *     column with a value beyond 16 is multiplied by the power of two 2^-e that brings its
 *     largest |x| into [0.5, 1), its coefficient by 2^e (exact, the same problem: at 1e300 the
 *     squares would overflow). A constant column so scaled gets coefficient 0, its exact
 *     optimum (at 1e300 its penalty underflows and it would trade places with b); two equal
 *     columns at such a scale share their coefficient arbitrarily (only the sum is determined).
 *     Stopping rule, exactly: both
 *       (a) the largest component of the gradient of f above (not divided by C), in the
 *           solver's coordinates, is <= tol; tol <= 0 means 1e-10 * max(1, C * sum_i s_i);
 *       (b) every component has |g_j| <= 1e-8 (T_j + DBL_MIN), T_j = |w_j| + C sum_i s_i
 *           |sigmoid(z_i) - y_i| |x_ij| the size of the terms it sums (the intercept: x = 1,
 *           no |w| term; scaled columns in the solver's coordinates, where (b) reads the same).
 *     (a) is the rule of earlier versions, kept so that a fit where (b) already held stops at
 *     the same point (every fit of the shipped configs does, bit for bit). (b) is what makes
 *     the answer right whatever the scale of the weights, C or the features: with C = 1e-12
 *     or class weights 1e12, (a) alone held at the starting point. Rounding leaves each g_j an
 *     error of a few ulps of T_j, so (b) stays reachable. max_iter counts Newton iterations
 *     (0: 100). Accuracy: Newton converges quadratically, so the returned point usually lies
 *     well inside the rule: on abalone19 each coefficient is within 1e-9 relative of the
 *     optimum (1.5e-10 measured; tests/test_logreg.c asserts 1e-9); on the badly scaled cases
 *     of tests/test_logreg_scale.c (class weights 1e12 and 1e-12, C = 1e-12 and 1e12,
 *     separable labels, constant and duplicate columns, features at 1e300 and 1e-300, raw and
 *     standardised) within 1e-8 relative of 50-digit optima (4.5e-9 measured, weights 1e12),
 *     except a coefficient that is small beside the model's largest where the data's
 *     curvature dwarfs the penalty (weights 1e12 standardised: Sex_I, -0.914 beside 253, is
 *     1.3e-8 of itself off, 4.6e-11 of the largest coefficient).
 *     The rule itself bounds the error by ||gradient|| / (smallest eigenvalue of the Hessian),
 *     which the penalty keeps >= 1 along w but not along b.
 *     With standardize, means and deviations are summed on each column scaled by a power of
 *     two (exact: the bits are those of the plain sums), so columns at 1e300 or 1e-300 are
 *     standardised as at 1; a coefficient that cannot be represented in the original units
 *     (a standard deviation near the subnormal range) is EINVAL, with err->column set.
 *     GSL's default error handler would abort the process on a Hessian that is not
 *     numerically positive definite: libimbal turns it off (gsl_set_error_handler_off())
 *     itself, once, before its first GSL call, and checks every GSL status. A program that
 *     installs a GSL handler of its own later must not abort in it.
 *   IMBAL_SOLVER_LBFGS: what scikit-learn's LogisticRegression() does: SciPy's L-BFGS-B
 *     (memory 10, Moré-Thuente line search, at most 20 steps) from zero on the objective
 *     divided by C, stopping at max |grad| <= tol (default 1e-4), relative reduction
 *     <= 2.22e-9 or max_iter (default 100) iterations (src/lbfgsb.c). Iteration counts
 *     and coefficients match scikit-learn 1.2.1 on Debian 12's NumPy/SciPy bit for bit, also
 *     for fits stopped by max_iter (tests/test_logreg_lbfgs.c; README, compat).
 *     Like scikit-learn, a fit stopped by max_iter (or a failed line search) is returned,
 *     marked (fit below); grad_max is NAN for this solver.
 * A fit that misses its tolerance is returned, never silently: model->fit says how it ended
 * and converged is 1 only for IMBAL_FIT_CONVERGED. IMBAL_FIT_MAX_ITER: max_iter iterations
 * (or, lbfgs, too many evaluations) before the rule held; IMBAL_FIT_STALLED: the line search
 * could no longer decrease f (exact: before both (a) and (b) held; lbfgs: SciPy's abnormal
 * termination, or its relative-reduction test met at the starting point without a step, as
 * when a column at 1e300 makes the first step's length 1 / ||g|| round to 0). The point
 * returned is the solver's last one. The runner writes fit into runs.csv and the reports
 * count the fits that did not converge per technique.
 * The optimum itself is never at infinity: C is finite (the spec allows 1e-12 .. 1e12), so
 * 0.5 ||w||^2 <= f(w*, b*) <= f(0, b0) bounds w, and with both classes present the loss is
 * unbounded in b as |b| grows; separable data have a finite optimum too (test_logreg_scale:
 * separable labels at C = 1e12). There is no penalty-free fit, hence no "diverging" state. */
#ifndef IMBAL_LOGREG_H
#define IMBAL_LOGREG_H

#include <stddef.h>

#include "imbal/error.h"

typedef enum { IMBAL_CW_NONE = 0, IMBAL_CW_BALANCED, IMBAL_CW_EXPLICIT } imbal_class_weight_kind;
typedef enum { IMBAL_SOLVER_EXACT = 0, IMBAL_SOLVER_LBFGS } imbal_solver;
/* How a fit ended (see above) */
typedef enum {
    IMBAL_FIT_CONVERGED = 0,
    IMBAL_FIT_MAX_ITER,
    IMBAL_FIT_STALLED
} imbal_logreg_fit_status;
#define IMBAL_FIT_N 3

/* How a model's steps were computed: the exact solver's Cholesky factorisation of the
 * (d + 1)^2 Hessian (d <= 200) or conjugate gradients on Hessian-vector products (memory
 * linear in d), or L-BFGS-B (memory linear in d). */
typedef enum {
    IMBAL_LOGREG_CHOLESKY = 0,
    IMBAL_LOGREG_CG,
    IMBAL_LOGREG_LBFGS
} imbal_logreg_method;

typedef struct {
    double C;                          /* > 0, default 1 */
    imbal_class_weight_kind class_weight;
    double weight[2];                  /* IMBAL_CW_EXPLICIT: weight of class 0 and class 1 */
    int standardize;                   /* z-score features with the training rows' mean/std */
    imbal_solver solver;
    double tol;                        /* > 0: rule (a)'s bound on max |gradient|; <= 0: default */
    size_t max_iter;                   /* 0: the solver's default (EXACT 100, LBFGS 100) */
} imbal_logreg_params;

typedef struct {
    size_t d;
    double intercept;   /* in the original feature space */
    double *coef;       /* d coefficients in the original feature space */
    size_t n_iter;      /* iterations the solver took */
    double grad_max;    /* largest gradient component at the returned point (solver's space) */
    int converged;      /* fit == IMBAL_FIT_CONVERGED */
    double grad_rel;    /* exact: largest |g_j| / (size of its terms + DBL_MIN); lbfgs: NAN */
    imbal_logreg_method method; /* how the steps were computed */
    imbal_logreg_fit_status fit; /* how the fit ended */
} imbal_logreg_model;

void imbal_logreg_params_default(imbal_logreg_params *p);
/* "converged", "max_iter" or "stalled" (runs.csv's fit column); "?" out of range. */
const char *imbal_logreg_fit_name(imbal_logreg_fit_status fit);
/* NULL if p is valid, else a static reason string (liblinear's check_parameter). */
const char *imbal_logreg_params_check(const imbal_logreg_params *p);

/* Fits on n rows x (row-major, d columns) with labels y in {0, 1}; sample_weight may be
 * NULL (all 1), else finite and > 0. Free the model with imbal_logreg_model_free. On error
 * *out is NULL. Errors: EINVAL (bad parameters, with err->key the parameter; a label not 0/1,
 * a weight <= 0 or a non-finite cell, with err->line = row + 1 and err->column = feature + 1;
 * one class only; a standardised coefficient that overflows in the original units, with
 * err->column = feature + 1), ENOMEM. A fit that did not converge is IMBAL_OK with model->fit
 * saying so. */
imbal_status imbal_logreg_fit(const double *x, const int *y, size_t n, size_t d,
                              const double *sample_weight, const imbal_logreg_params *p,
                              imbal_logreg_model **out, imbal_error *err);

/* decision[i] = w.x_i + b, summed in feature order. */
void imbal_logreg_decision(const imbal_logreg_model *m, const double *x, size_t n,
                           double *decision);
/* proba[i] = P(y = 1 | x_i) = sigmoid(w.x_i + b), as scikit-learn's predict_proba[:, 1]. */
void imbal_logreg_predict_proba(const imbal_logreg_model *m, const double *x, size_t n,
                                double *proba);

void imbal_logreg_model_free(imbal_logreg_model *m);

#endif
