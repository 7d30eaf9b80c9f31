/* SMOTEENN as in imbalanced-learn 0.10: SMOTE (smote.c, with this technique's
 * sampling_strategy and k_neighbors) over-samples the fold, then edited nearest neighbours
 * cleans every class of the result (imblearn's EditedNearestNeighbours(sampling_strategy=
 * "all"), n_neighbors 3 and kind_sel all by default: one imbal_enn_pass over SMOTE's rows).
 * Output: the surviving rows class by class, within a class in SMOTE's order (originals,
 * then synthetic), as imblearn returns them. Reached only through resample.c's table. */
#include "samplers/samplers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "samplers/cleaning.h"

const imbal_param_spec imbal_smote_enn_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "SMOTE's classes to over-sample and their target counts (auto: all but the majority)"},
    {"k_neighbors", IMBAL_PARAM_INT, "5", 1, 1e6, NULL,
     "SMOTE's neighbours of a row among its class to interpolate towards"},
    {"n_neighbors", IMBAL_PARAM_INT, "3", 1, 1e6, NULL,
     "the cleaning step's neighbours that must agree with a row's class"},
    {"kind_sel", IMBAL_PARAM_STRING, "all", 0, 0, "all|mode",
     "the cleaning step: all neighbours must share the class, or their mode"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

/* Parameters of technique `name` with this technique's values of the names it shares
 * (given as text, so every check of that technique's schema applies again). */
static imbal_status se_params(const char *name, const imbal_param_values *p,
                              const char *const *shared, size_t n_shared, size_t n_classes,
                              imbal_param_values *out, imbal_error *err)
{
    const imbal_technique *t = imbal_technique_find(name);
    imbal_param given[4];
    if (t == NULL) {
        return imbal_fail(err, IMBAL_EUNSUP, "smote_enn needs the %s technique", name);
    }
    for (size_t i = 0; i < n_shared; i++) {
        given[i].name = shared[i];
        given[i].value = strcmp(shared[i], "sampling_strategy") == 0 && strcmp(name, "smote") != 0
                             ? "all"
                             : imbal_param_text(p, shared[i]);
    }
    imbal_status st = imbal_params_parse(t, given, n_shared, NULL, n_classes, out, err);
    if (st == IMBAL_OK && strcmp(name, "smote") == 0) {
        /* the strategy as parsed for this technique (class names already resolved) */
        for (size_t i = 0; i < out->n; i++) {
            if (strcmp(out->spec[i].name, "sampling_strategy") == 0) {
                out->strategy[i] = *imbal_param_strategy(p, "sampling_strategy");
            }
        }
    }
    return st;
}

imbal_status imbal_smote_enn_run(const imbal_train_view *in, const imbal_param_values *p,
                                 imbal_rng *rng, imbal_resampled **out, imbal_error *err)
{
    static const char *const smote_shared[] = {"k_neighbors"};
    static const char *const enn_shared[] = {"sampling_strategy", "n_neighbors", "kind_sel"};
    imbal_resampled *over = NULL;
    imbal_resampled *res = NULL;
    size_t *cur = NULL;
    size_t *kept = NULL;
    size_t m = 0;
    imbal_param_values sp;
    imbal_param_values ep;
    imbal_status st;
    *out = NULL;
    st = se_params("smote", p, smote_shared, 1, in->n_classes, &sp, err);
    if (st == IMBAL_OK) {
        st = se_params("edited_nearest_neighbours", p, enn_shared, 3, in->n_classes, &ep, err);
    }
    if (st == IMBAL_OK) {
        st = imbal_resample(imbal_technique_find("smote"), in, &sp, rng, &over, err);
    }
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    cur = imbal_malloc(over->n, sizeof(*cur));
    kept = imbal_malloc(over->n, sizeof(*kept));
    if (cur == NULL || kept == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory cleaning %zu rows", over->n);
        goto cleanup;
    }
    for (size_t i = 0; i < over->n; i++) {
        cur[i] = i;
    }
    imbal_train_view ov = {over->x, over->y, over->n, over->d, in->n_classes,
                           in->is_dummy, in->columns};
    st = imbal_enn_pass(&ov, &ep, cur, over->n, (size_t)imbal_param_num(p, "n_neighbors"),
                        imbal_enn_kind_of(p), kept, &m, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    st = imbal_resampled_alloc(m, over->d, &res, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t i = 0; i < m; i++) {
        memcpy(res->x + i * res->d, over->x + kept[i] * over->d, over->d * sizeof(double));
        res->y[i] = over->y[kept[i]];
        res->source[i] = over->source[kept[i]];
    }
    *out = res;
    res = NULL;
cleanup:
    imbal_resampled_free(res);
    imbal_resampled_free(over);
    free(cur);
    free(kept);
    return st;
}

/* SMOTE's refusals (k_neighbors + 1 rows in each class it over-samples), then the cleaning
 * step's on the over-sampled counts. */
imbal_status imbal_smote_enn_check(const imbal_param_values *p, const size_t *counts,
                                   size_t n_classes, imbal_error *err)
{
    size_t k = (size_t)imbal_param_num(p, "k_neighbors");
    long *target = imbal_malloc(n_classes, sizeof(*target));
    size_t n = 0;
    imbal_status st;
    if (target == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu classes", n_classes);
    }
    st = imbal_check_strategy(p, IMBAL_SAMPLER_OVER, counts, n_classes, target, err);
    for (size_t c = 0; c < n_classes && st == IMBAL_OK; c++) {
        if (target[c] > 0 && (size_t)target[c] > counts[c]) {
            st = imbal_check_neighbours(k, 1, counts[c], "k_neighbors",
                                        "of each class SMOTE over-samples", err);
        }
        n += target[c] > 0 && (size_t)target[c] > counts[c] ? (size_t)target[c] : counts[c];
    }
    if (st == IMBAL_OK) {
        st = imbal_check_neighbours((size_t)imbal_param_num(p, "n_neighbors"), 1, n,
                                    "n_neighbors", "(a row and its neighbours)", err);
    }
    free(target);
    return st;
}
