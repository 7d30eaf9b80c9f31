/* The starter plan (see starter.h): folds and repeats from the class counts, then one rule per
 * technique that checks the technique's real requirements (those its file in src/samplers/
 * enforces) against the rows every training fold is sure to hold, and picks parameters that
 * fit or says why the technique is left out. The YAML text is written by starter_yaml.c. */
#include "imbal/starter.h"

#include <stdio.h>
#include <string.h>

#include "imbal/resample.h"

typedef struct {
    const imbal_inspection *in;
    imbal_starter_plan *plan;
    size_t minor_train;        /* fewest rows of the smaller class in any training fold */
    size_t major_train;        /* fewest rows of the larger class in any training fold */
    size_t major_n;            /* rows of the larger class */
    const char *minor, *major; /* "positive" / "negative", by which class is smaller */
} starter_ctx;

typedef void (*starter_rule_fn)(const starter_ctx *c, imbal_starter_row *row);

/* Rows of a class of m rows that every training fold of k stratified folds keeps. */
static size_t starter_train_min(size_t m, size_t k) { return m - (m + k - 1) / k; }

static void starter_original(const starter_ctx *c, imbal_starter_row *row)
{
    (void)c;
    row->name = "original";
    snprintf(row->why, sizeof(row->why),
             "The training fold as it is: the baseline every other row is compared with.");
}

static void starter_balanced(const starter_ctx *c, imbal_starter_row *row)
{
    row->name = "class_weight_balanced";
    row->sampler = "none";
    row->included = 1;
    row->class_weight_balanced = 1;
    snprintf(row->why, sizeof(row->why),
             "No resampling: the classifier weighs each row by n / (2 x the rows of its class), "
             "so the %zu or more %s rows of a training fold weigh as much as its %zu or more %s "
             "rows. Class weighting is not a sampler: class_weight overrides the classifier's "
             "setting for this row.",
             c->minor_train, c->minor, c->major_train, c->major);
}

static void starter_random_over(const starter_ctx *c, imbal_starter_row *row)
{
    int n = snprintf(row->why, sizeof(row->why),
                     "Draws %s rows with replacement until the classes are equal: the %zu or more "
                     "%s rows of a training fold grow to as many as its %zu or more %s rows.",
                     c->minor, c->minor_train, c->minor, c->major_train, c->major);
    if (c->minor_train == 1 && n > 0 && (size_t)n < sizeof(row->why)) {
        snprintf(row->why + n, sizeof(row->why) - (size_t)n,
                 " A training fold may hold a single %s row: then every new row is a copy of it.",
                 c->minor);
    }
}

static void starter_random_under(const starter_ctx *c, imbal_starter_row *row)
{
    int n = snprintf(row->why, sizeof(row->why),
                     "Keeps a random subset of the %s rows, as many as the %s ones: the %zu or "
                     "more %s rows of a training fold shrink to its %zu or more %s rows.",
                     c->major, c->minor, c->major_train, c->major, c->minor_train, c->minor);
    if (c->minor_train < 10 && n > 0 && (size_t)n < sizeof(row->why)) {
        snprintf(row->why + n, sizeof(row->why) - (size_t)n,
                 " With as few as %zu row%s of each class left, expect a wide spread between "
                 "folds.",
                 c->minor_train, c->minor_train == 1 ? "" : "s");
    }
}

/* SMOTE's requirement (smote.c): k_neighbors + 1 rows of the over-sampled class. */
static long starter_smote_k(const starter_ctx *c)
{
    return c->minor_train >= 6 ? 5 : (long)c->minor_train - 1;
}

