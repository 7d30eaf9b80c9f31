/* The experiment runner (see runner.h). prepare() does the serial work once per dataset
 * (load, check, split, parse each technique's parameters against the class names); run()
 * is one OpenMP loop over all runs in which each iteration reads shared data through const
 * pointers and writes only its own result slot. Before the loop imbal_experiment_check
 * (runner_check.c) refuses a spec with any run that cannot run; in the loop a run that fails
 * anyway keeps its error in its own slot and the others go on, so failures are as
 * deterministic as results and one bad run costs only itself. */
#include "imbal/runner.h"

#include <math.h>
#include <omp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "imbal/logreg.h"
#include "imbal/rng.h"
#include "runner_internal.h"

/* Coordinate used for split seeds in imbal_seed_derive's technique slot. */
#define RUNNER_SPLIT_STREAM UINT64_MAX
/* Coordinate of a classifier's own seed, derived from its run's. */
#define RUNNER_CLASSIFIER_STREAM (UINT64_MAX - 1)

int imbal_technique_compat(const imbal_spec *spec, size_t t)
{
    const imbal_spec_technique *tech = &spec->techniques[t];
    imbal_compat c = tech->compat_set ? tech->compat : spec->compat;
    return c == IMBAL_COMPAT_SKLEARN;
}

/* Dataset i; with keel_partitions also its split (the partitions matched to its rows), else
 * *split stays NULL. */
static imbal_status runner_load(const imbal_spec *spec, size_t i, imbal_dataset **out,
                                imbal_split **split, imbal_error *err)
{
    const imbal_spec_dataset *sd = &spec->datasets[i];
    imbal_load_options opt;
    imbal_load_options_default(&opt);
    opt.format = sd->format;
    opt.target = sd->target;
    opt.positive = sd->positive;
    opt.categorical = (const char *const *)sd->categorical;
    opt.n_categorical = sd->n_categorical;
    opt.decimal = sd->decimal;
    if (sd->synthetic) {
        return imbal_dataset_synthetic(&sd->synth, out, err);
    }
    if (spec->eval.protocol == IMBAL_PROTOCOL_KEEL_PARTITIONS) {
        return imbal_keel_partitions_load(sd->path, spec->eval.partitions, spec->eval.folds, &opt,
                                          out, split, err);
    }
    return imbal_dataset_load(sd->path, &opt, out, err);
}

static imbal_status runner_split(const imbal_spec *spec, size_t i, const int *y, size_t n,
                                 size_t n_classes, size_t repeat_base, imbal_split **out,
                                 imbal_error *err)
{
    const imbal_spec_evaluation *ev = &spec->eval;
    imbal_rng *rng = NULL;
    imbal_status st;
    /* compat: one numpy stream seeded like random_state=seed drives the whole split */
    int numpy = spec->compat == IMBAL_COMPAT_SKLEARN;
    uint64_t seed =
        numpy ? spec->seed : imbal_seed_derive(spec->seed, i, RUNNER_SPLIT_STREAM, repeat_base, 0);
    switch (ev->protocol) {
    case IMBAL_PROTOCOL_SPLIT_FILE:
        return imbal_split_read_file(ev->split_file, n, out, err);
    default: /* keel_partitions: drawn by runner_load with the data */
        break;
    }
    st = imbal_rng_new(numpy ? IMBAL_RNG_NUMPY : IMBAL_RNG_DEFAULT, seed, &rng, err);
    if (st != IMBAL_OK) {
        return st;
    }
    if (ev->protocol == IMBAL_PROTOCOL_HOLDOUT) {
        st = imbal_split_holdout(y, n, n_classes, ev->test_size, rng, out, err);
    } else if (ev->protocol == IMBAL_PROTOCOL_KFOLD) {
        st = imbal_split_kfold(y, n, n_classes, ev->folds, rng, out, err);
    } else {
        st = imbal_split_repeated_kfold(y, n, n_classes, ev->folds, ev->repeats, rng, out, err);
    }
    imbal_rng_free(rng);
    return st;
}

/* Fails at a class the spec names that dataset i does not have. */
static imbal_status runner_unknown_class(const imbal_spec *spec, size_t i, const imbal_dataset *ds,
                                         const imbal_spec_class *cl, const char *key,
                                         imbal_error *err)
{
    char hint[200];
    imbal_fail_at(err, IMBAL_EINVAL, spec->path, cl->line, cl->column,
                  "%s: '%.40s' is not a class of dataset '%.40s': %s", key, cl->name,
                  spec->datasets[i].name,
                  imbal_class_hint(cl->name, ds->class_names, ds->n_classes, hint, sizeof(hint)));
    imbal_error_set_key(err, key);
    return IMBAL_EINVAL;
}

