/* Private: an L-BFGS-B minimiser for problems without bounds that retraces SciPy 1.10's
 * L-BFGS-B (lbfgsb.f 3.0: compact limited-memory matrix, Moré-Thuente line search), so that
 * imbal's IMBAL_SOLVER_LBFGS stops where scikit-learn 1.2.1's LogisticRegression() stops,
 * and the scikit-learn logistic objective it is run on. Own implementation of the published
 * algorithm (Byrd, Lu, Nocedal, Zhu 1995; Morales, Nocedal 2011; Moré, Thuente 1994). */
#ifndef IMBAL_LBFGSB_H
#define IMBAL_LBFGSB_H

#include <stddef.h>

#include "imbal/error.h"
#include "imbal/logreg.h"

/* Computes *f and g[0..n-1] at x. Returns IMBAL_OK, or a failure (recorded in err) that
 * ends the minimisation with that status. */
typedef imbal_status (*imbal_lbfgsb_fg)(size_t n, const double *x, double *f, double *g,
                                        void *ctx, imbal_error *err);

/* SciPy's names in brackets; imbal_lbfgsb_options_default gives SciPy's defaults. */
typedef struct {
    size_t m;       /* corrections kept (maxcor), >= 1; default 10 */
    double pgtol;   /* stop when max_i |g_i| <= pgtol (gtol), >= 0; default 1e-5 */
    double factr;   /* stop when (f_old - f) / max(|f_old|, |f|, 1) <= factr * DBL_EPSILON
                     * (ftol / DBL_EPSILON), >= 0; default 1e7, i.e. ftol 2.22e-9 */
    size_t maxiter; /* >= 1; default 15000 */
    size_t maxfun;  /* stop after an iteration once evaluations exceed it; default 15000 */
    size_t maxls;   /* evaluations per line search, >= 1; default 20. (The SciPy 1.10.1 build
                     * used for the references stops at 20 whatever maxls it is given.) */
} imbal_lbfgsb_options;

typedef enum {
    IMBAL_LBFGSB_PGTOL = 0, /* converged: max |g_i| <= pgtol */
    IMBAL_LBFGSB_FACTR,     /* converged: relative reduction of f <= factr * DBL_EPSILON */
    IMBAL_LBFGSB_MAXITER,   /* maxiter iterations done (tests not applied to the last one) */
    IMBAL_LBFGSB_MAXFUN,    /* more than maxfun evaluations */
    IMBAL_LBFGSB_ABNORMAL   /* a line search failed from a steepest-descent start */
} imbal_lbfgsb_stop;

typedef struct {
    size_t n_iter;   /* completed iterations (accepted line-search steps): SciPy's nit */
    size_t n_fev;    /* evaluations of fg, the start included; a trial point equal to the
                      * last one is not evaluated again, as SciPy's nfev counts */
    size_t n_reset;  /* times the memory was emptied after a failed line search/factor */
    size_t n_skip;   /* pairs not stored because s'y <= DBL_EPSILON * (-g's) */
    double f;        /* f at the returned x */
    double pg_max;   /* max_i |g_i| at the returned x */
    imbal_lbfgsb_stop stop;
} imbal_lbfgsb_result;

/* SciPy's defaults (see the struct). */
void imbal_lbfgsb_options_default(imbal_lbfgsb_options *opt);

/* Minimises f from x (overwritten by the last accepted iterate) without bounds, as SciPy's
 * minimize(method="L-BFGS-B", jac=True) does with the same options, operation for operation
 * as Debian's liblbfgsb0 (L-BFGS-B 3.0 on reference BLAS and LAPACK 3.11's dpotrf/dtrtrs,
 * which Debian 12's SciPy 1.10 calls): given the same f and g the iterates agree bit for bit.
 * An iteration is one accepted line-search step; after each, as in SciPy: maxiter, then
 * maxfun, then the pgtol and factr tests. Every stop reason returns IMBAL_OK with res
 * filled; whether MAXITER, MAXFUN or ABNORMAL count as failure is the caller's choice
 * (scikit-learn warns and keeps the model). Errors: EINVAL (n = 0, bad options),
 * ENOMEM, or the status of a failing fg (x then holds the last accepted iterate). */
