/* Private interface between the registry (src/resample.c) and the techniques in
 * src/samplers/: each technique file defines its parameter schema (terminated by a NULL
 * name), its run function and its feasibility check (imbal_sampler_check_fn: what run would
 * refuse, decided from a fold's class counts alone), declared here and listed once in
 * resample.c's table. The helpers at the end (sampler_util.c) are shared by every technique. A
 * technique reads its parameters by name (imbal_param_num(p, "k_neighbors")), so a composite whose
 * schema holds the same names (smote_tomek: sampling_strategy, k_neighbors) may pass its own values
 * straight to imbal_smote_run. */
#ifndef IMBAL_SAMPLERS_H
#define IMBAL_SAMPLERS_H

#include <stddef.h>

#include "imbal/resample.h"

#define IMBAL_DECLARE_TECHNIQUE(name)                                                              \
    extern const imbal_param_spec imbal_##name##_params[];                                         \
    imbal_status imbal_##name##_run(const imbal_train_view *in, const imbal_param_values *p,       \
                                    imbal_rng *rng, imbal_resampled **out, imbal_error *err);      \
    imbal_status imbal_##name##_check(const imbal_param_values *p, const size_t *counts,           \
                                      size_t n_classes, imbal_error *err)

IMBAL_DECLARE_TECHNIQUE(none);              /* none.c: a copy of the fold */
IMBAL_DECLARE_TECHNIQUE(random_over);       /* random_over.c: RandomOverSampler */
IMBAL_DECLARE_TECHNIQUE(random_under);      /* random_under.c: RandomUnderSampler */
IMBAL_DECLARE_TECHNIQUE(smote);             /* smote.c: SMOTE */
IMBAL_DECLARE_TECHNIQUE(tomek_links);       /* tomek_links.c: TomekLinks */
IMBAL_DECLARE_TECHNIQUE(cluster_centroids); /* cluster_centroids.c: ClusterCentroids */
IMBAL_DECLARE_TECHNIQUE(smote_tomek);       /* smote_tomek.c: SMOTETomek */
IMBAL_DECLARE_TECHNIQUE(edited_nearest_neighbours); /* EditedNearestNeighbours */
IMBAL_DECLARE_TECHNIQUE(repeated_edited_nearest_neighbours); /* RepeatedEditedNN */
IMBAL_DECLARE_TECHNIQUE(all_knn);                   /* all_knn.c: AllKNN */
IMBAL_DECLARE_TECHNIQUE(near_miss);                 /* near_miss.c: NearMiss */
IMBAL_DECLARE_TECHNIQUE(neighbourhood_cleaning_rule); /* NeighbourhoodCleaningRule */
IMBAL_DECLARE_TECHNIQUE(condensed_nearest_neighbour); /* CondensedNearestNeighbour */
IMBAL_DECLARE_TECHNIQUE(one_sided_selection);         /* OneSidedSelection */
IMBAL_DECLARE_TECHNIQUE(smote_enn);                   /* smote_enn.c: SMOTEENN */
IMBAL_DECLARE_TECHNIQUE(adasyn);                      /* adasyn.c: ADASYN */
IMBAL_DECLARE_TECHNIQUE(borderline_smote);            /* borderline_smote.c: BorderlineSMOTE */
IMBAL_DECLARE_TECHNIQUE(svm_smote);                   /* svm_smote.c: SVMSMOTE (libsvm) */
IMBAL_DECLARE_TECHNIQUE(kmeans_smote);                /* kmeans_smote.c: KMeansSMOTE */
IMBAL_DECLARE_TECHNIQUE(smote_nc);                    /* smote_nc.c: SMOTENC */
IMBAL_DECLARE_TECHNIQUE(smoten);                      /* smoten.c: SMOTEN */
IMBAL_DECLARE_TECHNIQUE(instance_hardness_threshold); /* InstanceHardnessThreshold */

/* Feasibility checks of the techniques above from edited_nearest_neighbours on: what run
 * would refuse, decided from a fold's class counts alone (counts[c] rows of class c), for
 * the registry's check column; the same errors and keys as run. */
#define IMBAL_DECLARE_CHECK(name)                                                              \
    imbal_status imbal_##name##_check(const imbal_param_values *p, const size_t *counts,       \
                                      size_t n_classes, imbal_error *err)
