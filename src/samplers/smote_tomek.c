/* SMOTETomek as in imbalanced-learn 0.10: SMOTE (smote.c, with this technique's
 * sampling_strategy and k_neighbors) over-samples the fold, then Tomek links are removed from
 * every class of the result (imblearn's TomekLinks(sampling_strategy="all")). Output: SMOTE's
 * rows (originals, then synthetic) that survive, in that order. Reached only through
 * resample.c's table, on a training fold. */
#include "samplers/samplers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "samplers/cleaning.h"

const imbal_param_spec imbal_smote_tomek_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "SMOTE's classes to over-sample and their target counts (auto: all but the majority)"},
    {"k_neighbors", IMBAL_PARAM_INT, "5", 1, 1e6, NULL,
     "SMOTE's neighbours of a row among its class to interpolate towards"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

/* SMOTE's parameters: its defaults, then this technique's strategy and k_neighbors. */
static imbal_status st_smote_params(const imbal_technique *smote, const imbal_param_values *p,
                                    imbal_param_values *sp, imbal_error *err)
{
    imbal_status st = imbal_params_parse(smote, NULL, 0, NULL, 0, sp, err);
    if (st != IMBAL_OK) {
        return st;
    }
    for (size_t i = 0; i < sp->n; i++) {
        const char *name = sp->spec[i].name;
        if (strcmp(name, "sampling_strategy") == 0) {
            sp->strategy[i] = *imbal_param_strategy(p, name);
            snprintf(sp->text[i], sizeof(sp->text[i]), "%s", imbal_param_text(p, name));
        } else if (strcmp(name, "k_neighbors") == 0) {
            sp->num[i] = imbal_param_num(p, name);
            snprintf(sp->text[i], sizeof(sp->text[i]), "%s", imbal_param_text(p, name));
        }
    }
    return IMBAL_OK;
}

imbal_status imbal_smote_tomek_run(const imbal_train_view *in, const imbal_param_values *p,
                                   imbal_rng *rng, imbal_resampled **out, imbal_error *err)
{
    imbal_resampled *over = NULL;
    imbal_resampled *res = NULL;
    unsigned char *clean = NULL;
    unsigned char *is_link = NULL;
    imbal_param_values sp;
    imbal_status st;
    *out = NULL;
    const imbal_technique *smote = imbal_technique_find("smote");
    if (smote == NULL) {
        return imbal_fail(err, IMBAL_EUNSUP, "smote_tomek needs the smote technique");
    }
    st = st_smote_params(smote, p, &sp, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    st = imbal_resample(smote, in, &sp, rng, &over, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    clean = imbal_malloc(in->n_classes, sizeof(*clean));
    is_link = imbal_malloc(over->n, sizeof(*is_link));
    if (clean == NULL || is_link == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for Tomek links on %zu rows", over->n);
        goto cleanup;
    }
    memset(clean, 1, in->n_classes); /* sampling_strategy "all" */
    st = imbal_tomek_links_mask(over->x, over->y, over->n, over->d, clean, is_link, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    size_t kept = 0;
    for (size_t i = 0; i < over->n; i++) {
        kept += !is_link[i];
    }
    st = imbal_resampled_alloc(kept, over->d, &res, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    kept = 0;
    for (size_t i = 0; i < over->n; i++) {
        if (is_link[i]) {
            continue;
        }
        memcpy(res->x + kept * res->d, over->x + i * over->d, over->d * sizeof(double));
        res->y[kept] = over->y[i];
        res->source[kept] = over->source[i];
        kept++;
    }
    *out = res;
    res = NULL;
cleanup:
    imbal_resampled_free(res);
    imbal_resampled_free(over);
    free(clean);
    free(is_link);
    return st;
}

/* SMOTE's check: Tomek links refuse nothing the counts decide (SMOTE leaves both classes). */
imbal_status imbal_smote_tomek_check(const imbal_param_values *p, const size_t *counts,
                                     size_t n_classes, imbal_error *err)
{
    return imbal_smote_check(p, counts, n_classes, err);
}