/* Technique t's parameters parsed with dataset i's class names. Errors point at the class or
 * the parameter in the spec. */
static imbal_status runner_technique_params(const imbal_spec *spec, size_t i, size_t t,
                                            const imbal_dataset *ds, imbal_param_values *out,
                                            imbal_error *err)
{
    const imbal_spec_technique *tech = &spec->techniques[t];
    const imbal_technique *impl = imbal_technique_find(tech->sampler);
    imbal_status st;
    for (size_t k = 0; tech->param_sources != NULL && k < tech->n_params; k++) {
        const imbal_spec_param_source *src = &tech->param_sources[k];
        for (size_t c = 0; c < src->n_classes; c++) {
            const imbal_spec_class *cl = &src->classes[c];
            if (imbal_class_find(cl->name, strlen(cl->name), ds->class_names, ds->n_classes) < 0) {
                return runner_unknown_class(spec, i, ds, cl, tech->params[k].name, err);
            }
        }
    }
    st = imbal_params_parse(impl, tech->params, tech->n_params, ds->class_names, ds->n_classes, out,
                            err);
    if (st != IMBAL_OK && err != NULL && err->line == 0) {
        err->line = tech->line;
        err->column = tech->column;
        for (size_t k = 0; tech->param_sources != NULL && k < tech->n_params; k++) {
            if (strcmp(tech->params[k].name, err->key) == 0) {
                err->line = tech->param_sources[k].line;
                err->column = tech->param_sources[k].column;
            }
        }
        imbal_error_set_file(err, spec->path);
        if (strlen(err->msg) + strlen(spec->datasets[i].name) + 16 < sizeof(err->msg)) {
            char msg[2 * sizeof(err->msg)];
            snprintf(msg, sizeof(msg), "dataset '%s': %s", spec->datasets[i].name, err->msg);
            memcpy(err->msg, msg, sizeof(err->msg));
        }
    }
    return st;
}

/* The classifier technique t fits on dataset i: the spec's classifier with the technique's
 * overrides, every parameter in force ("auto" resolved for the technique's compat mode: the
 * logistic solver is lbfgs under compat: sklearn, else exact), and the class weights by the
 * dataset's class names (classes not named weigh 1). */
static imbal_status runner_classifier_plan(const imbal_spec *spec, size_t i, size_t t,
                                           const imbal_dataset *ds, imbal_classifier_plan *p,
                                           imbal_error *err)
{
    const imbal_spec_technique *tech = &spec->techniques[t];
    const imbal_spec_class_weight *cw =
        tech->class_weight_set ? &tech->class_weight : &spec->class_weight;
    const imbal_spec_class **seen = NULL;
    imbal_param given[IMBAL_PARAM_MAX];
    size_t n_given = 0;
    imbal_status st;
    p->classifier = imbal_classifier_find(imbal_spec_classifier_type(spec, t));
    if (p->classifier == NULL) { /* refused at load */
        return imbal_fail_at(err, IMBAL_EINVAL, spec->path, tech->line, tech->column,
                             "unknown classifier '%s'", imbal_spec_classifier_type(spec, t));
    }
    imbal_spec_classifier_given(spec, t, given, NULL, NULL, &n_given);
    st = imbal_classifier_params_parse(p->classifier, given, n_given, &p->params, err);
    if (st != IMBAL_OK) {
        return st;
    }
    if (p->classifier->resolve != NULL) {
        p->classifier->resolve(&p->params, imbal_technique_compat(spec, t));
    }
    p->class_weight = cw->kind;
    if (cw->kind == IMBAL_CW_EXPLICIT) {
        p->weight = imbal_malloc(ds->n_classes, sizeof(double));
        seen = imbal_calloc(ds->n_classes, sizeof(*seen));
        if (p->weight == NULL || seen == NULL) {
            free(seen);
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        }
        for (size_t c = 0; c < ds->n_classes; c++) {
            p->weight[c] = 1.0;
        }
    }
    for (size_t c = 0; cw->kind == IMBAL_CW_EXPLICIT && c < cw->n; c++) {
        const imbal_spec_class *cl = &cw->classes[c];
        long k = imbal_class_find(cl->name, strlen(cl->name), ds->class_names, ds->n_classes);
        if (k < 0) {
            free(seen);
            return runner_unknown_class(spec, i, ds, cl, "class_weight", err);
        }
        if (seen[k] != NULL) {
            imbal_fail_at(err, IMBAL_EINVAL, spec->path, cl->line, cl->column,
                          "class_weight: '%.40s' and '%.40s' are the same class '%.40s' of "
                          "dataset '%.40s'",
                          seen[k]->name, cl->name, ds->class_names[k], spec->datasets[i].name);
            imbal_error_set_key(err, "class_weight");
            free(seen);
            return IMBAL_EINVAL;
        }
        seen[k] = cl;
        p->weight[k] = cl->value;
    }
    free(seen);
    if (cw->kind != IMBAL_CW_NONE && !(p->classifier->flags & IMBAL_CLASSIFIER_CLASS_WEIGHT)) {
        return imbal_fail_at(err, IMBAL_EINVAL, spec->path, cw->line, cw->column,
                             "technique '%s': classifier '%s' takes no class_weight (balance "
                             "the data with a sampler instead)",
                             tech->name, p->classifier->name);
    }
    return IMBAL_OK;
}