IMBAL_DECLARE_CHECK(edited_nearest_neighbours);
IMBAL_DECLARE_CHECK(repeated_edited_nearest_neighbours);
IMBAL_DECLARE_CHECK(all_knn);
IMBAL_DECLARE_CHECK(near_miss);
IMBAL_DECLARE_CHECK(neighbourhood_cleaning_rule);
IMBAL_DECLARE_CHECK(condensed_nearest_neighbour);
IMBAL_DECLARE_CHECK(one_sided_selection);
IMBAL_DECLARE_CHECK(smote_enn);

/* ---- SMOTE's parts (smote.c), shared by smote_nc and smoten ---- */

/* One class of an over-sampler: append add new rows of class c at rows pos .. pos + add - 1
 * of r. entry is the state the fold came in with for a numpy generator (imblearn's
 * check_random_state(int) gives every call a fresh RandomState), NULL for the default kind
 * (one stream goes on); rng is already in that state for the class's first draw. */
typedef imbal_status (*imbal_over_class_fn)(const imbal_train_view *in, int c, size_t add,
                                            imbal_rng *rng, const imbal_rng *entry,
                                            imbal_resampled *r, size_t pos, void *ctx,
                                            imbal_error *err);

/* imblearn's BaseSMOTE loop: the fold, then fn for every class sampling_strategy makes gain
 * rows, in class order, each starting from entry's state under numpy. ENOMEM, fn's errors. */
imbal_status imbal_over_by_class(const imbal_train_view *in, const imbal_param_values *p,
                                imbal_rng *rng, imbal_over_class_fn fn, void *ctx,
                                imbal_resampled **out, imbal_error *err);

/* The k nearest of each of the m rows of xc (m * d) among xc, itself dropped as imblearn's
 * kneighbors(X_class)[:, 1:] (ties to the lower row): nns gets m * k indices. ENOMEM. */
imbal_status imbal_smote_neighbours(const double *xc, size_t m, size_t d, size_t k, size_t *nns,
                                   imbal_error *err);

/* imblearn's _make_samples draws: add slots randint(0, m * k), then add steps uniform(0, 1). */
void imbal_smote_draws(imbal_rng *rng, size_t m, size_t k, size_t add, size_t *slot, double *step);

/* EINVAL keyed k_neighbors unless k + 1 <= m, the rows of class c (scikit-learn's
 * n_neighbors = k + 1 must not exceed the samples). */
imbal_status imbal_smote_k_fits(size_t k, size_t c, size_t m, imbal_error *err);

/* np.argpartition(v[0 .. n), kth) (numpy 1.24's introselect, no NaN; smoten.c): idx (n) gets
 * the permutation numpy returns, equidistant rows where numpy leaves them. */
void imbal_numpy_argpartition(const double *v, size_t n, size_t kth, size_t *idx);

/* ---- shared helpers (sampler_util.c) ---- */

/* Rows per class: counts[c] for c < in->n_classes (caller's array). */
void imbal_class_counts(const imbal_train_view *in, size_t *counts);

/* The rows of class c in increasing order, into rows (room for counts[c]); returns how many. */
size_t imbal_class_rows(const imbal_train_view *in, int c, size_t *rows);

/* A result of n rows of in->d columns, x/y/source allocated, not filled. Free with
 * imbal_resampled_free. ENOMEM (n * d overflow included); *out NULL on error. */
imbal_status imbal_resampled_alloc(size_t n, size_t d, imbal_resampled **out, imbal_error *err);

/* Row i of out becomes a copy of input row src (source[i] = src). */
void imbal_resampled_copy_row(imbal_resampled *out, size_t i, const imbal_train_view *in,
                              size_t src);

/* Targets for in (imbal_strategy_targets on its class counts) from the parameter named
 * "sampling_strategy"; target must have room for in->n_classes entries. */
imbal_status imbal_sampler_targets(const imbal_train_view *in, const imbal_param_values *p,
                                   imbal_sampler_kind kind, long *target, imbal_error *err);

/* The class with the fewest of the rows rows[0 .. m) (all n_classes >= 1 labels valid),
 * ties to the class seen first in that order: imblearn's min(Counter(y), key=...), which
 * RENN, AllKNN, NCR and NearMiss use (not the lowest label, as sampling_strategy does),
 * into *minority. ENOMEM. */
imbal_status imbal_counter_minority(const int *y, const size_t *rows, size_t m,
                                    size_t n_classes, int *minority, imbal_error *err);

/* A result holding copies of input rows rows[0 .. m) in that order. ENOMEM. */
imbal_status imbal_resampled_rows(const imbal_train_view *in, const size_t *rows, size_t m,
                                  imbal_resampled **out, imbal_error *err);

