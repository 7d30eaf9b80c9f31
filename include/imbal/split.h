/* Stratified train/test splits. A split is a list of folds; a fold is two index arrays
 * into the parent dataset (train, test), in a defined order. Every split is drawn from an
 * explicit generator, so it is reproducible; with an IMBAL_RNG_NUMPY generator seeded with
 * s, holdout and kfold reproduce scikit-learn's train_test_split(stratify=y,
 * random_state=s) and StratifiedKFold(shuffle=True, random_state=s) row for row and in
 * order (class allocation by _approximate_mode, per-class permutations, ...). */
#ifndef IMBAL_SPLIT_H
#define IMBAL_SPLIT_H

#include <stddef.h>

#include "imbal/error.h"
#include "imbal/rng.h"

typedef struct {
    size_t *train;  /* indices into the parent dataset */
    size_t n_train;
    size_t *test;
    size_t n_test;
    size_t repeat;  /* 0-based repeat this fold belongs to */
    size_t fold;    /* 0-based fold within its repeat */
} imbal_fold;

typedef struct {
    imbal_fold *folds;
    size_t n_folds;   /* n_repeats * folds per repeat */
    size_t n_repeats;
} imbal_split;

void imbal_split_free(imbal_split *s);

/* Stratified hold-out. test_size in (0, 1) is a fraction of n (test rows = ceil(test_size * n),
 * as scikit-learn), test_size >= 1 a row count. Each class gets its share by scikit-learn's
 * _approximate_mode (largest remainders, ties broken at random). Errors: a class with fewer
 * than 2 rows, test or train fold smaller than the number of classes. */
imbal_status imbal_split_holdout(const int *y, size_t n, size_t n_classes, double test_size,
                                 imbal_rng *rng, imbal_split **out, imbal_error *err);

/* Stratified k-fold: each class's rows are shuffled and dealt across the k folds so the
 * per-class fold sizes differ by at most one (scikit-learn's StratifiedKFold with shuffle).
 * Error when k < 2 or k > the size of the largest class... (as scikit-learn: k > every
 * class is an error, k > some class is allowed). */
imbal_status imbal_split_kfold(const int *y, size_t n, size_t n_classes, size_t k,
                               imbal_rng *rng, imbal_split **out, imbal_error *err);

/* repeats independent stratified k-folds drawn one after the other from rng
 * (scikit-learn's RepeatedStratifiedKFold draws each repeat from one generator too). */
imbal_status imbal_split_repeated_kfold(const int *y, size_t n, size_t n_classes, size_t k,
                                        size_t repeats, imbal_rng *rng, imbal_split **out,
                                        imbal_error *err);

/* A hold-out read from a file: CSV header "row,set", then one line per row, set "train" or
 * "test", row a 0-based data-row index < n. The file's order is kept. Errors name the file
 * and line: bad header, unknown set, index out of range or repeated, empty train or test. */
imbal_status imbal_split_read_file(const char *path, size_t n, imbal_split **out,
                                   imbal_error *err);

/* One fold per pair of consecutive row blocks: row_start as filled by
 * imbal_dataset_load_many over (tra1, tst1, tra2, tst2, ...), n_pairs folds. */
imbal_status imbal_split_from_blocks(const size_t *row_start, size_t n_pairs, imbal_split **out,
                                     imbal_error *err);

#endif