static imbal_status runner_prepare_dataset(imbal_experiment *ex, size_t i, imbal_error *err)
{
    const imbal_spec *spec = ex->spec;
    const imbal_spec_dataset *sd = &spec->datasets[i];
    imbal_split *split = NULL;
    imbal_dataset *ds = NULL;
    imbal_status st;
    st = runner_load(spec, i, &ds, &split, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    if (ds->n_classes > 2) {
        ex->multiclass = 1;
    }
    for (size_t t = 0; t < spec->n_techniques && st == IMBAL_OK; t++) {
        size_t slot = i * spec->n_techniques + t;
        st = runner_technique_params(spec, i, t, ds, &ex->params[slot], err);
        if (st == IMBAL_OK) {
            st = runner_classifier_plan(spec, i, t, ds, &ex->classifiers[slot], err);
        }
    }
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    if (split != NULL) {
        ex->splits[i] = split;
        split = NULL;
    } else {
        st = runner_split(spec, i, ds->y, ds->n, ds->n_classes, 0, &ex->splits[i], err);
    }
    if (st != IMBAL_OK) {
        imbal_error_set_file(err, sd->path != NULL ? sd->path : spec->path);
        goto cleanup;
    }
    ex->data[i] = ds;
    ds = NULL;
cleanup:
    imbal_dataset_free(ds);
    imbal_split_free(split);
    return st;
}

imbal_status imbal_experiment_prepare(const imbal_spec *spec, imbal_experiment **out,
                                      imbal_error *err)
{
    imbal_experiment *ex = NULL;
    imbal_status st = IMBAL_OK;
    double t0 = omp_get_wtime();
    size_t n_runs = 0;
    *out = NULL;
    ex = imbal_calloc(1, sizeof(*ex));
    if (ex == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    ex->spec = spec;
    ex->n_datasets = spec->n_datasets;
    ex->data = imbal_calloc(spec->n_datasets, sizeof(*ex->data));
    ex->splits = imbal_calloc(spec->n_datasets, sizeof(*ex->splits));
    ex->params = imbal_calloc(spec->n_datasets * spec->n_techniques, sizeof(*ex->params));
    ex->classifiers =
        imbal_calloc(spec->n_datasets * spec->n_techniques, sizeof(*ex->classifiers));
    if (ex->data == NULL || ex->splits == NULL || ex->params == NULL || ex->classifiers == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < spec->n_datasets; i++) {
        st = runner_prepare_dataset(ex, i, err);
        if (st != IMBAL_OK) {
            goto cleanup;
        }
        n_runs += spec->n_techniques * ex->splits[i]->n_folds;
    }
    ex->n_runs = n_runs;
    ex->seconds_prepare = omp_get_wtime() - t0;
    *out = ex;
    ex = NULL;
cleanup:
    imbal_experiment_free(ex);
    return st;
}

void imbal_experiment_run_coords(const imbal_experiment *ex, size_t r, imbal_run_result *out)
{
    size_t i = 0;
    size_t nt = ex->spec->n_techniques;
    const imbal_split *sp;
    memset(out, 0, sizeof(*out));
    while (i + 1 < ex->n_datasets && r >= nt * ex->splits[i]->n_folds) {
        r -= nt * ex->splits[i]->n_folds;
        i++;
    }
    sp = ex->splits[i];
    out->dataset = i;
    out->technique = r / sp->n_folds;
    out->split_fold = r % sp->n_folds;
    out->repeat = sp->folds[out->split_fold].repeat;
    out->fold = sp->folds[out->split_fold].fold;
}

void imbal_run_result_release(imbal_run_result *r)
{
    free(r->coef);
    free(r->message);
    free(r->counts);
    imbal_metrics_multi_free(r->multi);
    free(r->block_class);
    free(r->intercepts);
    r->coef = NULL;
    r->message = NULL;
    r->counts = NULL;
    r->multi = NULL;
    r->block_class = NULL;
    r->intercepts = NULL;
    r->n_blocks = 0;
}

void imbal_experiment_free(imbal_experiment *ex)
{
    if (ex == NULL) {
        return;
    }
    for (size_t i = 0; i < ex->n_datasets; i++) {
        if (ex->data != NULL) {
            imbal_dataset_free(ex->data[i]);
        }
        if (ex->splits != NULL) {
            imbal_split_free(ex->splits[i]);
        }
    }
    for (size_t r = 0; ex->runs != NULL && r < ex->n_runs; r++) {
        imbal_run_result_release(&ex->runs[r]);
    }
    for (size_t p = 0; ex->classifiers != NULL && p < ex->n_datasets * ex->spec->n_techniques;
         p++) {
        free(ex->classifiers[p].weight);
    }
    free(ex->runs);
    free(ex->data);
    free(ex->splits);
    free(ex->params);
    free(ex->classifiers);
    free(ex);
}

/* ---- one run ---- */

/* Scratch of one run; everything here is owned by the run and freed at its end. */
typedef struct {
    double *x_train;
    int *y_train;
    double *x_test;
    int *y_test;
    double *proba;
    double *rank;
    double *score; /* binary: column 1 of proba and of rank */
    imbal_resampled *res;
    imbal_dataset *leaky_data;
    imbal_split *leaky_split;
    imbal_model *model;
    imbal_rng *rng;
    /* when resampling left classes without rows: the fit's labels and weights over the
     * classes that have rows, and the class each stands for */
    int *y_fit;
    double *w_fit;
    size_t *cls_of;
} run_scratch;

static void run_scratch_free(run_scratch *s)
{
    free(s->x_train);
    free(s->y_train);
    free(s->x_test);
    free(s->y_test);
    free(s->proba);
    free(s->rank);
    free(s->score);
    imbal_resampled_free(s->res);
    imbal_dataset_free(s->leaky_data);
    imbal_split_free(s->leaky_split);
    imbal_model_free(s->model);
    imbal_rng_free(s->rng);
    free(s->y_fit);
    free(s->w_fit);
    free(s->cls_of);
}

/* Copies rows idx[0..m) of (x, y) into fresh arrays. */
static imbal_status run_gather(const double *x, const int *y, size_t d, const size_t *idx, size_t m,
                               double **xo, int **yo, imbal_error *err)
{
    *xo = imbal_malloc(m * d, sizeof(double));
    *yo = imbal_malloc(m, sizeof(int));
    if (*xo == NULL || *yo == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory copying a fold of %zu rows", m);
    }
    for (size_t i = 0; i < m; i++) {
        memcpy(*xo + i * d, x + idx[i] * d, d * sizeof(double));
        (*yo)[i] = y[idx[i]];
    }
    return IMBAL_OK;
}

/* The wrong way, kept for teaching: resample the whole dataset, then split what came out, so
 * copies and interpolations of test rows leak into training. */
static imbal_status run_leaky_fold(const imbal_experiment *ex, const imbal_run_result *r,
                                   const imbal_technique *tech, const imbal_param_values *pv,
                                   run_scratch *s, const imbal_fold **fold, imbal_error *err)
{
    const imbal_spec *spec = ex->spec;
    const imbal_dataset *ds = ex->data[r->dataset];
    imbal_train_view all = {ds->x, ds->y, ds->n, ds->d, ds->n_classes, ds->is_dummy, ds->columns};
    imbal_status st = imbal_resample(tech, &all, pv, s->rng, &s->res, err);
    if (st != IMBAL_OK) {
        return st;
    }
    st = imbal_dataset_new(s->res->n, s->res->d, ds->n_classes, &s->leaky_data, err);
    if (st != IMBAL_OK) {
        return st;
    }
    memcpy(s->leaky_data->x, s->res->x, s->res->n * s->res->d * sizeof(double));
    memcpy(s->leaky_data->y, s->res->y, s->res->n * sizeof(int));
    st = runner_split(spec, r->dataset, s->leaky_data->y, s->leaky_data->n, ds->n_classes, 0,
                      &s->leaky_split, err);
    if (st != IMBAL_OK) {
        return st;
    }
    *fold = &s->leaky_split->folds[r->split_fold];
    return IMBAL_OK;
}

/* Rows per class of y[0..n) into count[0..k); binary data also into *neg, *pos. */
static void run_count(const int *y, size_t n, size_t k, size_t *count, size_t *neg, size_t *pos)
{
    memset(count, 0, k * sizeof(*count));
    for (size_t i = 0; i < n; i++) {
        count[y[i]]++;
    }
    if (k == 2) {
        *neg = count[0];
        *pos = count[1];
    }
}

/* The fitted model's test-fold scores into r: binary metrics ranked by the classifier's
 * ranking score of class 1 (a logistic model's decision value: probabilities saturate, tie at
 * 1.0, where those still differ), k-class metrics when the experiment reports them. */
static imbal_status run_score(const imbal_experiment *ex, imbal_run_result *r, run_scratch *s,
                              size_t n_test, imbal_error *err)
{
    size_t k = r->k;
    imbal_status st;
    s->proba = imbal_malloc(n_test * k, sizeof(double));
    s->rank = imbal_malloc(n_test * k, sizeof(double));
    s->score = imbal_malloc(2 * n_test, sizeof(double));
    if (s->proba == NULL || s->rank == NULL || s->score == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory scoring %zu test rows", n_test);
    }
    if (s->cls_of != NULL) {
        /* a model of the classes that had rows: the others get probability 0 */
        size_t kf = s->model->k;
        double *p = imbal_malloc(n_test * kf, sizeof(double));
        double *z = imbal_malloc(n_test * kf, sizeof(double));
        if (p == NULL || z == NULL) {
            free(p);
            free(z);
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory scoring %zu test rows", n_test);
        }
        st = imbal_model_predict(s->model, s->x_test, n_test, p, z, err);
        for (size_t i = 0; i < n_test && st == IMBAL_OK; i++) {
            for (size_t c = 0; c < k; c++) {
                s->proba[i * k + c] = 0.0;
                s->rank[i * k + c] = -INFINITY;
            }
            for (size_t c = 0; c < kf; c++) {
                s->proba[i * k + s->cls_of[c]] = p[i * kf + c];
                s->rank[i * k + s->cls_of[c]] = z[i * kf + c];
            }
        }
        free(p);
        free(z);
    } else {
        st = imbal_model_predict(s->model, s->x_test, n_test, s->proba, s->rank, err);
    }
    if (st != IMBAL_OK) {
        return st;
    }
    r->n_test = n_test;
    if (k == 2) {
        double *p1 = s->score;
        double *z1 = s->score + n_test;
        for (size_t i = 0; i < n_test; i++) {
            p1[i] = s->proba[2 * i + 1];
            z1[i] = s->rank[2 * i + 1];
        }
        st = imbal_metrics_compute_ranked(z1, p1, s->y_test, n_test, ex->spec->eval.threshold,
                                          &r->metrics, err);
        if (st != IMBAL_OK) {
            return st;
        }
    }
    if (ex->multiclass) {
        st = imbal_metrics_multi_compute(s->y_test, s->proba, n_test, k, &r->multi, err);
    }
    return st;
}

/* A cleaning sampler may remove every row of a class (ENN on a class of one row). As
 * scikit-learn, whose estimators learn the classes of the y they are given, the classifier is
 * then fitted on the classes that have rows, relabelled 0 .. k' - 1 (explicit class weights
 * follow their classes; balanced ones are n / (k' n_c)), and the absent classes score 0. Fewer
 * than two classes left is an error naming the one left. */
static imbal_status run_present_classes(const imbal_dataset *ds, const size_t *count,
                                        imbal_train_view *view, imbal_classifier_settings *cs,
                                        run_scratch *s, imbal_error *err)
{
    size_t k = ds->n_classes;
    size_t kf = 0;
    size_t *code;
    for (size_t c = 0; c < k; c++) {
        kf += count[c] > 0;
    }
    if (kf == k) {
        return IMBAL_OK;
    }
    if (kf < 2) {
        for (size_t c = 0; c < k; c++) {
            if (count[c] > 0) {
                return imbal_fail(err, IMBAL_EINVAL,
                                  "after resampling only class '%s' has rows: a classifier "
                                  "needs two",
                                  ds->class_names[c]);
            }
        }
        return imbal_fail(err, IMBAL_EINVAL, "resampling left no rows");
    }
    s->cls_of = imbal_malloc(kf, sizeof(size_t));
    s->y_fit = imbal_malloc(view->n, sizeof(int));
    s->w_fit = imbal_malloc(kf, sizeof(double));
    code = imbal_malloc(k, sizeof(size_t));
    if (s->cls_of == NULL || s->y_fit == NULL || s->w_fit == NULL || code == NULL) {
        free(code);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    kf = 0;
    for (size_t c = 0; c < k; c++) {
        if (count[c] > 0) {
            code[c] = kf;
            s->cls_of[kf] = c;
            s->w_fit[kf] = cs->class_weight.weight != NULL ? cs->class_weight.weight[c] : 1.0;
            kf++;
        }
    }
    for (size_t i = 0; i < view->n; i++) {
        s->y_fit[i] = (int)code[view->y[i]];
    }
    free(code);
    view->y = s->y_fit;
    view->n_classes = kf;
    if (cs->class_weight.weight != NULL) {
        cs->class_weight.weight = s->w_fit;
    }
    return IMBAL_OK;
}

/* The fit's record into r; with save_models the coefficient blocks move to r. */
static void run_keep_model(imbal_run_result *r, imbal_model *m, int save_models)
{
    r->n_iter = m->n_iter;
    r->fit = m->fit;
    r->converged = m->fit == IMBAL_FIT_CONVERGED;
    if (m->k == 2 && m->n_blocks == 1) {
        r->intercept = m->intercept[0];
    }
    if (save_models && m->n_blocks > 0) {
        r->n_blocks = m->n_blocks;
        r->coef = m->coef;
        r->block_class = m->block_class;
        r->intercepts = m->intercept;
        m->coef = NULL; /* ownership moved to the result */
        m->block_class = NULL;
        m->intercept = NULL;
        m->n_blocks = 0;
    }
}

static imbal_status run_one(const imbal_experiment *ex, imbal_run_result *r, int save_models,
                            imbal_error *err)
{
    const imbal_spec *spec = ex->spec;
    size_t slot = r->dataset * spec->n_techniques + r->technique;
    const imbal_spec_technique *st_tech = &spec->techniques[r->technique];
    const imbal_technique *tech = imbal_technique_find(st_tech->sampler);
    const imbal_param_values *pv = &ex->params[slot];
    const imbal_classifier_plan *cp = &ex->classifiers[slot];
    const imbal_dataset *ds = ex->data[r->dataset];
    const imbal_fold *fold = &ex->splits[r->dataset]->folds[r->split_fold];
    const double *x_src = ds->x;
    const int *y_src = ds->y;
    imbal_train_view fit_view;
    imbal_classifier_settings cs;
    int compat = imbal_technique_compat(spec, r->technique);
    uint64_t seed = compat ? spec->seed
                           : imbal_seed_derive(spec->seed, r->dataset, r->technique, r->repeat,
                                               st_tech->leaky ? 0 : r->fold);
    size_t k = ds->n_classes;
    run_scratch s;
    imbal_status st;
    double t0 = omp_get_wtime();

    memset(&s, 0, sizeof(s));
    r->k = k;
    r->counts = imbal_calloc(3 * k, sizeof(size_t));
    if (r->counts == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        goto cleanup;
    }
    /* compat: every sampler starts a fresh numpy stream from the seed, as random_state=int */
    st = imbal_rng_new(compat ? IMBAL_RNG_NUMPY : IMBAL_RNG_DEFAULT, seed, &s.rng, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    if (st_tech->leaky) {
        st = run_leaky_fold(ex, r, tech, pv, &s, &fold, err);
        if (st != IMBAL_OK) {
            goto cleanup;
        }
        x_src = s.leaky_data->x;
        y_src = s.leaky_data->y;
    }
    st = run_gather(x_src, y_src, ds->d, fold->train, fold->n_train, &s.x_train, &s.y_train, err);
    if (st == IMBAL_OK) {
        st = run_gather(x_src, y_src, ds->d, fold->test, fold->n_test, &s.x_test, &s.y_test, err);
    }
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    run_count(s.y_train, fold->n_train, k, r->counts, &r->n_train_neg, &r->n_train_pos);
    {
        size_t neg = 0;
        size_t pos = 0;
        run_count(s.y_test, fold->n_test, k, r->counts + 2 * k, &neg, &pos);
    }
    fit_view = (imbal_train_view){s.x_train, s.y_train,     fold->n_train,
                                  ds->d,     ds->n_classes, ds->is_dummy, ds->columns};
    if (!st_tech->leaky) {
        st = imbal_resample(tech, &fit_view, pv, s.rng, &s.res, err);
        if (st != IMBAL_OK) {
            goto cleanup;
        }
        if (spec->onehot_truncate) {
            /* emulation of an old pandas cast of resampled frames to integer dummies */
            for (size_t i = 0; i < s.res->n; i++) {
                for (size_t j = 0; j < ds->d; j++) {
                    if (ds->is_dummy[j]) {
                        s.res->x[i * ds->d + j] = trunc(s.res->x[i * ds->d + j]);
                    }
                }
            }
        }
        fit_view.x = s.res->x;
        fit_view.y = s.res->y;
        fit_view.n = s.res->n;
    }
    run_count(fit_view.y, fit_view.n, k, r->counts + k, &r->n_resampled_neg,
              &r->n_resampled_pos);
    cs.params = &cp->params;
    cs.class_weight.kind = cp->class_weight;
    cs.class_weight.weight = cp->weight;
    /* the classifier's own draws: a stream apart from the sampler's (compat: the seed, as
     * random_state=int) */
    cs.seed = compat ? spec->seed : imbal_seed_derive(seed, RUNNER_CLASSIFIER_STREAM, 0, 0, 0);
    st = run_present_classes(ds, r->counts + k, &fit_view, &cs, &s, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    st = imbal_classifier_fit(cp->classifier, &fit_view, &cs, &s.model, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    if (s.cls_of != NULL) {
        for (size_t b = 0; b < s.model->n_blocks; b++) {
            s.model->block_class[b] = s.cls_of[s.model->block_class[b]];
        }
    }
    st = run_score(ex, r, &s, fold->n_test, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    run_keep_model(r, s.model, save_models);
cleanup:
    run_scratch_free(&s);
    r->seconds = omp_get_wtime() - t0;
    return st;
}

/* The failure of run r, with its coordinates, as err's message. */
static void run_error_locate(const imbal_experiment *ex, const imbal_run_result *rr,
                             const imbal_error *e, imbal_error *err)
{
    char msg[1024];
    *err = *e;
    snprintf(msg, sizeof(msg), "dataset '%s', technique '%s', repeat %zu, fold %zu: %s",
             ex->spec->datasets[rr->dataset].name, ex->spec->techniques[rr->technique].name,
             rr->repeat + 1, rr->fold + 1, e->msg);
    msg[sizeof(err->msg) - 1] = '\0';
    memcpy(err->msg, msg, sizeof(err->msg));
}

/* A failed run keeps its error message (and its key, when the message does not start with it). */
static char *run_message(const imbal_error *e)
{
    size_t nk = strlen(e->key);
    int with_key = nk > 0 && strncmp(e->msg, e->key, nk) != 0;
    size_t n = strlen(e->msg) + (with_key ? nk + 2 : 0) + 1;
    char *m = imbal_malloc(n, 1);
    if (m != NULL) {
        snprintf(m, n, "%s%s%s", with_key ? e->key : "", with_key ? ": " : "", e->msg);
    }
    return m;
}

/* A failed run reports nothing but its coordinates and its error. */
static void run_failed(imbal_run_result *rr, const imbal_error *e)
{
    imbal_run_result_release(rr);
    memset(&rr->n_train_neg, 0,
           offsetof(imbal_run_result, seconds) - offsetof(imbal_run_result, n_train_neg));
    rr->k = 0;
    rr->message = run_message(e);
}

/* Results handed to a sink in run order: a run that finishes before its predecessors waits
 * in a ring of RUN_WINDOW_PER_THREAD * threads slots, and a thread whose run would not fit
 * waits for the oldest to be handed on (the oldest unfinished run is always running, never
 * waiting, so this cannot deadlock). Memory is that ring, whatever the number of runs. */
#define RUN_WINDOW_PER_THREAD 8

typedef struct {
    imbal_run_result *slot;
    unsigned char *ready;
    size_t w;
    size_t next;          /* the next run to hand on; read outside the lock atomically */
    imbal_status sink_st; /* the first failure of the sink (written under the lock) */
    int stopped;          /* sink_st != IMBAL_OK, read outside the lock: start no more runs */
    imbal_error sink_err;
} run_window;

static void run_window_wait(const run_window *win, size_t r)
{
    for (;;) {
        size_t next;
        int stopped;
#pragma omp atomic read
        next = win->next;
#pragma omp atomic read
        stopped = win->stopped;
        if (r - next < win->w || stopped) {
            return;
        }
        struct timespec ts = {0, 20000};
        nanosleep(&ts, NULL);
    }
}

/* Stores run r and hands on every result that is now next in order. Call inside the lock. */
static void run_window_put(run_window *win, size_t r, imbal_run_result *res,
                           const imbal_run_options *opt)
{
    size_t next = win->next;
    if (win->sink_st != IMBAL_OK) {
        imbal_run_result_release(res); /* nothing is written any more */
        return;
    }
    win->slot[r % win->w] = *res;
    win->ready[r % win->w] = 1;
    while (win->ready[next % win->w]) {
        imbal_run_result *out = &win->slot[next % win->w];
        if (win->sink_st == IMBAL_OK) {
            win->sink_st = opt->sink(out, next, opt->sink_ctx, &win->sink_err);
            if (win->sink_st != IMBAL_OK) {
#pragma omp atomic write
                win->stopped = 1;
            }
        }
        imbal_run_result_release(out);
        win->ready[next % win->w] = 0;
        next++;
    }
#pragma omp atomic write
    win->next = next;
}

imbal_status imbal_experiment_run(imbal_experiment *ex, const imbal_run_options *opt,
                                  imbal_error *err)
{
    imbal_status st = IMBAL_OK;
    size_t done = 0;
    size_t first_failed = SIZE_MAX;
    imbal_error first_err;
    int threads = opt != NULL && opt->threads > 0 ? opt->threads : omp_get_num_procs();
    int save_models = opt != NULL && opt->save_models;
    int stream = opt != NULL && opt->sink != NULL;
    run_window win;
    double t0;

    memset(&win, 0, sizeof(win));
    imbal_error_clear(&first_err);
    st = imbal_experiment_check(ex, NULL, NULL, err);
    if (st != IMBAL_OK) {
        return st;
    }
    if (stream) {
        win.w = (size_t)threads * RUN_WINDOW_PER_THREAD;
        win.slot = imbal_calloc(win.w, sizeof(*win.slot));
        win.ready = imbal_calloc(win.w, 1);
        imbal_error_clear(&win.sink_err);
        if (win.slot == NULL || win.ready == NULL) {
            free(win.slot);
            free(win.ready);
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        }
    } else if (ex->runs == NULL) {
        ex->runs = imbal_calloc(ex->n_runs, sizeof(*ex->runs));
        if (ex->runs == NULL) {
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu run results", ex->n_runs);
        }
    }
    t0 = omp_get_wtime();
    ex->threads = threads;
    ex->n_failed = 0;
#pragma omp parallel for schedule(dynamic) num_threads(threads)
    for (size_t r = 0; r < ex->n_runs; r++) {
        imbal_run_result local;
        imbal_run_result *res = stream ? &local : &ex->runs[r];
        imbal_error e;
        int stopped;
        /* runs are the parallelism: the samplers' own loops (neighbour queries) get one
         * thread each, else every run would start a team that mostly spins */
        omp_set_num_threads(1);
        imbal_experiment_run_coords(ex, r, res);
        imbal_error_clear(&e);
#pragma omp atomic read
        stopped = win.stopped;
        if (stopped) {
            continue; /* the results can no longer be written: stop */
        }
        res->status = run_one(ex, res, save_models, &e);
        if (res->status != IMBAL_OK) {
            const imbal_dataset *ds = ex->data[res->dataset];
            imbal_error_name_classes(&e, ds->class_names, ds->n_classes);
            run_failed(res, &e);
#pragma omp critical(imbal_failed)
            {
                ex->n_failed++;
                if (r < first_failed) {
                    first_failed = r;
                    run_error_locate(ex, res, &e, &first_err);
                }
            }
        }
        if (stream) {
            run_window_wait(&win, r);
#pragma omp critical(imbal_window)
            run_window_put(&win, r, res, opt);
        }
        if (opt != NULL && opt->progress != NULL) {
#pragma omp critical(imbal_progress)
            {
                done++;
                opt->progress(done, ex->n_runs, opt->progress_ctx);
            }
        }
    }
    ex->seconds_runs = omp_get_wtime() - t0;
    free(win.slot);
    free(win.ready);
    if (win.sink_st != IMBAL_OK) {
        if (err != NULL && err->status == IMBAL_OK) {
            *err = win.sink_err;
        }
        return win.sink_st;
    }
    if (first_failed != SIZE_MAX && err != NULL && err->status == IMBAL_OK) {
        *err = first_err;
    }
    return IMBAL_OK;
}
