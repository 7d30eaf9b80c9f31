/* Figures of a report: ROC and precision-recall curves of several techniques, a bar chart of a
 * metric with interval whiskers, a class-count chart (before / after resampling) and the
 * critical-difference diagram of Demsar (2006).
 *
 * SVG is written by imbal itself: text stays text (<text> elements, searchable, selectable,
 * inline-able in an HTML page, scaled by the browser), where cairo's SVG surface would turn
 * every glyph into a path. PNG is drawn by cairo (Debian's libcairo2-dev; the build probes for
 * it, as for libsvm): both formats share one layout, so they show the same figure. Without
 * cairo, PNG requests fail with IMBAL_EUNSUP and a message saying to install libcairo2-dev;
 * SVG works everywhere.
 * Colours are the Okabe-Ito palette (Okabe & Ito 2008), told apart under the common colour
 * vision deficiencies; from the ninth series on, lines are also dashed.
 * Every figure is width x height pixels (SVG: user units), white background. Inputs are
 * borrowed for the call only. Outputs are written to name.tmp, then renamed over the path. */
#ifndef IMBAL_PLOT_H
#define IMBAL_PLOT_H

#include <stddef.h>

#include "imbal/curves.h"
#include "imbal/error.h"

typedef enum { IMBAL_PLOT_SVG = 0, IMBAL_PLOT_PNG } imbal_plot_format;

typedef struct {
    imbal_plot_format format;
    int width;         /* pixels; default 800 */
    int height;        /* pixels; default 560 */
    double font_size;  /* pixels; default 14 (tick labels 0.85 of it) */
    const char *title; /* drawn above the plot; NULL or "" for none */
    const char *path;  /* when not NULL, the figure is written there */
    char **data;       /* when not NULL, *data gets a malloc'd copy of the file's bytes (free
                        * with free()) and *len (not NULL then) its length */
    size_t *len;
} imbal_plot_params;

/* SVG, 800 x 560, font 14, no title, no output (set path and/or data). */
void imbal_plot_params_default(imbal_plot_params *p);

/* 1 when this build draws PNG (cairo found at build time), else 0. */
int imbal_plot_have_png(void);

/* One line of a curve figure: n points (x[i], y[i]) joined in order; sd, when not NULL, n
 * values drawn as a translucent band y -/+ sd clipped to [0, 1] (for a fold average). */
typedef struct {
    const char *label; /* legend text */
    size_t n;
    const double *x;
    const double *y;
    const double *sd;
} imbal_plot_series;

/* Series views of curves (borrowed: valid while the curve lives). */
imbal_plot_series imbal_plot_series_curve(const imbal_curve *c, const char *label);
imbal_plot_series imbal_plot_series_avg(const imbal_curve_avg *a, const char *label);

/* Curves of n_series techniques on one figure, axes [0, 1] x [0, 1] with ticks every 0.1 and
 * labels "False positive rate" / "True positive rate" (ROC) or "Recall" / "Precision" (PR),
 * the no-skill line (ROC: the diagonal; PR: precision = prevalence, the positive share, which
 * must be in (0, 1]) dashed grey, and a legend to the right. EINVAL when n_series is 0, a
 * series has no point or no label, a coordinate is outside [0, 1] (NaN included), an sd is
 * negative or not finite, or (PR) prevalence is outside (0, 1]; EUNSUP for PNG without
 * cairo; EIO, ENOMEM. */
imbal_status imbal_plot_curves(const imbal_plot_params *p, imbal_curve_kind kind,
                               const imbal_plot_series *series, size_t n_series, double prevalence,
                               imbal_error *err);

/* A bar per technique (name[j], value[j]) with a whisker from lo[j] to hi[j] (lo and hi both
 * NULL: no whiskers), the value printed above each bar, metric as the y label. The y axis is
 * [0, 1] when all values and ends lie there, else a rounded range that includes 0. Errors as
 * imbal_plot_curves; EINVAL also when lo[j] > value[j] or hi[j] < value[j]. */
imbal_status imbal_plot_bars(const imbal_plot_params *p, const char *metric,
                             const char *const *name, const double *value, const double *lo,
                             const double *hi, size_t k, imbal_error *err);

/* Class counts of the training set before resampling (before[c], one group "before") and after
 * each technique (after[t * n_class + c], one group per technique), bars coloured by class with
 * class_name[c] in the legend and each count printed above its bar. Counts may be fractional
 * (means over folds). EINVAL when a count is negative or not finite, n_class or n_tech is 0. */
imbal_status imbal_plot_class_counts(const imbal_plot_params *p, const char *const *class_name,
                                     size_t n_class, const double *before,
                                     const char *const *technique, const double *after,
                                     size_t n_tech, imbal_error *err);

/* Groups of techniques whose average ranks differ by less than cd (the Nemenyi critical
 * difference: Demsar 2006, sec. 3.2.2), as the lines of a CD diagram. order[0..k-1] gets the
 * technique indices by ascending average rank (equal ranks by index); clique i is the run
 * order[lo[i]..hi[i]] (lo < hi), maximal: no clique lies inside another. lo and hi need room
 * for k entries; *n_cliques gets the count. EINVAL when k < 2, cd <= 0 or a rank is not
 * finite. */
imbal_status imbal_plot_cd_cliques(const double *avg_rank, size_t k, double cd, size_t *order,
                                   size_t *lo, size_t *hi, size_t *n_cliques, imbal_error *err);

/* The critical-difference diagram: an axis of average ranks 1..k (1, the best, on the left),
 * the CD bar above it, each technique's name and rank joined to its place on the axis (the
 * better half to the left, the rest to the right), and a thick line under each clique of
 * imbal_plot_cd_cliques. Errors as imbal_plot_cd_cliques and imbal_plot_curves; k <= 64. */
imbal_status imbal_plot_cd(const imbal_plot_params *p, const char *const *name,
                           const double *avg_rank, size_t k, double cd, imbal_error *err);

#endif
