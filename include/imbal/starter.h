/* The starter spec `imbal init` writes: from the facts of an inspection (inspect.h), a plan
 * (folds, repeats, which techniques apply with which parameters, and why) and its YAML text,
 * a spec that imbal_spec_load accepts and `imbal run` runs unedited. Pure: no files, no
 * printing; the command line (src/cli/init.c) writes the text where the user asked.
 *
 * The rules, each stated in the spec's comments:
 * - protocol repeated_kfold, stratified. folds = min(5, positive rows, negative rows): every
 *   test fold then holds at least one row of each class; fewer than 2 rows of either class is
 *   an error (nothing to cross-validate).
 * - repeats = ceil(tests / folds), tests = 50 test folds per technique (10 x 5, the common
 *   choice), or 10 for data of more than IMBAL_STARTER_BIG_ROWS rows, at least 1.
 * - Stratified k-fold gives each test fold floor or ceil(m / folds) of a class of m rows, so a
 *   training fold holds at least m - ceil(m / folds) of them: train_positive_min and
 *   train_negative_min. Techniques are checked against these, the counts every fold has.
 * - Techniques: one row per registered technique imbal init knows the requirements of, in
 *   registry order, after "original" (sampler none) and "class_weight_balanced" (sampler
 *   none, class_weight balanced). SMOTE and SMOTE-Tomek need k_neighbors + 1 <= the positive
 *   rows of a training fold: k_neighbors = min(5, train_positive_min - 1), and the technique
 *   is left out when that is 0. cluster_centroids is left out when one k-means fit (restarts
 *   x negatives x centroids x columns per Lloyd iteration) would exceed
 *   IMBAL_STARTER_KMEANS_WORK. A registered technique without a rule is left out, saying so.
 * - classifier: logistic_regression, C 1, class_weight none, standardize true. */
#ifndef IMBAL_STARTER_H
#define IMBAL_STARTER_H

#include <stddef.h>

#include "imbal/error.h"
#include "imbal/inspect.h"

#define IMBAL_STARTER_MAX_ROWS 32
#define IMBAL_STARTER_BIG_ROWS 100000
#define IMBAL_STARTER_KMEANS_WORK 1e9

typedef struct {
    const char *name;    /* the report's row name (static) */
    const char *sampler; /* registry name (static) */
    int included;        /* 0: written as a comment saying why it is left out */
    int class_weight_balanced;
    long k_neighbors;    /* SMOTE-based rows: the k chosen (0 when left out); else -1 */
    char why[400];       /* the reason, one or more sentences */
} imbal_starter_row;

typedef struct {
    size_t folds, repeats;
    size_t train_positive_min, train_negative_min; /* fewest rows of a class in a training fold */
    size_t test_positive_min, test_positive_max;   /* positive rows in a test fold */
    size_t n_rows;
    imbal_starter_row rows[IMBAL_STARTER_MAX_ROWS];
    size_t n_included;
    /* With more than two classes: the smallest label (by count, ties to the later) that would
     * allow 5 folds and SMOTE's default k_neighbors = 5, as a suggestion; n_classes if none
     * or if the positive already allows them. */
    size_t suggest;
} imbal_starter_plan;

/* Fills plan from the inspection. Errors (IMBAL_EINVAL, err->key = "positive", err->file =
 * the data file): fewer than 2 positive or negative rows. */
imbal_status imbal_starter_plan_make(const imbal_inspection *in, imbal_starter_plan *plan,
                                     imbal_error *err);

/* The spec text of the plan: name is the spec's name (its results/<name>/ directory),
 * data_path the data file as the spec must name it (relative to the spec file's directory),
 * command the command line to quote in the header comment (may be NULL). Every value taken
 * from the data (column names, labels) is quoted for YAML where needed; comments show them
 * with control characters and invalid UTF-8 escaped. Errors: IMBAL_EINVAL (err->key = the
 * column or label) when a name the spec must hold as a value is not valid UTF-8 (YAML is
 * UTF-8), IMBAL_ENOMEM. On success *out is a new string (free with free()); on error NULL. */
imbal_status imbal_starter_yaml(const imbal_inspection *in, const imbal_starter_plan *plan,
                                const char *name, const char *data_path, const char *command,
                                char **out, imbal_error *err);

#endif
