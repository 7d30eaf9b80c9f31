/* The technique registry and everything that reads it: lookup, "did you mean" by edit
 * distance, parameter validation against each technique's schema, and dispatch. The table
 * below is the only list of techniques; a technique is its file in src/samplers/, its line
 * in samplers.h and its line here. sampling_strategy itself lives in resample_strategy.c. */
#include "imbal/resample.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "resample_internal.h"
#include "samplers/samplers.h"

static const imbal_technique techniques[] = {
    /* name, parameter schema, function, feasibility check, help */
    {"none", imbal_none_params, imbal_none_run, imbal_none_check,
     "no resampling: the training fold as it is"},
    {"random_over", imbal_random_over_params, imbal_random_over_run, imbal_random_over_check,
     "RandomOverSampler: draw minority rows with replacement (smoothed with shrinkage)"},
    {"random_under", imbal_random_under_params, imbal_random_under_run, imbal_random_under_check,
     "RandomUnderSampler: keep a random subset of the majority rows"},
    {"smote", imbal_smote_params, imbal_smote_run, imbal_smote_check,
     "SMOTE: new rows between a minority row and one of its k minority neighbours"},
    {"tomek_links", imbal_tomek_links_params, imbal_tomek_links_run, imbal_tomek_links_check,
     "TomekLinks: drop the targeted member of each pair of mutual nearest neighbours"},
    {"cluster_centroids", imbal_cluster_centroids_params, imbal_cluster_centroids_run,
     imbal_cluster_centroids_check,
     "ClusterCentroids: replace a class by the k-means centroids of its rows"},
    {"smote_tomek", imbal_smote_tomek_params, imbal_smote_tomek_run, imbal_smote_tomek_check,
     "SMOTETomek: SMOTE, then remove the Tomek links of every class"},
    {"edited_nearest_neighbours", imbal_edited_nearest_neighbours_params,
     imbal_edited_nearest_neighbours_run, imbal_edited_nearest_neighbours_check,
     "EditedNearestNeighbours (Wilson 1972): drop rows whose k neighbours disagree with them"},
    {"repeated_edited_nearest_neighbours", imbal_repeated_edited_nearest_neighbours_params,
     imbal_repeated_edited_nearest_neighbours_run, imbal_repeated_edited_nearest_neighbours_check,
     "RepeatedEditedNearestNeighbours (Tomek 1976): edited nearest neighbours until stable"},
    {"all_knn", imbal_all_knn_params, imbal_all_knn_run, imbal_all_knn_check,
     "AllKNN (Tomek 1976): edited nearest neighbours with 1, 2, ..., n_neighbors neighbours"},
    {"near_miss", imbal_near_miss_params, imbal_near_miss_run, imbal_near_miss_check,
     "NearMiss (Mani and Zhang 2003): keep the rows closest to (or around) the minority"},
    {"neighbourhood_cleaning_rule", imbal_neighbourhood_cleaning_rule_params,
     imbal_neighbourhood_cleaning_rule_run, imbal_neighbourhood_cleaning_rule_check,
     "NeighbourhoodCleaningRule (Laurikkala 2001): ENN plus the neighbours of noisy minority rows"},
    {"condensed_nearest_neighbour", imbal_condensed_nearest_neighbour_params,
     imbal_condensed_nearest_neighbour_run, imbal_condensed_nearest_neighbour_check,
     "CondensedNearestNeighbour (Hart 1968): keep the rows a 1-NN rule on the kept ones gets "
     "wrong"},
    {"one_sided_selection", imbal_one_sided_selection_params, imbal_one_sided_selection_run,
     imbal_one_sided_selection_check,
     "OneSidedSelection (Kubat and Matwin 1997): one CNN pass, then remove Tomek links"},
    {"smote_enn", imbal_smote_enn_params, imbal_smote_enn_run, imbal_smote_enn_check,
     "SMOTEENN (Batista et al. 2004): SMOTE, then edited nearest neighbours on every class"},
    {"adasyn", imbal_adasyn_params, imbal_adasyn_run, imbal_adasyn_check,
     "ADASYN (He et al. 2008): SMOTE with more new rows where a row's neighbours are of "
     "other classes"},
    {"borderline_smote", imbal_borderline_smote_params, imbal_borderline_smote_run,
     imbal_borderline_smote_check,
     "BorderlineSMOTE (Han et al. 2005): SMOTE from the rows in danger at the class border"},
    {"svm_smote", imbal_svm_smote_params, imbal_svm_smote_run, imbal_svm_smote_check,
     "SVMSMOTE (Nguyen et al. 2011): SMOTE from an RBF SVM's support vectors (needs libsvm)"},
    {"kmeans_smote", imbal_kmeans_smote_params, imbal_kmeans_smote_run, imbal_kmeans_smote_check,
     "KMeansSMOTE (Douzas et al. 2018): SMOTE inside the k-means clusters where a class is "
     "dense"},
    {"smote_nc", imbal_smote_nc_params, imbal_smote_nc_run, imbal_smote_nc_check,
     "SMOTE-NC (Chawla et al. 2002): SMOTE on numeric columns, categories by neighbours' vote"},
    {"smoten", imbal_smoten_params, imbal_smoten_run, imbal_smoten_check,
     "SMOTEN (Chawla et al. 2002): all columns categorical; new rows take the most frequent "
     "category of a row's k nearest by value difference metric"},
    {"instance_hardness_threshold", imbal_instance_hardness_threshold_params,
     imbal_instance_hardness_threshold_run, imbal_instance_hardness_threshold_check,
     "InstanceHardnessThreshold (Smith et al. 2014): keep the rows a cross-validated classifier "
     "finds easiest (imbal's estimator: logistic regression; imblearn's default: random forest)"},
};
#define N_TECHNIQUES (sizeof(techniques) / sizeof(techniques[0]))

