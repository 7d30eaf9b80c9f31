/* Time per run of every technique of configs/abalone-catalogue-compat.yaml on abalone19's
 * training fold of the published split (datasets/abalone19_split.csv: 3339 rows, 26
 * positives): imbal_resample under compat (numpy stream seeded 888, as random_state=888), the
 * median of R rounds of process CPU time, and the rows it returns. bench/catalogue.py does the
 * same with imbalanced-learn; bench/catalogue.sh prints both side by side. Run from the
 * repository root: sh bench/catalogue.sh. Timings only, never in make check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "imbal/dataset.h"
#include "imbal/resample.h"
#include "imbal/rng.h"
#include "imbal/split.h"

typedef struct {
    const char *name, *sampler, *params; /* params: "k=v,k=v" or "" */
} bench_technique;

static const bench_technique techniques[] = {
    {"random_over", "random_over", ""},
    {"random_over_shrinkage_0.1", "random_over", "shrinkage=0.1"},
    {"smote", "smote", ""},
    {"adasyn", "adasyn", ""},
    {"borderline_smote_1", "borderline_smote", ""},
    {"borderline_smote_2", "borderline_smote", "kind=borderline-2"},
    {"svm_smote", "svm_smote", ""},
    {"smote_nc", "smote_nc", ""},
    {"random_under", "random_under", ""},
    {"cluster_centroids", "cluster_centroids", ""},
    {"tomek_links", "tomek_links", ""},
    {"edited_nearest_neighbours", "edited_nearest_neighbours", ""},
    {"repeated_edited_nearest_neighbours", "repeated_edited_nearest_neighbours", ""},
    {"all_knn", "all_knn", ""},
    {"near_miss_1", "near_miss", "version=1"},
    {"near_miss_2", "near_miss", "version=2"},
    {"near_miss_3", "near_miss", "version=3"},
    {"condensed_nearest_neighbour", "condensed_nearest_neighbour", ""},
    {"one_sided_selection", "one_sided_selection", ""},
    {"neighbourhood_cleaning_rule", "neighbourhood_cleaning_rule", ""},
    {"smote_tomek", "smote_tomek", ""},
    {"smote_enn", "smote_enn", ""},
};

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

static void die(const imbal_error *e)
{
    fprintf(stderr, "bench/catalogue: %s\n", e->msg);
    exit(1);
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 7;
    const char *only = argc > 2 ? argv[2] : NULL;
    imbal_load_options opt;
    imbal_dataset *ds = NULL;
    imbal_split *sp = NULL;
    imbal_error err;
    double *x;
    int *y;
    size_t n, d;
    gsl_set_error_handler_off();
    imbal_error_clear(&err);
    imbal_load_options_default(&opt);
    opt.target = "Class";
    opt.positive = "positive";
    {
        static const char *const cat[] = {"Sex"};
        opt.categorical = cat;
        opt.n_categorical = 1;
    }
    if (imbal_dataset_load("datasets/abalone19.csv", &opt, &ds, &err) != IMBAL_OK ||
        imbal_split_read_file("datasets/abalone19_split.csv", ds->n, &sp, &err) != IMBAL_OK) {
        die(&err);
    }
    n = sp->folds[0].n_train;
    d = ds->d;
    x = malloc(n * d * sizeof(double));
    y = malloc(n * sizeof(int));
    if (x == NULL || y == NULL) {
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(x + i * d, ds->x + sp->folds[0].train[i] * d, d * sizeof(double));
        y[i] = ds->y[sp->folds[0].train[i]];
    }
    printf("technique,imbal_ms,rows_out\n");
    for (size_t t = 0; t < sizeof(techniques) / sizeof(techniques[0]); t++) {
        const bench_technique *bt = &techniques[t];
        const imbal_technique *tech = imbal_technique_find(bt->sampler);
        imbal_train_view view = {x, y, n, d, ds->n_classes, ds->is_dummy, ds->columns};
        imbal_param given[8];
        size_t n_given = 0;
        char buf[256];
        imbal_param_values pv;
        double *ms = malloc((size_t)rounds * sizeof(double));
        size_t rows_out = 0;
        if (only != NULL && strcmp(only, bt->name) != 0) {
            free(ms);
            continue;
        }
        snprintf(buf, sizeof(buf), "%s", bt->params);
        for (char *save = NULL, *kv = strtok_r(buf, ",", &save); kv != NULL;
             kv = strtok_r(NULL, ",", &save)) {
            char *eq = strchr(kv, '=');
            *eq = '\0';
            given[n_given].name = kv;
            given[n_given].value = eq + 1;
            n_given++;
        }
        if (tech == NULL || ms == NULL ||
            imbal_params_parse(tech, given, n_given, ds->class_names, ds->n_classes, &pv, &err) !=
                IMBAL_OK) {
            die(&err);
        }
        for (int r = 0; r < rounds; r++) {
            imbal_rng *rng = NULL;
            imbal_resampled *res = NULL;
            double t0;
            if (imbal_rng_new(IMBAL_RNG_NUMPY, 888, &rng, &err) != IMBAL_OK) {
                die(&err);
            }
            t0 = cpu_seconds();
            if (imbal_resample(tech, &view, &pv, rng, &res, &err) != IMBAL_OK) {
                die(&err);
            }
            ms[r] = 1e3 * (cpu_seconds() - t0);
            rows_out = res->n;
            imbal_resampled_free(res);
            imbal_rng_free(rng);
        }
        qsort(ms, (size_t)rounds, sizeof(double), cmp_double);
        printf("%s,%.4f,%zu\n", bt->name, ms[rounds / 2], rows_out);
        free(ms);
    }
    free(x);
    free(y);
    imbal_split_free(sp);
    imbal_dataset_free(ds);
    return 0;
}