/* imbal_strategy_targets on counts from the parameter named "sampling_strategy", errors keyed
 * to it (what imbal_sampler_targets does with a fold's counts): the check of a sampler whose
 * only refusals are its strategy's. target has room for n_classes entries. */
imbal_status imbal_sampler_check_targets(const imbal_param_values *p, imbal_sampler_kind kind,
                                         const size_t *counts, size_t n_classes, long *target,
                                         imbal_error *err);

/* imbal_strategy_targets on counts with p's sampling_strategy, errors keyed to it; target
 * (room for n_classes) receives the targets, or may be NULL. ENOMEM. */
imbal_status imbal_check_strategy(const imbal_param_values *p, imbal_sampler_kind kind,
                                  const size_t *counts, size_t n_classes, long *target,
                                  imbal_error *err);

/* Population standard deviation (np.std, ddof 0; sums in row order) of column j over the
 * rows rows[0 .. m), m >= 1: random_over's shrinkage and smote_nc's median_std. */
double imbal_class_std(const imbal_train_view *in, const size_t *rows, size_t m, size_t j);

/* EINVAL keyed key ("key = k needs k + extra rows what; there are rows") unless
 * k + extra <= rows. */
imbal_status imbal_check_neighbours(size_t k, size_t extra, size_t rows, const char *key,
                                    const char *what, imbal_error *err);

/* kneighbors(q) of an index fitted on ref (n_ref rows, d columns) with k + 1 neighbours and
 * the first column dropped, as imblearn does ([:, 1:]): nns gets m * k indices into ref.
 * The dropped column is the nearest row (the query itself when it is in ref and has no
 * lower-index duplicate). EINVAL when k + 1 > n_ref; ENOMEM. */
imbal_status imbal_knn_drop_first(const double *ref, size_t n_ref, size_t d, const double *q,
                                  size_t m, size_t k, size_t *nns, imbal_error *err);

/* A new m * d array holding in's rows rows[0 .. m) in that order, into *out (free()). */
imbal_status imbal_gather_rows(const imbal_train_view *in, const size_t *rows, size_t m,
                               double **out, imbal_error *err);

/* imblearn's BaseSMOTE._make_samples: add slots drawn in [0, m * k) (randint), then add steps
 * step_size * uniform; slot s is base row s / k, its neighbour nn_data[nns[s]] (nns: m * k
 * indices into nn_data's n_nn_data rows); out[s] = x + step * (nb - x), add * d values.
 * EINVAL when a neighbour index is beyond nn_data (numpy's IndexError), ENOMEM. */
imbal_status imbal_smote_samples(const double *base, const double *nn_data, size_t n_nn_data,
                                 const size_t *nns, size_t m, size_t k, size_t d,
                                 double step_size, size_t add, imbal_rng *rng, double *out,
                                 imbal_error *err);

/* numpy's legacy RandomState.beta(a, b) for a > 1 or b > 1 (two legacy standard_gamma). */
double imbal_rng_beta_gt1(imbal_rng *rng, double a, double b);

/* EINVAL keyed key: "key = k needs at least need rows of class c, which has m". */
imbal_status imbal_class_too_small(const char *key, size_t k, size_t need, size_t c, size_t m,
                                   imbal_error *err);

/* imblearn's _in_danger_noise(kind="danger") for the m rows xc of class c (borderline_smote.c):
 * danger[i] = 1 when at least mk / 2 but fewer than mk of the mk nearest rows of the fold
 * (first column dropped) are of another class. ENOMEM, EINVAL when mk + 1 > in->n. */
imbal_status imbal_borderline_danger(const imbal_train_view *in, const double *xc, size_t m,
                                     int c, size_t mk, unsigned char *danger, imbal_error *err);

/* Synthetic rows collected class by class before the result is built (the over-samplers
 * whose row counts are known only as they go). Start as {NULL, NULL, 0, 0, d}. */
typedef struct {
    double *x;
    int *y;
    size_t n, cap, d;
} imbal_new_rows;
/* Appends more rows of class c; *at = where their more * d values go. ENOMEM. */
imbal_status imbal_new_rows_grow(imbal_new_rows *b, size_t more, int c, double **at,
                                 imbal_error *err);
/* *out = in's rows (copies) then b's rows (IMBAL_SYNTHETIC), imblearn's output order. */
imbal_status imbal_new_rows_finish(const imbal_train_view *in, const imbal_new_rows *b,
                                   imbal_resampled **out, imbal_error *err);
void imbal_new_rows_free(imbal_new_rows *b);

#endif