imbal_status imbal_lbfgsb_minimize(size_t n, double *x, imbal_lbfgsb_fg fg, void *ctx,
                                   const imbal_lbfgsb_options *opt, imbal_lbfgsb_result *res,
                                   imbal_error *err);

/* The Moré-Thuente line search (MINPACK-2 dcsrch) as a reverse-communication state
 * machine, shared with the tests. stp is the step along the search direction, f and g the
 * function and its directional derivative at stp. */
typedef enum {
    IMBAL_LS_FG = 0,  /* evaluate at *stp and call imbal_linesearch_next */
    IMBAL_LS_CONV,    /* sufficient decrease and curvature conditions hold at *stp */
    IMBAL_LS_WARN,    /* no further progress possible: *stp is the best step seen */
    IMBAL_LS_ERROR    /* bad start: stp outside [stpmin, stpmax] or g >= 0 */
} imbal_ls_task;

typedef struct {
    double ftol, gtol, xtol, stpmin, stpmax;
    int brackt, stage;
    double finit, ginit, gtest, width, width1;
    double stx, fx, gx, sty, fy, gy, stmin, stmax;
} imbal_linesearch;

/* Starts a search at step *stp from f = phi(0), g = phi'(0) < 0. Returns IMBAL_LS_FG
 * (evaluate at *stp) or IMBAL_LS_ERROR. */
imbal_ls_task imbal_linesearch_start(imbal_linesearch *ls, double f, double g, double *stp,
                                     double ftol, double gtol, double xtol, double stpmin,
                                     double stpmax);
/* Takes phi(*stp) and phi'(*stp); returns CONV or WARN (stop at *stp) or FG with the next
 * trial step in *stp. */
imbal_ls_task imbal_linesearch_next(imbal_linesearch *ls, double f, double g, double *stp);

/* scikit-learn 1.2.1's default LogisticRegression() fit of a binary problem: from all
 * zeros, L-BFGS-B (m 10, maxls 20, factr 1e7, pgtol tol, maxiter max_iter) on
 *   sum_i s_i log(1 + exp(-t_i (w.x_i + b))) + 0.5 / C ||w||^2,  t_i = 2 y_i - 1,
 * the parameter vector laid out as scikit-learn does (w, then b, unpenalised). x is row-major
 * n x d, y in {0, 1}, s the per-sample weights (class weights included; NULL: all 1).
 * Writes coef_out[0..d-1], *intercept_out and *n_iter_out (min(iterations, max_iter), as
 * scikit-learn's n_iter_). Returns IMBAL_OK when a tolerance test stopped it, IMBAL_ENOCONV
 * when max_iter ran out or the line search failed (scikit-learn's ConvergenceWarning):
 * the outputs then hold the model scikit-learn would return. *fit_out (unless NULL) says how
 * it ended (logreg.h): MAX_ITER for max_iter or maxfun, STALLED for a failed line search or
 * a relative-reduction stop at the start point itself (no step taken: f cannot have been
 * reduced, e.g. when ||g|| overflows and the first step is 1 / inf), else CONVERGED.
 * Errors: EINVAL (n = 0, d = 0, C <= 0, tol < 0, max_iter = 0, y not in {0, 1}, s < 0 or not
 * finite), ENOMEM; outputs are untouched on those. */
imbal_status imbal_logreg_fit_lbfgs(const double *x, const int *y, size_t n, size_t d,
                                    const double *s, double C, double tol, size_t max_iter,
                                    double *coef_out, double *intercept_out, size_t *n_iter_out,
                                    imbal_logreg_fit_status *fit_out, imbal_error *err);

#endif
