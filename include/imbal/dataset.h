/* Datasets: a dense double matrix plus integer class labels.
 * Layout: row-major in one allocation (row i is x + i * d), because the hot loops
 * (neighbour search, gradients) walk whole rows. Labels are 0 .. n_classes - 1; for a
 * binary dataset 0 is the negative (majority) class and 1 the positive (minority) class,
 * the one named by the `positive` option.
 *
 * Column order after loading: the numeric columns in file order, then the one-hot
 * columns of each categorical column in file order, as pandas.get_dummies(drop_first=True)
 * lays them out. Categories are sorted (numerically when all look numeric, else bytewise),
 * the first is dropped, and a dummy is named "<column>_<category>".
 * Missing values ("", "?", "NA", "NaN", "null", KEEL's "<null>"; letters in any case) are
 * an error naming file, line and column: imbal never imputes silently.
 *
 * Which columns are categorical: KEEL nominal ({a, b}) attributes, the columns listed in
 * opt->categorical, and CSV columns in which NO cell is a number (decided from all cells,
 * not the first). A CSV column with at least one number is numeric, so any other cell in it
 * ("n/a", "-", "inf", wherever it is) is an IMBAL_EPARSE naming that cell and how many of the
 * column's cells are numbers (not a silent switch to categorical); list the column in
 * opt->categorical to encode it. A column with no number that would be all numbers with a
 * decimal comma ("3,14") is an IMBAL_EPARSE asking for opt->decimal = ','.
 * A number is decimal: [+-]digits[.digits][e[+-]digits] (".5" and "5." too; with decimal
 * ',' the mark is ',' instead of '.'), read by strtod in the C locale whatever the caller's
 * locale; hex, inf and nan are not numbers, and a value beyond the range of a double is an
 * error. Categories are distinct strings; when
 * all of a column's categories are numbers they sort by value (equal values bytewise).
 * Target labels sort by the same rule.
 *
 * Errors: a missing or unreadable file is IMBAL_EIO naming it. Malformed input (bad
 * quoting, ragged rows, a non-number in a numeric column, a missing value, an empty file or
 * no data rows, a KEEL value outside its declared {list}) is IMBAL_EPARSE with err->file,
 * err->line and err->column (the 1-based field number; 0 when the error is not about one
 * field) and err->key = the column name where there is one. An unknown target or
 * categorical column is IMBAL_EINVAL with err->key = that name; an absent positive label,
 * one class only, or no feature column left is IMBAL_EINVAL (err->key = target column).
 *
 * CSV: the header row names the columns (non-empty, distinct); unquoted fields are trimmed
 * of spaces (and tabs unless tab is the delimiter), quoted ones are kept as they are and
 * may span lines; blank lines are skipped; a UTF-8 byte order mark is ignored. The
 * delimiter is the one of , ; tab | that occurs most often in the header line outside
 * quotes (ties to the earlier in that list; none at all: ',').
 * KEEL: "@attribute name real|integer|numeric [min, max]" (the range is not checked) or
 * "@attribute name {v1, v2}" (cells must be declared values), with or without a space
 * before [ or {; "%" lines are comments; data values are comma-separated and trimmed.
 * Without opt->target the @outputs attribute (exactly one) is the target, else the last
 * attribute; with @inputs, attributes in neither list are not loaded. The dataset's name
 * is the @relation name (CSV: the file stem). */
#ifndef IMBAL_DATASET_H
#define IMBAL_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "imbal/error.h"

typedef enum {
    IMBAL_FORMAT_AUTO = 0, /* by extension: .dat = KEEL, else CSV */
    IMBAL_FORMAT_CSV,
    IMBAL_FORMAT_KEEL
} imbal_format;

/* How a loaded dataset maps back to the columns of its file, so rows can be written in the
 * file's own terms (imbal resample) and a run can record what it read (the resolved spec's
 * target and categorical columns). */
typedef enum {
    IMBAL_COLUMN_NUMERIC = 0,
    IMBAL_COLUMN_CATEGORICAL,
    IMBAL_COLUMN_TARGET
} imbal_column_role;

