/* Feasibility of every run before the first (see imbal_experiment_check in runner.h). The
 * splits are drawn in imbal_experiment_prepare, so every training and test fold's class
 * counts are known without fitting anything: each (dataset, technique, fold) is put to its
 * sampler's check (the `check` column of resample.c's table), and to the two refusals the
 * classifier and the metrics would make (a training or test fold without both classes). A
 * spec that cannot run is refused whole, with every infeasible run listed, instead of after
 * the rest of the grid has been computed. Counts are taken once per fold; the checks are
 * O(1) per run, so this costs nothing next to one run. A leaky technique resamples the whole
 * dataset and splits what comes out, so only its sampler's check on the whole dataset is known
 * here; its folds exist at run time, where a failure costs only that run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/runner.h"
#include "runner_internal.h"

/* Rows of each class among idx[0 .. m) of y into counts[0 .. k). */
static void check_count(const int *y, const size_t *idx, size_t m, size_t k, size_t *counts)
{
    memset(counts, 0, k * sizeof(*counts));
    for (size_t i = 0; i < m; i++) {
        counts[y[idx != NULL ? idx[i] : i]]++;
    }
}

void imbal_error_name_classes(imbal_error *e, char *const *names, size_t k)
{
    char out[sizeof(e->msg)];
    size_t o = 0;
    const char *p = e->msg;
    while (*p != '\0' && o + 1 < sizeof(out)) {
        if (strncmp(p, "class ", 6) == 0 && p[6] >= '0' && p[6] <= '9') {
            char *end;
            unsigned long c = strtoul(p + 6, &end, 10);
            if (c < k && (*end == '\0' || strchr(" ,;:)", *end) != NULL)) {
                int w = snprintf(out + o, sizeof(out) - o, "class '%s'", names[c]);
                if (w < 0 || (size_t)w >= sizeof(out) - o) {
                    return; /* no room: keep the numbers */
                }
                o += (size_t)w;
                p = end;
                continue;
            }
        }
        out[o++] = *p++;
    }
    out[o] = '\0';
    memcpy(e->msg, out, sizeof(out));
}

/* The reason run (i, t, fold f) cannot run into why (an error without location), or IMBAL_OK. */
static imbal_status check_run(const imbal_experiment *ex, size_t i, size_t t, const size_t *train,
                              const size_t *test, const size_t *whole, imbal_error *why)
{
    const imbal_spec *spec = ex->spec;
    const imbal_spec_technique *tech = &spec->techniques[t];
    const imbal_technique *impl = imbal_technique_find(tech->sampler);
    const imbal_param_values *pv = &ex->params[i * spec->n_techniques + t];
    const imbal_classifier_plan *cp = &ex->classifiers[i * spec->n_techniques + t];
    size_t k = ex->data[i]->n_classes;
    /* the leaky way resamples the whole dataset, then splits what came out */
    const size_t *fold = tech->leaky ? whole : train;
    imbal_status st;
    if (impl == NULL) {
        return imbal_fail(why, IMBAL_EINVAL, "unknown sampler '%s'", tech->sampler);
    }
    st = imbal_resample_check(impl, pv, fold, k, why);
    if (st != IMBAL_OK) {
        imbal_error_name_classes(why, ex->data[i]->class_names, k);
        return st;
    }
    if (cp->classifier->check != NULL && !tech->leaky) {
        /* on the training fold as it is: what resampling makes of it is the sampler's */
        st = cp->classifier->check(&cp->params, train, k, why);
        if (st != IMBAL_OK) {
            imbal_error_name_classes(why, ex->data[i]->class_names, k);
            return st;
        }
    }
    if (k > 2) {
        size_t present = 0;
        for (size_t c = 0; c < k; c++) {
            present += train[c] > 0;
        }
        if (!tech->leaky && present < 2) {
            return imbal_fail(why, IMBAL_EINVAL,
                              "the training fold holds %zu of the %zu classes: a classifier "
                              "needs two",
                              present, k);
        }
        return IMBAL_OK; /* a class absent from a test fold leaves some metrics undefined */
    }
    if (!tech->leaky && (train[0] == 0 || train[1] == 0)) {
        return imbal_fail(why, IMBAL_EINVAL,
                          "the training fold has %zu negative and %zu positive rows: logistic "
                          "regression needs both classes",
                          train[0], train[1]);
    }
    if (!tech->leaky && (test[0] == 0 || test[1] == 0)) {
        return imbal_fail(why, IMBAL_EINVAL,
                          "the test fold has %zu negative and %zu positive rows: the metrics "
                          "need both classes (fewer folds, or a larger test set)",
                          test[0], test[1]);
    }
    return IMBAL_OK;
}