static void starter_smote(const starter_ctx *c, imbal_starter_row *row)
{
    long k = starter_smote_k(c);
    row->k_neighbors = k > 0 ? k : 0;
    row->included = k > 0;
    if (k == 5) {
        snprintf(row->why, sizeof(row->why),
                 "New %s rows on the segment between a %s row and one of its k_neighbors nearest "
                 "%s neighbours, until the classes are equal. k_neighbors: 5, the default: SMOTE "
                 "needs k_neighbors + 1 %s rows in a training fold, which holds at least %zu.",
                 c->minor, c->minor, c->minor, c->minor, c->minor_train);
    } else if (k > 0) {
        snprintf(row->why, sizeof(row->why),
                 "New %s rows on the segment between a %s row and one of its k_neighbors nearest "
                 "%s neighbours, until the classes are equal. k_neighbors: %ld, reduced from the "
                 "default 5: SMOTE needs k_neighbors + 1 %s rows in a training fold, and one may "
                 "hold only %zu.",
                 c->minor, c->minor, c->minor, k, c->minor, c->minor_train);
    } else {
        snprintf(row->why, sizeof(row->why),
                 "SMOTE puts new %s rows between a %s row and one of its k_neighbors nearest %s "
                 "neighbours and needs k_neighbors + 1 of them (k_neighbors >= 1) in a training "
                 "fold, but one may hold only %zu.",
                 c->minor, c->minor, c->minor, c->minor_train);
    }
}

static void starter_smote_tomek(const starter_ctx *c, imbal_starter_row *row)
{
    long k = starter_smote_k(c);
    row->k_neighbors = k > 0 ? k : 0;
    row->included = k > 0;
    if (k > 0) {
        snprintf(row->why, sizeof(row->why),
                 "SMOTE with k_neighbors: %ld (as the smote row, for the same reason), then "
                 "removes the Tomek links of both classes from the result.",
                 k);
    } else {
        snprintf(row->why, sizeof(row->why),
                 "As smote: SMOTE-Tomek starts with SMOTE, which needs k_neighbors + 1 >= 2 %s "
                 "rows in a training fold, but one may hold only %zu.",
                 c->minor, c->minor_train);
    }
}

static void starter_tomek(const starter_ctx *c, imbal_starter_row *row)
{
    snprintf(row->why, sizeof(row->why),
             "Removes the %s member of every Tomek link (two rows of different classes, each the "
             "other's nearest neighbour): a cleaning step that changes only rows on the class "
             "boundary, so its scores often stay close to original's.",
             c->major);
}

static void starter_cluster_centroids(const starter_ctx *c, imbal_starter_row *row)
{
    /* kmeans.c: 10 restarts (n_init), each Lloyd iteration compares every row to every centre */
    size_t major_rows = c->major_n - c->major_n / c->plan->folds; /* the most a fold holds */
    double work = 10.0 * (double)major_rows * (double)c->minor_train * (double)c->in->n_features;
    if (work > IMBAL_STARTER_KMEANS_WORK) {
        row->included = 0;
        snprintf(row->why, sizeof(row->why),
                 "For time: each training fold would need a k-means fit of about %.2g "
                 "distance terms per Lloyd iteration (10 restarts x %zu %s rows x %zu centroids "
                 "x %zu columns). Add {name: cluster_centroids, sampler: cluster_centroids} by "
                 "hand when the wait is worth it.",
                 work, major_rows, c->major, c->minor_train, c->in->n_features);
        return;
    }
    snprintf(row->why, sizeof(row->why),
             "Replaces the %s rows of a training fold (%zu or more) by the centroids of a k-means "
             "clustering of them (k-means++, 10 restarts), as many centroids as the fold has %s "
             "rows (%zu or more).",
             c->major, c->major_train, c->minor, c->minor_train);
}

/* The editing techniques (ENN and those built on it) can remove every row of the class they
 * clean, and then the classifier has one class: with few such rows in a fold it happens
 * (on 4 + 4 rows, edited nearest neighbours with 3 neighbours empties a class). Below
 * IMBAL_STARTER_EDIT_MIN rows of the larger class they are left out; returns 1 then. */
#define IMBAL_STARTER_EDIT_MIN 20

