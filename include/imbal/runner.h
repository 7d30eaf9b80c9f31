/* The experiment runner: expands a spec into runs (dataset x technique x repeat x fold) and
 * executes them in parallel with OpenMP. Data are loaded and split once per dataset and
 * shared read-only; each run copies its training fold, resamples only that copy (the test
 * fold never reaches a sampler or the scaler), fits, and scores the untouched test fold.
 * Each run draws from its own generator seeded by imbal_seed_derive(master, dataset,
 * technique, repeat, fold) (compat: sklearn uses the master seed as-is, as random_state=int
 * does), and writes only its own result, so results are identical for any thread count. The
 * results are kept in ex->runs, or handed to a sink in run order as they finish (a bounded
 * reorder window), so a caller can stream them out in memory flat in the number of runs. */
#ifndef IMBAL_RUNNER_H
#define IMBAL_RUNNER_H

#include <stddef.h>

#include "imbal/classifier.h"
#include "imbal/dataset.h"
#include "imbal/error.h"
#include "imbal/logreg.h"
#include "imbal/metrics.h"
#include "imbal/metrics_multi.h"
#include "imbal/resample.h"
#include "imbal/spec.h"
#include "imbal/split.h"

/* One run's result. Binary data (k = 2, class 1 the positive one) fills the binary fields
 * (n_train_neg ... metrics); every run fills k and the per-class counts; multi holds the
 * k-class metrics when the experiment reports them (ex->multiclass: some dataset has k > 2),
 * else NULL. */
typedef struct {
    size_t dataset, technique, repeat, fold; /* coordinates, 0-based */
    size_t split_fold;                       /* index into the dataset's split */
    size_t n_train_neg, n_train_pos;         /* binary: training fold before resampling */
    size_t n_resampled_neg, n_resampled_pos; /* binary: what the classifier was fitted on */
    size_t n_test;
    imbal_metrics metrics;                   /* binary: on the test fold */
    size_t n_iter;                           /* solver iterations, boosting rounds */
    int converged;                           /* fit == IMBAL_FIT_CONVERGED */
    imbal_logreg_fit_status fit;             /* how the fit ended (logreg.h) */
    double intercept;                        /* binary logistic model's, else 0 */
    double *coef;                            /* with save_models and a linear model: n_blocks
                                              * blocks of d coefficients, else NULL */
    double seconds;                          /* wall time of this run (not in byte-stable output) */
    imbal_status status;                     /* IMBAL_OK, or why this run failed: then only the
                                              * coordinates above are meaningful */
    char *message;                           /* the failure's message (owned), NULL when ok */
    /* Owned like coef and message; freed with the result. */
    size_t k;                                /* classes of the dataset */
    size_t *counts;                          /* 3k: rows per class of the training fold, of the
                                              * resampled fold, of the test fold */
    imbal_metrics_multi *multi;              /* k-class metrics, or NULL (see above) */
    size_t n_blocks;                         /* with coef: its blocks and their classes */
    size_t *block_class;
    double *intercepts;                      /* n_blocks */
} imbal_run_result;

/* The classifier technique t fits on dataset i, resolved before any run (the plan): every
 * parameter in force (the spec's, the technique's over it, defaults, "auto" resolved for the
 * technique's compat mode) and the class weights by class. */
typedef struct {
    const imbal_classifier *classifier;
    imbal_param_values params;
    imbal_class_weight_kind class_weight;
    double *weight;                          /* EXPLICIT: k weights (1 for classes not named),
                                              * owned; else NULL */
} imbal_classifier_plan;

typedef struct {
    const imbal_spec *spec;         /* borrowed */
    size_t n_datasets;
    imbal_dataset **data;           /* one per spec dataset */
    imbal_split **splits;           /* one per spec dataset */
    imbal_param_values *params;     /* n_datasets * n_techniques, parsed with class names */
    imbal_classifier_plan *classifiers; /* n_datasets * n_techniques: the classifier each
                                     * technique fits on each dataset */
    int multiclass;                 /* some dataset has more than two classes: the runs keep
                                     * k-class metrics and the reports show them */
    size_t n_runs;
    imbal_run_result *runs;         /* in run order: dataset, technique, repeat, fold; filled
                                     * by imbal_experiment_run without a sink, else NULL */
    size_t n_failed;                /* runs whose status is not IMBAL_OK */
    double seconds_prepare;         /* loading and splitting */
    double seconds_runs;            /* the parallel section */
    int threads;                    /* threads used */
} imbal_experiment;

