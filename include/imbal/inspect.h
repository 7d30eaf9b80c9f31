/* Data inspection, the facts behind `imbal init`: what a CSV or KEEL file holds as the loader
 * (dataset.h) will read it. Columns and their roles, why a column is categorical, the target
 * and why, the class counts, the positive class (guessed as the minority), the imbalance ratio
 * and how many feature columns the classifier will see. Reads the file once, prints nothing;
 * the starter spec built from these facts is in starter.h.
 *
 * Which column is the target: opt->target, else the KEEL @outputs attribute, else the last
 * column (as the loader). Which columns are categorical: KEEL nominal ({a, b}) attributes and
 * every CSV column holding a cell that is not a number (dataset.h's number syntax). The loader
 * infers a CSV column from its first data cell only, so a column whose first cell is a number
 * and a later one is not is reported as IMBAL_CATEGORICAL_LATER_CELL: a spec must list it
 * under `categorical` (the starter spec lists every categorical column). Numeric columns are
 * left numeric even when they hold a few whole numbers (codes); n_distinct and whole_numbers
 * let a caller point them out.
 *
 * The positive class: opt->positive, else the least frequent label; with more than two labels
 * only labels with at least 2 rows are candidates (a class of one row cannot be split into a
 * training and a test fold), with two labels both are. Ties go to the later label in sorted
 * order, the loader's own rule for two labels. Every other label becomes the negative class
 * (one-vs-rest), as the spec's `positive` key does. */
#ifndef IMBAL_INSPECT_H
#define IMBAL_INSPECT_H

#include <stddef.h>

#include "imbal/dataset.h"
#include "imbal/error.h"

typedef enum {
    IMBAL_ROLE_NUMERIC = 0,
    IMBAL_ROLE_CATEGORICAL,
    IMBAL_ROLE_TARGET,
    IMBAL_ROLE_SKIPPED /* KEEL attribute in neither @inputs nor @outputs: not loaded */
} imbal_inspect_role;

typedef enum {
    IMBAL_CATEGORICAL_NO = 0,
    IMBAL_CATEGORICAL_NOMINAL,    /* KEEL {a, b, ...} attribute */
    IMBAL_CATEGORICAL_FIRST_CELL, /* CSV: its first data cell is not a number */
    IMBAL_CATEGORICAL_LATER_CELL  /* CSV: the first cell is a number, a later one is not */
} imbal_categorical_reason;

typedef struct {
    char *name;
    imbal_inspect_role role;
    imbal_categorical_reason why;  /* IMBAL_CATEGORICAL_NO unless role is CATEGORICAL */
    size_t n_distinct;             /* distinct values: numbers by value, categories as text;
                                    * 0 for the target and skipped columns */
    int whole_numbers;             /* numeric: every value is a whole number */
    char *first_text;              /* categorical CSV column: its first cell that is not a
                                    * number; else NULL */
    long first_text_line;          /* its 1-based line in the file; 0 when first_text is NULL */
    size_t n_numbers;              /* CSV column: its cells that are numbers (a categorical
                                    * column with some is one the loader refuses unlisted) */
} imbal_column_info;

typedef enum {
    IMBAL_TARGET_GIVEN = 0,    /* opt->target */
    IMBAL_TARGET_KEEL_OUTPUTS, /* the KEEL @outputs attribute */
    IMBAL_TARGET_LAST_COLUMN   /* no @outputs (KEEL) or CSV: the last column */
} imbal_target_reason;

typedef enum {
    IMBAL_POSITIVE_GIVEN = 0, /* opt->positive */
    IMBAL_POSITIVE_MINORITY   /* the least frequent candidate label (see above) */
} imbal_positive_reason;

typedef struct {
    const char *target;   /* NULL: @outputs, else the last column */
    const char *positive; /* NULL: guess the minority */
} imbal_inspect_options;

typedef struct {
    char *path;                 /* as given */
    imbal_format format;        /* IMBAL_FORMAT_CSV or IMBAL_FORMAT_KEEL (by extension: .dat) */
    char *stem;                 /* the file name without directory and extension */
    size_t n_rows;
    size_t n_columns;
    imbal_column_info *columns; /* n_columns, in file order */
    size_t target;              /* index into columns */
    imbal_target_reason target_why;
    size_t n_classes;           /* distinct target labels */
    char **class_names;         /* n_classes labels in the loader's class order: sorted (as
                                 * dataset.h sorts labels) for more than two; for two, the
                                 * more frequent first (on a tie the earlier in sorted order) */
    size_t *class_counts;       /* n_classes rows per label */
    size_t positive;            /* index into class_names */
    imbal_positive_reason positive_why;
    size_t n_tied;              /* MINORITY: candidate labels with the positive's count
                                 * (1: no tie) */
    size_t n_singletons;        /* labels with one row only (never guessed as positive when
                                 * there are more than two labels) */
    size_t n_positive;          /* rows of the positive label */
    size_t n_negative;          /* all other rows */
    double imbalance_ratio;     /* n_negative / n_positive */
    size_t n_features;          /* feature columns after one-hot encoding */
    char decimal;               /* '.', or ',' when the CSV's fields are not ','-separated
                                 * and a feature column's cells are all numbers only with a
                                 * decimal comma ("3,14"): read so, and the spec says so */
    size_t decimal_column;      /* decimal ',': the first such column (index into columns) */
    long decimal_line;          /* and the line of its first cell with a comma */
} imbal_inspection;

/* Inspects the CSV or KEEL file at path (opt may be NULL: all defaults). Loads it exactly as
 * a spec listing the target and the categorical columns found would, so every loader error
 * surfaces here, with its file, line and column. Errors: IMBAL_EIO (missing or unreadable
 * file), IMBAL_EPARSE (malformed file, missing value), IMBAL_EINVAL with err->key set: an
 * unknown target column (the message lists the columns), one class only, a positive label
 * that does not occur (the message lists the labels), more than two labels all of which occur
 * once (not a class column?), no feature column; IMBAL_ENOMEM. On error *out is NULL. Free
 * with imbal_inspection_free. */
imbal_status imbal_inspect(const char *path, const imbal_inspect_options *opt,
                           imbal_inspection **out, imbal_error *err);

void imbal_inspection_free(imbal_inspection *in);

/* Columns with role r, counted. */
size_t imbal_inspection_count_role(const imbal_inspection *in, imbal_inspect_role r);

#endif