static int starter_edit_too_small(const starter_ctx *c, imbal_starter_row *row)
{
    if (c->major_train >= IMBAL_STARTER_EDIT_MIN) {
        return 0;
    }
    row->included = 0;
    snprintf(row->why, sizeof(row->why),
             "Removes %s rows whose neighbours are of the other class, and on a training fold "
             "with as few as %zu %s rows (fewer than %d) it may remove all of them, leaving "
             "the classifier one class.",
             c->major, c->major_train, c->major, IMBAL_STARTER_EDIT_MIN);
    return 1;
}

static void starter_enn(const starter_ctx *c, imbal_starter_row *row)
{
    if (starter_edit_too_small(c, row)) {
        return;
    }
    snprintf(row->why, sizeof(row->why),
             "Removes the %s rows whose 3 nearest neighbours (among all rows) are not all %s: "
             "a cleaning step that changes rows near the other class only.",
             c->major, c->major);
}

/* RENN and AllKNN edit again what they kept, and each pass picks the classes to clean on the
 * rows left (imblearn's sampling_strategy auto): once the larger class has shrunk to the
 * smaller one's size, the next pass cleans the other class, on noisy data down to nothing
 * (tests/test_inspect.c's colours.csv does it). That depends on the geometry, not on counts
 * init can see, so they are left out of starter plans. */
static void starter_repeated_edit(const starter_ctx *c, imbal_starter_row *row)
{
    row->included = 0;
    snprintf(row->why, sizeof(row->why),
             "Left out: it edits again what it kept, choosing the classes to clean on the rows "
             "left, so once the %s rows have shrunk to the %s count it may clean the %s class "
             "away, leaving the classifier one class. Add {name: %s, sampler: %s} by hand.",
             c->major, c->minor, c->minor, row->sampler, row->sampler);
}

static void starter_near_miss(const starter_ctx *c, imbal_starter_row *row)
{
    if (c->minor_train < 3) {
        row->included = 0;
        snprintf(row->why, sizeof(row->why),
                 "NearMiss ranks the %s rows by their distances to their 3 nearest %s rows "
                 "(n_neighbors), but a training fold may hold only %zu %s row%s.",
                 c->major, c->minor, c->minor_train, c->minor, c->minor_train == 1 ? "" : "s");
        return;
    }
    snprintf(row->why, sizeof(row->why),
             "Keeps as many %s rows as there are %s ones (%zu or more per training fold): those "
             "with the smallest mean distance to their 3 nearest %s rows (NearMiss-1).",
             c->major, c->minor, c->minor_train, c->minor);
}

static void starter_ncr(const starter_ctx *c, imbal_starter_row *row)
{
    if (starter_edit_too_small(c, row)) {
        return;
    }
    snprintf(row->why, sizeof(row->why),
             "Removes what edited nearest neighbours (mode) removes, and the %s neighbours of "
             "the %s rows whose 3 nearest neighbours are not all %s.",
             c->major, c->minor, c->minor);
}

static void starter_cnn(const starter_ctx *c, imbal_starter_row *row)
{
    snprintf(row->why, sizeof(row->why),
             "Keeps one random %s row and the %s rows a 1-nearest-neighbour rule on the %s rows "
             "and those kept so far gets wrong, one pass in row order: few %s rows remain.",
             c->major, c->major, c->minor, c->major);
}

static void starter_oss(const starter_ctx *c, imbal_starter_row *row)
{
    if (starter_edit_too_small(c, row)) { /* its Tomek step may remove the one seed */
        return;
    }
    snprintf(row->why, sizeof(row->why),
             "Keeps one random %s row and the %s rows a 1-nearest-neighbour rule on the %s rows "
             "and that one gets wrong, then removes the %s members of Tomek links.",
             c->major, c->major, c->minor, c->major);
}

