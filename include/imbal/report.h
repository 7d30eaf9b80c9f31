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
 * imbal_outdir_open, imbal_report_write_into, imbal_outdir_commit. ex->runs: an experiment
 * run without a sink. */
imbal_status imbal_report_write(const imbal_experiment *ex, const char *dir,
                                const imbal_report_options *opt, imbal_error *err);

/* Writes the report files into od's new generation without committing it, for a caller that
 * locked the directory before the runs or adds files of its own. */
imbal_status imbal_report_write_into(const imbal_experiment *ex, imbal_outdir *od,
                                     const imbal_report_options *opt, imbal_error *err);

/* Streaming: the reports of an experiment whose results are not kept (imbal_experiment_run
 * with a sink), in memory flat in the number of runs. open creates runs.csv (and models.csv)
 * in od's new generation; add takes each run's result in run order and appends its rows;
 * finish adds summary.csv, summary.md, summary.json and resolved.yaml, so the files are byte
 * for byte those of imbal_report_write_into (the caller commits od); with markdown non-NULL
 * it returns summary.md's text (free with free()). imbal_report_stream_sink is add as an
 * imbal_run_sink (ctx = the stream). */
typedef struct imbal_report_stream imbal_report_stream;

imbal_status imbal_report_stream_open(const imbal_experiment *ex, imbal_outdir *od,
                                      const imbal_report_options *opt, imbal_report_stream **out,
                                      imbal_error *err);
imbal_status imbal_report_stream_add(imbal_report_stream *s, const imbal_run_result *run,
                                     imbal_error *err);
imbal_status imbal_report_stream_sink(const imbal_run_result *r, size_t index, void *ctx,
                                      imbal_error *err);
imbal_status imbal_report_stream_finish(imbal_report_stream *s, char **markdown, imbal_error *err);
void imbal_report_stream_free(imbal_report_stream *s);

/* The Markdown summary as a string (what summary.md holds). Free with free(). */
imbal_status imbal_report_markdown(const imbal_experiment *ex, char **out, imbal_error *err);

#endif
