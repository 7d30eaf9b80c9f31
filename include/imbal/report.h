/* Reports of an experiment: runs.csv (one row per run), summary.csv and summary.md (one row
 * per dataset x technique: mean and standard deviation over runs, summed confusion matrix,
 * best value per column in bold in the Markdown), summary.json (the same plus the resolved spec,
 * the version, a per-class report like scikit-learn's classification_report, and timings),
 * resolved.yaml (the resolved spec alone), and with save_models models.csv. The resolved spec
 * has every default filled in and each technique's classifier as fitted (solver included), so
 * imbal_spec_load on resolved.yaml or summary.json repeats the run byte for byte; its data
 * paths are relative to dir (absolute when dir and the data share no directory but /). The files
 * of one run replace the previous run's as a whole (outdir.h): a reader never sees half a file
 * or a mix of two runs, and files a run does not write (models.csv) do not survive it. Numbers are printed with %.17g (exact round trip) in CSV and
 * JSON. Everything but the "timings" object of summary.json is byte-identical for any thread
 * count; with include_timings 0 that object is left out too.
 *
 * Standard deviations are sample standard deviations (n - 1 denominator), 0 for one run.
 * The per-class report pools the confusion matrices of all runs of a technique. */
#ifndef IMBAL_REPORT_H
#define IMBAL_REPORT_H

#include <stddef.h>

#include "imbal/error.h"
#include "imbal/outdir.h"
#include "imbal/runner.h"

typedef struct {
    int save_models;       /* write models.csv (the runs must have kept coefficients) */
    int include_timings;   /* timings object in summary.json */
} imbal_report_options;

/* Writes the report files into dir (parents created), replacing the previous set as a whole:
 * imbal_outdir_open, imbal_report_write_into, imbal_outdir_commit. */
imbal_status imbal_report_write(const imbal_experiment *ex, const char *dir,
                                const imbal_report_options *opt, imbal_error *err);

/* Writes the report files into od's new generation without committing it, for a caller that
 * locked the directory before the runs (imbal run) or adds files of its own. */
imbal_status imbal_report_write_into(const imbal_experiment *ex, imbal_outdir *od,
                                     const imbal_report_options *opt, imbal_error *err);

/* The Markdown summary as a string (what summary.md holds). Free with free(). */
imbal_status imbal_report_markdown(const imbal_experiment *ex, char **out, imbal_error *err);

#endif