typedef struct {
    char *name;
    imbal_column_role role;
    size_t feature;   /* NUMERIC: its column of x; CATEGORICAL: its first dummy (n_levels - 1
                       * of them, for levels[1 ..]) */
    size_t n_levels;  /* CATEGORICAL and TARGET: the distinct values, sorted as the encoder
                       * sorts them; a categorical column's levels[0] is the dropped one */
    char **levels;
} imbal_column;

/* How the positive class (class 1 of a binary dataset) was chosen, so a caller can say it. */
typedef enum {
    IMBAL_POSRULE_GIVEN = 0, /* opt->positive named it */
    IMBAL_POSRULE_RARER,     /* no positive given, two labels: the less frequent one */
    IMBAL_POSRULE_TIE,       /* no positive given, two labels of equal counts: the later one
                              * in sorted order */
    IMBAL_POSRULE_NONE       /* no positive given, more than two labels: none chosen */
} imbal_positive_rule;

typedef struct {
    imbal_format format;    /* IMBAL_FORMAT_CSV or IMBAL_FORMAT_KEEL, as read */
    imbal_positive_rule positive_rule;
    char decimal;           /* the decimal mark numbers were read with: '.' or ',' */
    size_t n_columns;       /* the columns loaded, in file order (KEEL attributes in neither
                             * @inputs nor @outputs are not loaded) */
    imbal_column *columns;
    size_t target;          /* index of the target column */
    size_t *label;          /* n rows: each row's target value, an index into its levels */
} imbal_columns;

typedef struct {
    size_t n;               /* rows */
    size_t d;               /* feature columns */
    double *x;              /* n * d, row-major, one allocation */
    int *y;                 /* n labels in 0 .. n_classes - 1 */
    size_t n_classes;
    char **feature_names;   /* d names */
    unsigned char *is_dummy; /* d flags: 1 for a one-hot column made from a categorical one */
    char **class_names;     /* n_classes names; binary: [0] negative, [1] positive */
    char *name;             /* dataset name (file stem or "synthetic"); may be NULL */
    imbal_columns *columns; /* the file's columns (loaded data); NULL for synthetic data and
                             * for datasets made by imbal_dataset_new or _subset */
} imbal_dataset;

typedef struct {
    imbal_format format;
    char delimiter;                    /* CSV: 0 = detect among , ; tab | from the header */
    const char *target;                /* target column; NULL = the last column */
    const char *positive;              /* label of class 1; NULL: see below */
    const char *const *categorical;    /* columns to one-hot encode even if numeric */
    size_t n_categorical;
    char decimal;                      /* CSV decimal mark: '.' (also 0, the default) or ','
                                        * (needs a delimiter other than ',') */
} imbal_load_options;
/* With positive == NULL: two distinct labels make a binary dataset whose positive class
 * is the less frequent one (on a tie, the later in sorted order); more labels keep all
 * classes, numbered in sorted label order. With positive set, every other label is class 0
 * (named "negative" if there are several others, else by that label), and positive must
 * occur in the data. */

void imbal_load_options_default(imbal_load_options *opt);

/* Loads a CSV (header row first; quoted fields with "" escapes; CRLF accepted) or a KEEL
 * .dat file. On error *out is NULL and err names the file, line and column. Free with
 * imbal_dataset_free. */
imbal_status imbal_dataset_load(const char *path, const imbal_load_options *opt,
                                imbal_dataset **out, imbal_error *err);
imbal_status imbal_dataset_load_csv(const char *path, const imbal_load_options *opt,
                                    imbal_dataset **out, imbal_error *err);
imbal_status imbal_dataset_load_keel(const char *path, const imbal_load_options *opt,
                                     imbal_dataset **out, imbal_error *err);

/* Loads several files of one format as one dataset, rows in file order, encoded together
 * (so one-hot columns agree across files). row_start receives n_paths + 1 offsets: the
 * rows of file f are row_start[f] .. row_start[f + 1] - 1 (imbal_keel_partitions_load, split.h,
 * reads KEEL partitions against their dataset).
 * Every file must have the first file's header (same columns, KEEL: same kinds and
 * @outputs) and at least one data row; the format is opt->format or that of paths[0]
 * (.dat = KEEL); column types are decided from the cells of all files together, the name
 * comes from the first file. row_start may be NULL. */