static void starter_smote_enn(const starter_ctx *c, imbal_starter_row *row)
{
    long k = starter_smote_k(c);
    if (starter_edit_too_small(c, row)) { /* its ENN step cleans both classes */
        return;
    }
    row->k_neighbors = k > 0 ? k : 0;
    row->included = k > 0;
    if (k > 0) {
        snprintf(row->why, sizeof(row->why),
                 "SMOTE with k_neighbors: %ld (as the smote row, for the same reason), then "
                 "edited nearest neighbours (3 neighbours) removes the rows of either class whose "
                 "neighbours disagree with them.",
                 k);
    } else {
        snprintf(row->why, sizeof(row->why),
                 "As smote: SMOTE-ENN starts with SMOTE, which needs k_neighbors + 1 >= 2 %s "
                 "rows in a training fold, but one may hold only %zu.",
                 c->minor, c->minor_train);
    }
}

/* adasyn, borderline_smote, svm_smote, kmeans_smote: left out of starter plans, so a plan
 * stays the comparison it was; each can fail on data whose counts look fine (ADASYN with no
 * hard row, kmeans_smote with no cluster dense enough, svm_smote without libsvm). */
static void starter_smote_variant(const starter_ctx *c, imbal_starter_row *row)
{
    (void)c;
    row->included = 0;
    snprintf(row->why, sizeof(row->why),
             "Left out: a SMOTE variant whose success depends on the rows themselves, not only "
             "on the class counts init sees. Add {name: %s, sampler: %s} by hand (imbal "
             "techniques lists its parameters).",
             row->sampler, row->sampler);
}

/* smote_nc: left out, as it needs categorical columns next to numeric ones (a run refuses
 * data without them), which the counts init plans from do not show. */
static void starter_smote_nc(const starter_ctx *c, imbal_starter_row *row)
{
    (void)c;
    row->included = 0;
    snprintf(row->why, sizeof(row->why),
             "Left out: SMOTE-NC is SMOTE for data with categorical columns (it keeps each new "
             "row's category a real one); add it by hand for such data.");
}

/* smoten: left out, as it needs every column categorical (a run refuses numeric columns). */
static void starter_smoten(const starter_ctx *c, imbal_starter_row *row)
{
    (void)c;
    row->included = 0;
    snprintf(row->why, sizeof(row->why),
             "Left out: SMOTEN is SMOTE for data whose columns are all categorical; add it by "
             "hand for such data.");
}

/* instance_hardness_threshold: left out, as every run fits cv classifiers first. */
static void starter_iht(const starter_ctx *c, imbal_starter_row *row)
{
    (void)c;
    row->included = 0;
    snprintf(row->why, sizeof(row->why),
             "Left out: the instance hardness threshold fits cv (5) classifiers in every run "
             "before it under-samples; add it by hand.");
}

static const struct {
    const char *sampler;
    starter_rule_fn rule;
} starter_rules[] = {
    {"none", starter_original},
    {"random_over", starter_random_over},
    {"random_under", starter_random_under},
    {"smote", starter_smote},
    {"tomek_links", starter_tomek},
    {"cluster_centroids", starter_cluster_centroids},
    {"smote_tomek", starter_smote_tomek},
    {"edited_nearest_neighbours", starter_enn},
    {"repeated_edited_nearest_neighbours", starter_repeated_edit},
    {"all_knn", starter_repeated_edit},
    {"near_miss", starter_near_miss},
    {"neighbourhood_cleaning_rule", starter_ncr},
    {"condensed_nearest_neighbour", starter_cnn},
    {"one_sided_selection", starter_oss},
    {"smote_enn", starter_smote_enn},
    {"adasyn", starter_smote_variant},
    {"borderline_smote", starter_smote_variant},
    {"svm_smote", starter_smote_variant},
    {"kmeans_smote", starter_smote_variant},
    {"smote_nc", starter_smote_nc},
    {"smoten", starter_smoten},
    {"instance_hardness_threshold", starter_iht},
};

static starter_rule_fn starter_rule_of(const char *sampler)
{
    for (size_t i = 0; i < sizeof(starter_rules) / sizeof(starter_rules[0]); i++) {
        if (strcmp(starter_rules[i].sampler, sampler) == 0) {
            return starter_rules[i].rule;
        }
    }
    return NULL;
}