typedef void (*imbal_progress_fn)(size_t done, size_t total, void *ctx);

/* Receives run index's result, in run order, from one thread at a time; the result (and its
 * coef and message) is freed after the call. A status other than IMBAL_OK (with err filled)
 * stops the experiment: no later run is started. */
typedef imbal_status (*imbal_run_sink)(const imbal_run_result *r, size_t index, void *ctx,
                                       imbal_error *err);

typedef struct {
    int threads;                    /* <= 0: all cores */
    int save_models;                /* keep coefficients per run */
    imbal_progress_fn progress;     /* may be NULL; called from one thread at a time */
    void *progress_ctx;
    imbal_run_sink sink;            /* NULL: results are kept in ex->runs; else each result
                                     * goes to sink as soon as its predecessors have, and
                                     * ex->runs stays NULL (memory flat in the number of runs) */
    void *sink_ctx;
} imbal_run_options;

/* Frees what a result owns (coef, message, counts, multi, blocks), leaving it zeroed there. */
void imbal_run_result_release(imbal_run_result *r);

/* Loads every dataset, checks it against the spec (the classes that class_weight
 * and sampling_strategy name, by imbal_class_find's rule, with errors at the spec's line and
 * column naming the dataset and its classes), and draws the splits. spec must outlive the experiment. Free with imbal_experiment_free. */
imbal_status imbal_experiment_prepare(const imbal_spec *spec, imbal_experiment **out,
                                      imbal_error *err);

/* At most this many infeasible runs are listed by imbal_experiment_check (all are counted). */
#define IMBAL_CHECK_LISTED 100

/* Whether every run can run, decided before the first from what prepare knows (each fold's
 * class counts, the parsed parameters): each (dataset, technique, fold) goes through its
 * sampler's check (imbal_resample_check), and its training and test folds must hold both
 * classes (the classifier and the metrics need them; for a leaky technique the sampler sees
 * the whole dataset and only that is checked). Appends one error per infeasible run, in run
 * order, to errs (may be NULL; the first IMBAL_CHECK_LISTED), at the spec file and the line of
 * the technique or of the parameter at fault, key "techniques[T].params.NAME" when a parameter
 * is at fault, message "dataset 'D', technique 'T', repeat R, fold F: reason" (1-based); sets
 * *n_infeasible (may be NULL) to their number. Returns IMBAL_OK when every run is feasible,
 * IMBAL_EINVAL (err = the first infeasible run) when not, IMBAL_ENOMEM. */
imbal_status imbal_experiment_check(const imbal_experiment *ex, imbal_error_list *errs,
                                    size_t *n_infeasible, imbal_error *err);

/* Checks the experiment (imbal_experiment_check) and, only when every run is feasible,
 * executes all runs. A run that fails at run time (the solver did not converge, out of memory)
 * is recorded in its result (status, message) and the others go on: ex->n_failed counts the
 * failures. Returns IMBAL_OK once every run has been attempted, failed ones included (err then
 * holds the lowest-numbered failed run's error, with its coordinates); IMBAL_EINVAL when a run
 * is infeasible (nothing was run, no progress reported); IMBAL_ENOMEM before any run. */
imbal_status imbal_experiment_run(imbal_experiment *ex, const imbal_run_options *opt,
                                  imbal_error *err);

void imbal_experiment_free(imbal_experiment *ex);

/* The coordinates (dataset, technique, repeat, fold, split_fold) of run r < ex->n_runs in
 * run order, every other field of *out zero. */
void imbal_experiment_run_coords(const imbal_experiment *ex, size_t r, imbal_run_result *out);

/* Whether technique t runs in scikit-learn compat mode (its own setting, else the spec's). */
int imbal_technique_compat(const imbal_spec *spec, size_t t);

#endif