/* why located in the spec: the technique's line, or the line of the parameter at fault; the
 * key as the spec spells it (techniques[t].params.KEY); the run's coordinates first. */
static void check_locate(const imbal_experiment *ex, size_t i, size_t t, const imbal_fold *f,
                         const imbal_error *why, imbal_error *out)
{
    const imbal_spec *spec = ex->spec;
    const imbal_spec_technique *tech = &spec->techniques[t];
    long line = tech->line;
    long column = tech->column;
    char key[2 * sizeof(out->key)];
    key[0] = '\0';
    for (size_t k = 0; why->key[0] != '\0' && tech->param_sources != NULL && k < tech->n_params;
         k++) {
        if (strcmp(tech->params[k].name, why->key) == 0) {
            line = tech->param_sources[k].line;
            column = tech->param_sources[k].column;
        }
    }
    if (why->key[0] != '\0') {
        snprintf(key, sizeof(key), "techniques[%zu].params.%s", t, why->key);
        key[sizeof(out->key) - 1] = '\0';
    }
    imbal_error_clear(out);
    imbal_fail_at(out, why->status, spec->path, line, column,
                  "dataset '%.40s', technique '%.40s', repeat %zu, fold %zu: %s",
                  spec->datasets[i].name, tech->name, f->repeat + 1, f->fold + 1, why->msg);
    imbal_error_set_key(out, key);
}

imbal_status imbal_experiment_check(const imbal_experiment *ex, imbal_error_list *errs,
                                    size_t *n_infeasible, imbal_error *err)
{
    const imbal_spec *spec = ex->spec;
    size_t bad = 0;
    imbal_status st = IMBAL_OK;
    for (size_t i = 0; i < ex->n_datasets && st != IMBAL_ENOMEM; i++) {
        const imbal_dataset *ds = ex->data[i];
        const imbal_split *sp = ex->splits[i];
        size_t k = ds->n_classes;
        /* counts[2 k f ..]: training fold f's rows per class, then its test fold's; then the
         * whole dataset's */
        size_t *counts = imbal_malloc(sp->n_folds + 1, 2 * k * sizeof(size_t));
        size_t *whole;
        if (counts == NULL) {
            st = imbal_fail(err, IMBAL_ENOMEM, "out of memory checking %zu folds", sp->n_folds);
            break;
        }
        whole = counts + 2 * k * sp->n_folds;
        check_count(ds->y, NULL, ds->n, k, whole);
        for (size_t f = 0; f < sp->n_folds; f++) {
            check_count(ds->y, sp->folds[f].train, sp->folds[f].n_train, k, counts + 2 * k * f);
            check_count(ds->y, sp->folds[f].test, sp->folds[f].n_test, k, counts + 2 * k * f + k);
        }
        for (size_t t = 0; t < spec->n_techniques && st != IMBAL_ENOMEM; t++) {
            for (size_t f = 0; f < sp->n_folds && st != IMBAL_ENOMEM; f++) {
                imbal_error why;
                imbal_error located;
                imbal_error_clear(&why);
                if (check_run(ex, i, t, counts + 2 * k * f, counts + 2 * k * f + k, whole, &why) ==
                    IMBAL_OK) {
                    continue;
                }
                if (why.status == IMBAL_ENOMEM) {
                    st = imbal_fail(err, IMBAL_ENOMEM, "%s", why.msg);
                    continue;
                }
                check_locate(ex, i, t, &sp->folds[f], &why, &located);
                if (bad == 0 && err != NULL && err->status == IMBAL_OK) {
                    *err = located;
                }
                if (errs != NULL && bad < IMBAL_CHECK_LISTED) {
                    imbal_error_list_add(errs, &located);
                }
                bad++;
                st = IMBAL_EINVAL;
            }
        }
        free(counts);
    }
    if (n_infeasible != NULL) {
        *n_infeasible = bad;
    }
    return st;
}
