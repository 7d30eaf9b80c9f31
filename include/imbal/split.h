/* Stratified train/test splits. A split is a list of folds; a fold is two index arrays
 * into the parent dataset (train, test), in a defined order. Every split is drawn from an
 * explicit generator, so it is reproducible; with an IMBAL_RNG_NUMPY generator seeded with
 * s, holdout and kfold reproduce scikit-learn's train_test_split(stratify=y,
 * random_state=s) and StratifiedKFold(shuffle=True, random_state=s) row for row and in
 * order (class allocation by _approximate_mode, per-class permutations, ...). */
#ifndef IMBAL_SPLIT_H
#define IMBAL_SPLIT_H

#include <stddef.h>

#include "imbal/dataset.h"
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

/* Frees s and all its folds. s may be NULL. */
void imbal_split_free(imbal_split *s);

/* Stratified hold-out (scikit-learn's StratifiedShuffleSplit with one split). test_size in
 * (0, 1) is a fraction of n (test rows = ceil(test_size * n), as scikit-learn), a whole
 * number >= 1 a row count (< n). Classes are the labels present in y (each in
 * 0 .. n_classes - 1), in increasing order. Each class gets its share of train, then of test,
 * by scikit-learn's _approximate_mode (largest remainders, ties broken at random); each class's
 * rows are permuted and dealt, then train and test are each permuted: that is their order.
 * One fold (repeat 0, fold 0); free with imbal_split_free. Errors (IMBAL_EINVAL, *out NULL):
 * no rows, a label out of range, test_size out of range, a class with fewer than 2 rows,
 * train or test fold smaller than the number of classes. */
imbal_status imbal_split_holdout(const int *y, size_t n, size_t n_classes, double test_size,
                                 imbal_rng *rng, imbal_split **out, imbal_error *err);

/* Stratified k-fold (scikit-learn's StratifiedKFold with shuffle): classes numbered by first
 * appearance in y; position p of the labels sorted that way goes to fold p mod k, which fixes
 * how many rows of each class each test fold gets (per-class sizes differ by at most one);
 * each class in turn shuffles its fold numbers and hands them to its rows in row order.
 * Fold f: test = its rows, train = all others, both in increasing row order. k folds
 * (repeat 0, fold 0 .. k - 1). Errors (IMBAL_EINVAL): k < 2, k > n, k larger than every
 * class (k larger than some classes is allowed, as in scikit-learn: those classes are then
 * absent from some test folds), no rows, a label out of range. */
imbal_status imbal_split_kfold(const int *y, size_t n, size_t n_classes, size_t k,
                               imbal_rng *rng, imbal_split **out, imbal_error *err);

/* repeats k-folds drawn one after the other from rng: folds[r * k + f] is fold f of repeat
 * r. RepeatedStratifiedKFold(random_state=s) passes one RandomState to every repeat, so with
 * a numpy generator seeded s this replays it. Errors: those of imbal_split_kfold, repeats 0. */
imbal_status imbal_split_repeated_kfold(const int *y, size_t n, size_t n_classes, size_t k,
                                        size_t repeats, imbal_rng *rng, imbal_split **out,
                                        imbal_error *err);

/* A hold-out read from a file: CSV header "row,set", then one line per row, set "train" or
 * "test", row a 0-based data-row index < n (decimal digits only). The file's order is kept;
 * CRLF line ends and blank lines are accepted. Errors name the file, line and column (1 for
 * the row field and the header, the set field's first character for the set):
 * IMBAL_EPARSE for a bad or missing header, a line without ',', a non-integer row or an
 * unknown set; IMBAL_EINVAL for a row out of range, listed twice or in both sets, and (line 0)
 * for an empty train or test set; IMBAL_EIO when the file cannot be read. */
imbal_status imbal_split_read_file(const char *path, size_t n, imbal_split **out,
                                   imbal_error *err);

/* One fold per pair of consecutive row blocks: row_start (2 * n_pairs + 1 offsets) as filled
 * by imbal_dataset_load_many over (tra1, tst1, tra2, tst2, ...). Fold p (repeat 0): train =
 * rows row_start[2p] .. row_start[2p + 1] - 1, test = row_start[2p + 1] .. row_start[2p + 2]
 * - 1, in row order. Errors (IMBAL_EINVAL): n_pairs 0, an empty or decreasing block. */
imbal_status imbal_split_from_blocks(const size_t *row_start, size_t n_pairs, imbal_split **out,
                                     imbal_error *err);

/* KEEL partitions (src/partitions.c). The path of a 1-based fold's partition: pattern with
 * each {fold} replaced by the number and each {part} by "tra" (test 0) or "tst", in a new
 * string of its own length (free with free()); NULL when out of memory. */
char *imbal_partition_path(const char *pattern, size_t fold, int test);

/* 1 when paths a and b name the same file (equal strings, or the same device and inode). */
int imbal_partition_same_file(const char *a, const char *b);

/* Loads KEEL's published partitions of a dataset: data_path (the dataset, KEEL) and, for
 * f = 1 .. folds, the train (tra) and test (tst) files of pattern, all with the dataset's
 * header, encoded together (opt as for imbal_dataset_load; the format is KEEL). *out is the
 * dataset with its own rows only (ds->n is the dataset's row count, not the files' total);
 * *split has one fold per pair (repeat 0), whose train and test are the dataset rows each
 * partition row equals, in the partition file's order (the k-th copy of a row in a file is
 * the k-th dataset row with that content), so fitting a fold fits its partition file.
 * Errors: a load error of any file (file, line), IMBAL_EINVAL when a fold's train and test
 * are the same file (key "partitions") or a partition row is not a row of the dataset (as
 * often as the file holds it; file and line of the row); folds 0. On error both are NULL. */
imbal_status imbal_keel_partitions_load(const char *data_path, const char *pattern, size_t folds,
                                        const imbal_load_options *opt, imbal_dataset **out,
                                        imbal_split **split, imbal_error *err);

#endif