size_t imbal_technique_count(void) { return N_TECHNIQUES; }

const imbal_technique *imbal_technique_at(size_t i)
{
    return i < N_TECHNIQUES ? &techniques[i] : NULL;
}

const imbal_technique *imbal_technique_find(const char *name)
{
    for (size_t i = 0; i < N_TECHNIQUES; i++) {
        if (strcmp(techniques[i].name, name) == 0) {
            return &techniques[i];
        }
    }
    return NULL;
}

/* ---- "did you mean" ---- */

size_t imbal_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a);
    size_t lb = strlen(b);
    size_t row[128];
    if (la > 127 || lb > 127) {
        return SIZE_MAX;
    }
    for (size_t j = 0; j <= lb; j++) {
        row[j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0]; /* distance(a[0..i-1), b[0..j-1)) */
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t best = diag + cost;
            if (up + 1 < best) {
                best = up + 1;
            }
            if (row[j - 1] + 1 < best) {
                best = row[j - 1] + 1;
            }
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *imbal_closest_name(const char *name, const char *const *cand, size_t n_cand)
{
    size_t limit = strlen(name) / 3 > 2 ? strlen(name) / 3 : 2;
    size_t best = SIZE_MAX;
    const char *found = NULL;
    for (size_t i = 0; i < n_cand; i++) {
        size_t d = imbal_edit_distance(name, cand[i]);
        if (d <= limit && d < best) {
            best = d;
            found = cand[i];
        }
    }
    return found;
}

const char *imbal_technique_suggest(const char *name)
{
    const char *names[N_TECHNIQUES];
    for (size_t i = 0; i < N_TECHNIQUES; i++) {
        names[i] = techniques[i].name;
    }
    return imbal_closest_name(name, names, N_TECHNIQUES);
}

static size_t params_count(const imbal_param_spec *spec)
{
    size_t n = 0;
    while (spec[n].name != NULL) {
        n++;
    }
    return n;
}

static const char *schema_suggest(const imbal_param_spec *schema, const char *name)
{
    const char *names[IMBAL_PARAM_MAX];
    size_t n = params_count(schema);
    assert(n <= IMBAL_PARAM_MAX);
    for (size_t i = 0; i < n; i++) {
        names[i] = schema[i].name;
    }
    return imbal_closest_name(name, names, n);
}

const char *imbal_param_suggest(const imbal_technique *t, const char *name)
{
    return schema_suggest(t->params, name);
}

/* ---- parameters ---- */

/* Is value one of the '|'-separated words of choices? */
static int params_in_choices(const char *choices, const char *value)
{
    size_t len = strlen(value);
    const char *p = choices;
    if (choices == NULL) {
        return 0;
    }
    for (;;) {
        const char *bar = strchr(p, '|');
        size_t wlen = bar != NULL ? (size_t)(bar - p) : strlen(p);
        if (wlen == len && strncmp(p, value, len) == 0) {
            return 1;
        }
        if (bar == NULL) {
            return 0;
        }
        p = bar + 1;
    }
}

static imbal_status params_number(const imbal_param_spec *sp, const char *value, double *num,
                                  imbal_error *err)
{
    char *end = NULL;
    double v;
    if (params_in_choices(sp->choices, value)) {
        *num = NAN;
        return IMBAL_OK;
    }
    errno = 0;
    if (sp->type == IMBAL_PARAM_INT) {
        long l = strtol(value, &end, 10);
        if (value[0] == '\0' || isspace((unsigned char)value[0]) || *end != '\0' || errno != 0) {
            return imbal_fail(err, IMBAL_EINVAL, "%s: expected an integer%s%s, got '%s'", sp->name,
                              sp->choices != NULL ? " or " : "",
                              sp->choices != NULL ? sp->choices : "", value);
        }
        v = (double)l;
    } else {
        v = strtod(value, &end);
        if (value[0] == '\0' || isspace((unsigned char)value[0]) || *end != '\0' || !isfinite(v)) {
            return imbal_fail(err, IMBAL_EINVAL, "%s: expected a number%s%s, got '%s'", sp->name,
                              sp->choices != NULL ? " or " : "",
                              sp->choices != NULL ? sp->choices : "", value);
        }
    }
    if (v < sp->min || v > sp->max) {
        return imbal_fail(err, IMBAL_EINVAL, "%s must be in [%g, %g], got %s", sp->name, sp->min,
                          sp->max, value);
    }
    *num = v;
    return IMBAL_OK;
}

static imbal_status params_bool(const imbal_param_spec *sp, const char *value, double *num,
                                imbal_error *err)
{
    static const char *const truthy[] = {"true", "yes", "1"};
    static const char *const falsy[] = {"false", "no", "0"};
    for (size_t i = 0; i < 3; i++) {
        if (strcmp(value, truthy[i]) == 0) {
            *num = 1.0;
            return IMBAL_OK;
        }
        if (strcmp(value, falsy[i]) == 0) {
            *num = 0.0;
            return IMBAL_OK;
        }
    }
    return imbal_fail(err, IMBAL_EINVAL, "%s: expected true or false, got '%s'", sp->name, value);
}

/* Parses value for parameter i of the schema into out. */
static imbal_status params_value(const imbal_param_spec *sp, size_t i, const char *value,
                                 char *const *class_names, size_t n_classes,
                                 imbal_param_values *out, imbal_error *err)
{
    if (strlen(value) >= sizeof(out->text[i])) {
        return imbal_fail(err, IMBAL_EINVAL, "%s: value longer than %zu characters", sp->name,
                          sizeof(out->text[i]) - 1);
    }
    strcpy(out->text[i], value);
    switch (sp->type) {
    case IMBAL_PARAM_INT:
    case IMBAL_PARAM_DOUBLE:
        return params_number(sp, value, &out->num[i], err);
    case IMBAL_PARAM_BOOL:
        return params_bool(sp, value, &out->num[i], err);
    case IMBAL_PARAM_STRING:
        if (!params_in_choices(sp->choices, value)) {
            return imbal_fail(err, IMBAL_EINVAL, "%s: expected one of %s, got '%s'", sp->name,
                              sp->choices != NULL ? sp->choices : "(none)", value);
        }
        return IMBAL_OK;
    case IMBAL_PARAM_STRATEGY:
        return imbal_strategy_parse(value, class_names, n_classes, &out->strategy[i], err);
    default:
        return imbal_fail(err, IMBAL_EINVAL, "%s: unknown parameter type %d", sp->name,
                          (int)sp->type);
    }
}

/* Index of name in the schema, or n when absent. */
static size_t params_index(const imbal_param_spec *spec, size_t n, const char *name)
{
    size_t i = 0;
    while (i < n && strcmp(spec[i].name, name) != 0) {
        i++;
    }
    return i;
}

/* Which given entry sets each schema entry (n_given when none), after checking names. */
static imbal_status params_match(const char *owner, const imbal_param_spec *schema, size_t n,
                                 const imbal_param *given, size_t n_given, size_t *from,
                                 imbal_error *err)
{
    for (size_t i = 0; i < n; i++) {
        from[i] = n_given;
    }
    for (size_t g = 0; g < n_given; g++) {
        size_t i = params_index(schema, n, given[g].name);
        if (i == n) {
            const char *near = schema_suggest(schema, given[g].name);
            imbal_status st;
            if (near != NULL) {
                st = imbal_fail(err, IMBAL_EINVAL,
                                "unknown parameter '%s' for %s (did you mean '%s'?)", given[g].name,
                                owner, near);
            } else {
                st = imbal_fail(err, IMBAL_EINVAL, "unknown parameter '%s' for %s", given[g].name,
                                owner);
            }
            imbal_error_set_key(err, given[g].name);
            return st;
        }
        if (from[i] != n_given) {
            imbal_error_set_key(err, given[g].name);
            return imbal_fail(err, IMBAL_EINVAL, "parameter '%s' given twice for %s", given[g].name,
                              owner);
        }
        from[i] = g;
    }
    return IMBAL_OK;
}

imbal_status imbal_schema_parse(const char *owner, const imbal_param_spec *schema,
                                const imbal_param *given, size_t n_given, char *const *class_names,
                                size_t n_classes, imbal_param_values *out, imbal_error *err)
{
    size_t n = params_count(schema);
    size_t from[IMBAL_PARAM_MAX];
    imbal_status st;
    memset(out, 0, sizeof(*out));
    assert(n <= IMBAL_PARAM_MAX);
    st = params_match(owner, schema, n, given, n_given, from, err);
    if (st != IMBAL_OK) {
        return st;
    }
    out->n = n;
    out->spec = schema;
    for (size_t i = 0; i < n; i++) {
        const char *value = from[i] < n_given ? given[from[i]].value : schema[i].def;
        st = params_value(&schema[i], i, value, class_names, n_classes, out, err);
        if (st != IMBAL_OK) {
            imbal_error_set_key(err, schema[i].name);
            memset(out, 0, sizeof(*out));
            return st;
        }
    }
    return IMBAL_OK;
}

imbal_status imbal_params_parse(const imbal_technique *t, const imbal_param *given, size_t n_given,
                                char *const *class_names, size_t n_classes, imbal_param_values *out,
                                imbal_error *err)
{
    return imbal_schema_parse(t->name, t->params, given, n_given, class_names, n_classes, out, err);
}

static size_t params_must_find(const imbal_param_values *p, const char *name)
{
    size_t i = params_index(p->spec, p->n, name);
    assert(i < p->n && "parameter not in the technique's schema");
    return i;
}

double imbal_param_num(const imbal_param_values *p, const char *name)
{
    return p->num[params_must_find(p, name)];
}

const char *imbal_param_text(const imbal_param_values *p, const char *name)
{
    return p->text[params_must_find(p, name)];
}

const imbal_strategy *imbal_param_strategy(const imbal_param_values *p, const char *name)
{
    return &p->strategy[params_must_find(p, name)];
}

/* ---- results and dispatch ---- */

void imbal_resampled_free(imbal_resampled *r)
{
    if (r == NULL) {
        return;
    }
    free(r->x);
    free(r->y);
    free(r->source);
    free(r);
}

static imbal_status resample_check_fold(const imbal_train_view *in, imbal_error *err)
{
    if (in->n == 0 || in->d == 0 || in->x == NULL || in->y == NULL) {
        return imbal_fail(err, IMBAL_EINVAL, "empty training fold (%zu rows, %zu columns)", in->n,
                          in->d);
    }
    for (size_t i = 0; i < in->n; i++) {
        if (in->y[i] < 0 || (size_t)in->y[i] >= in->n_classes) {
            return imbal_fail(err, IMBAL_EINVAL, "label %d of row %zu is outside 0 .. %zu",
                              in->y[i], i, in->n_classes == 0 ? 0 : in->n_classes - 1);
        }
    }
    return IMBAL_OK;
}

imbal_status imbal_resample_check(const imbal_technique *t, const imbal_param_values *p,
                                  const size_t *counts, size_t n_classes, imbal_error *err)
{
    size_t n = 0;
    if (p->spec != t->params) {
        return imbal_fail(err, IMBAL_EINVAL, "parameters were not parsed for %s", t->name);
    }
    for (size_t c = 0; c < n_classes; c++) {
        n += counts[c];
    }
    if (n == 0) {
        return imbal_fail(err, IMBAL_EINVAL, "empty training fold (0 rows)");
    }
    return t->check(p, counts, n_classes, err);
}

imbal_status imbal_resample(const imbal_technique *t, const imbal_train_view *in,
                            const imbal_param_values *p, imbal_rng *rng, imbal_resampled **out,
                            imbal_error *err)
{
    imbal_status st;
    *out = NULL;
    if (p->spec != t->params) {
        return imbal_fail(err, IMBAL_EINVAL, "parameters were not parsed for %s", t->name);
    }
    st = resample_check_fold(in, err);
    if (st != IMBAL_OK) {
        return st;
    }
    st = t->run(in, p, rng, out, err);
    if (st != IMBAL_OK && *out != NULL) {
        imbal_resampled_free(*out);
        *out = NULL;
    }
    return st;
}