static void starter_add(const starter_ctx *c, const char *sampler, starter_rule_fn rule)
{
    imbal_starter_plan *p = c->plan;
    imbal_starter_row *row;
    if (p->n_rows == IMBAL_STARTER_MAX_ROWS) {
        return;
    }
    row = &p->rows[p->n_rows++];
    memset(row, 0, sizeof(*row));
    row->name = sampler;
    row->sampler = sampler;
    row->included = 1;
    row->k_neighbors = -1;
    if (rule != NULL) {
        rule(c, row);
    } else {
        row->included = 0;
        snprintf(row->why, sizeof(row->why),
                 "imbal init does not know what the technique '%s' needs of the data; "
                 "add {name: %s, sampler: %s} by hand (imbal techniques lists its parameters).",
                 sampler, sampler, sampler);
    }
    if (row->included) {
        p->n_included++;
    }
}

/* Whether a class of m rows out of n would allow 5 folds and SMOTE's default k = 5. */
static int starter_full(size_t m, size_t n)
{
    return m >= 5 && n - m >= 5 && starter_train_min(m, 5) >= 6 && starter_train_min(n - m, 5) >= 6;
}

static size_t starter_suggest(const imbal_inspection *in)
{
    size_t best = in->n_classes;
    if (in->n_classes <= 2 || starter_full(in->n_positive, in->n_rows)) {
        return in->n_classes;
    }
    for (size_t c = 0; c < in->n_classes; c++) {
        if (c != in->positive && starter_full(in->class_counts[c], in->n_rows) &&
            (best == in->n_classes || in->class_counts[c] <= in->class_counts[best])) {
            best = c;
        }
    }
    return best;
}

imbal_status imbal_starter_plan_make(const imbal_inspection *in, imbal_starter_plan *plan,
                                     imbal_error *err)
{
    starter_ctx c;
    size_t tests = in->n_rows > IMBAL_STARTER_BIG_ROWS ? 10 : 50;
    size_t fewest = in->n_positive < in->n_negative ? in->n_positive : in->n_negative;
    memset(plan, 0, sizeof(*plan));
    if (fewest < 2) {
        imbal_fail_at(err, IMBAL_EINVAL, in->path, 0, 0,
                      "%s '%.60s' has %zu row%s: stratified cross-validation needs at least 2 "
                      "rows of each class%s",
                      in->n_positive < 2 ? "the positive class" : "the negative class",
                      in->n_positive < 2 ? in->class_names[in->positive] : "(all other labels)",
                      fewest, fewest == 1 ? "" : "s",
                      in->n_classes > 2 ? "; choose another with --positive" : "");
        imbal_error_set_key(err, "positive");
        return IMBAL_EINVAL;
    }
    plan->folds = fewest < 5 ? fewest : 5;
    plan->repeats = (tests + plan->folds - 1) / plan->folds;
    plan->train_positive_min = starter_train_min(in->n_positive, plan->folds);
    plan->train_negative_min = starter_train_min(in->n_negative, plan->folds);
    plan->test_positive_min = in->n_positive / plan->folds;
    plan->test_positive_max = (in->n_positive + plan->folds - 1) / plan->folds;
    memset(&c, 0, sizeof(c));
    c.in = in;
    c.plan = plan;
    if (in->n_positive <= in->n_negative) {
        c.minor_train = plan->train_positive_min;
        c.major_train = plan->train_negative_min;
        c.major_n = in->n_negative;
        c.minor = "positive";
        c.major = "negative";
    } else {
        c.minor_train = plan->train_negative_min;
        c.major_train = plan->train_positive_min;
        c.major_n = in->n_positive;
        c.minor = "negative";
        c.major = "positive";
    }
    for (size_t i = 0; i < imbal_technique_count(); i++) {
        const char *name = imbal_technique_at(i)->name;
        starter_add(&c, name, starter_rule_of(name));
        if (strcmp(name, "none") == 0) {
            starter_add(&c, "none", starter_balanced);
        }
    }
    plan->suggest = starter_suggest(in);
    return IMBAL_OK;
}