imbal_status imbal_dataset_load_many(const char *const *paths, size_t n_paths,
                                     const imbal_load_options *opt, imbal_dataset **out,
                                     size_t *row_start, imbal_error *err);

/* Synthetic two-class data in the spirit of scikit-learn's make_classification:
 * each class is a Gaussian cluster (unit variance per informative feature) centred on a
 * vertex of a hypercube of side 2 * class_sep in the informative dimensions (the two
 * classes on distinct vertices); the other features are noise. Features: the
 * n_informative ones first, named x0, x1, ...; classes "negative" and "positive"; rows in
 * random class order. Class 1 gets round(n_samples * weight_positive) rows (at least 2),
 * exactly: label noise swaps the labels of round(flip_y * n_samples / 2) random rows of
 * each class (at most the smaller class), so about flip_y of all labels are wrong.
 * Deterministic in seed (IMBAL_RNG_DEFAULT stream). _check: n_samples >= 4,
 * 1 <= n_informative <= n_features, ranges as below; IMBAL_EINVAL with err->key = field. */
typedef struct {
    size_t n_samples;       /* default 2000 */
    size_t n_features;      /* default 10 */
    size_t n_informative;   /* default 5; <= n_features */
    double weight_positive; /* default 0.05; in (0, 0.5] */
    double class_sep;       /* default 1.0; >= 0 */
    double flip_y;          /* default 0.01; in [0, 1) */
    uint64_t seed;          /* default 42 */
} imbal_synthetic_params;

void imbal_synthetic_params_default(imbal_synthetic_params *p);
imbal_status imbal_synthetic_params_check(const imbal_synthetic_params *p, imbal_error *err);
imbal_status imbal_dataset_synthetic(const imbal_synthetic_params *p, imbal_dataset **out,
                                     imbal_error *err);

/* An empty dataset with n rows, d columns and n_classes classes; names are set to
 * "x0".. and "class0".. ; x and y are zeroed. */
imbal_status imbal_dataset_new(size_t n, size_t d, size_t n_classes, imbal_dataset **out,
                               imbal_error *err);

/* A new dataset holding rows idx[0..m) of ds in that order, names copied. */
imbal_status imbal_dataset_subset(const imbal_dataset *ds, const size_t *idx, size_t m,
                                  imbal_dataset **out, imbal_error *err);

/* Writes n rows (x: n * ds->d, row-major, as the dataset's x; y: their classes) as CSV in
 * the terms of ds's file, so they read back as a dataset (ds->columns must be set): a header
 * of the file's columns in file order, then per row the numeric cells with the fewest digits
 * that read back as the same double, each categorical column as its category (see
 * imbal_dataset_category), and the target as a label: row[i] (a row of ds, e.g. the one a
 * resampled row copies) gives that row's own label, SIZE_MAX (a new row) the class name, which
 * is "negative" for a class 0 that merged several labels. row may be NULL (all new). Fields are
 * quoted when they hold a quote, a line break, one of , ; | tab, or blanks at either end.
 * On success *out is the NUL-terminated text (*len bytes; free with free()). Errors:
 * IMBAL_EINVAL (no column map, a row or label out of range), IMBAL_ENOMEM. */
imbal_status imbal_dataset_write_csv(const imbal_dataset *ds, const double *x, const int *y,
                                     const size_t *row, size_t n, char **out, size_t *len,
                                     imbal_error *err);

/* The category of a categorical column in row x (of the model matrix): the level whose dummy
 * is largest, the dropped first level counting as 1 minus the other dummies (summed in level
 * order), ties to the earlier level. A row with a one-hot encoding gets its own category; a
 * row SMOTE put between two rows of different categories gets the nearer one's (at exactly
 * half way, the earlier in sorted order); noise (random_over's shrinkage) the largest. */
size_t imbal_dataset_category(const imbal_column *col, const double *x);

/* Per-class row counts into counts[0..ds->n_classes). */
void imbal_dataset_class_counts(const imbal_dataset *ds, size_t *counts);

void imbal_dataset_free(imbal_dataset *ds);

#endif
