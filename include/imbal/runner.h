/* The experiment runner: expands a spec into runs (dataset x technique x repeat x fold) and
 * executes them in parallel with OpenMP. Data are loaded and split once per dataset and
 * shared read-only; each run copies its training fold, resamples only that copy (the test
 * fold never reaches a sampler or the scaler), fits, and scores the untouched test fold.
 * Each run draws from its own generator seeded by imbal_seed_derive(master, dataset,
 * technique, repeat, fold) (compat: sklearn uses the master seed as-is, as random_state=int
 * does), and writes only its own result slot, so results are identical for any thread count. */
#ifndef IMBAL_RUNNER_H
#define IMBAL_RUNNER_H

#include <stddef.h>

#include "imbal/dataset.h"
#include "imbal/error.h"
#include "imbal/logreg.h"
#include "imbal/metrics.h"
#include "imbal/resample.h"
#include "imbal/spec.h"
#include "imbal/split.h"

typedef struct {
    size_t dataset, technique, repeat, fold; /* coordinates, 0-based */
    size_t split_fold;                       /* index into the dataset's split */
    size_t n_train_neg, n_train_pos;         /* training fold before resampling */
    size_t n_resampled_neg, n_resampled_pos; /* what the classifier was fitted on */
    size_t n_test;
    imbal_metrics metrics;                   /* on the test fold */
    size_t n_iter;                           /* solver iterations */
    int converged;                           /* fit == IMBAL_FIT_CONVERGED */
    imbal_logreg_fit_status fit;             /* how the fit ended (logreg.h) */
    double intercept;
    double *coef;                            /* d coefficients, or NULL without save_models */
    double seconds;                          /* wall time of this run (not in byte-stable output) */
} imbal_run_result;

typedef struct {
    const imbal_spec *spec;         /* borrowed */
    size_t n_datasets;
    imbal_dataset **data;           /* one per spec dataset */
    imbal_split **splits;           /* one per spec dataset */
    imbal_param_values *params;     /* n_datasets * n_techniques, parsed with class names */
    imbal_logreg_params *logreg;    /* n_datasets * n_techniques: the classifier each technique
                                     * fits (overrides applied, class weights resolved against
                                     * the dataset's class names, the solver it runs) */
    size_t n_runs;
    imbal_run_result *runs;         /* in run order: dataset, technique, repeat, fold */
    double seconds_prepare;         /* loading and splitting */
    double seconds_runs;            /* the parallel section */
    int threads;                    /* threads used */
} imbal_experiment;

typedef void (*imbal_progress_fn)(size_t done, size_t total, void *ctx);

typedef struct {
    int threads;                    /* <= 0: all cores */
    int save_models;                /* keep coefficients per run */
    imbal_progress_fn progress;     /* may be NULL; called from one thread at a time */
    void *progress_ctx;
} imbal_run_options;

/* Loads every dataset, checks it against the spec (two classes; the classes that class_weight
 * and sampling_strategy name, by imbal_class_find's rule, with errors at the spec's line and
 * column naming the dataset and its classes), and draws the splits. spec must outlive the experiment. Free with imbal_experiment_free. */
imbal_status imbal_experiment_prepare(const imbal_spec *spec, imbal_experiment **out,
                                      imbal_error *err);

/* Executes all runs. On failure the lowest-numbered failing run's error is returned. */
imbal_status imbal_experiment_run(imbal_experiment *ex, const imbal_run_options *opt,
                                  imbal_error *err);

void imbal_experiment_free(imbal_experiment *ex);

/* Whether technique t runs in scikit-learn compat mode (its own setting, else the spec's). */
int imbal_technique_compat(const imbal_spec *spec, size_t t);

#endif
