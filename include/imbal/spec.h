/* Experiment specs: a YAML file (libyaml) naming datasets, techniques, a classifier and an
 * evaluation protocol. Loading validates everything that can be checked without reading the
 * data (unknown keys with "did you mean", types, ranges, techniques and their parameters,
 * missing files) and reports ALL problems at once, each with the spec's line and column.
 * Paths in the spec are relative to the spec file's directory. See README.md for the format.
 * A run's summary.json is a spec too: a document whose top level has "imbal_version" and a
 * "spec" mapping is read from that mapping (JSON is YAML flow style to libyaml). */
#ifndef IMBAL_SPEC_H
#define IMBAL_SPEC_H

#include <stddef.h>
#include <stdint.h>

#include "imbal/dataset.h"
#include "imbal/error.h"
#include "imbal/logreg.h" /* imbal_class_weight_kind */
#include "imbal/resample.h"

/* A growable list of errors: spec validation reports every problem it finds. */
typedef struct {
    imbal_error *items;
    size_t n, cap;
} imbal_error_list;

void imbal_error_list_free(imbal_error_list *l);
/* Appends a copy of e (ENOMEM is dropped silently: the caller already fails). */
void imbal_error_list_add(imbal_error_list *l, const imbal_error *e);

typedef enum {
    IMBAL_PROTOCOL_HOLDOUT = 0,
    IMBAL_PROTOCOL_KFOLD,
    IMBAL_PROTOCOL_REPEATED_KFOLD,
    IMBAL_PROTOCOL_SPLIT_FILE,
    IMBAL_PROTOCOL_KEEL_PARTITIONS
} imbal_protocol;

typedef enum { IMBAL_COMPAT_NONE = 0, IMBAL_COMPAT_SKLEARN = 1 } imbal_compat;

typedef struct {
    char *name;
    char *path;                 /* resolved; NULL for synthetic */
    imbal_format format;
    int synthetic;
    char *target;               /* NULL: last column / KEEL output */
    char *positive;             /* NULL: see dataset.h */
    char **categorical;
    size_t n_categorical;
    char decimal;               /* CSV decimal mark: '.' (default) or ',' */
    imbal_synthetic_params synth;
    long line, column;
} imbal_spec_dataset;

/* A class named in the spec, as written: a key of class_weight, a key or an item of a
 * sampling_strategy mapping or list. Class names are known only once the data is loaded, so
 * imbal_experiment_prepare resolves them per dataset (imbal_class_find's rule: the data's
 * class names, then for binary data the words negative / positive, then an index). */
typedef struct {
    char *name;
    double value;               /* class_weight: the weight; unused for sampling_strategy */
    long line, column;          /* of the name in the spec */
} imbal_spec_class;

/* class_weight as written: none | balanced | {class: weight, ...} (classes not named weigh 1). */
typedef struct {
    imbal_class_weight_kind kind;
    imbal_spec_class *classes;  /* IMBAL_CW_EXPLICIT: n named classes */
    size_t n;
    long line, column;          /* of the value */
} imbal_spec_class_weight;

/* Where a technique's parameter was written, and the classes a mapping or list value names
 * (in the order written; empty for a scalar). */
typedef struct {
    long line, column;          /* of the value */
    imbal_spec_class *classes;
    size_t n_classes;
} imbal_spec_param_source;

/* A classifier as written: its type and the parameters given, as text (validated against
 * the type's schema at load, imbal_classifier_params_parse; the plan fills in defaults and
 * resolves "auto"). class_weight is kept apart (imbal_spec_class_weight): it names classes,
 * which only the data knows. */
typedef struct {
    char *type;                 /* registry name (classifier.h); NULL: not given */
    imbal_param *params;        /* n_params owned name/value strings, in the order written */
    long *param_line;           /* n_params: where each value was written */
    long *param_column;
    size_t n_params;
    long line, column;          /* of the mapping (or of the technique's first such key) */
} imbal_spec_classifier;

typedef struct {
    char *name;                 /* row label in the report; unique */
    char *sampler;              /* registry name */
    imbal_param *params;        /* n_params owned name/value strings */
    imbal_spec_param_source *param_sources; /* n_params */
    size_t n_params;
    int class_weight_set;       /* overrides of the classifier's settings */
    imbal_spec_class_weight class_weight;
    /* The technique's classifier override: `classifier: {type, params...}`, and the
     * shorthand keys C, solver, standardize (logistic regression's parameters). Without a
     * type, or with the spec's type, its parameters are laid over the spec classifier's;
     * with another type they replace them. */
    imbal_spec_classifier classifier;
    int compat_set;
    imbal_compat compat;
    int leaky;                  /* resample the whole dataset before splitting (teaching) */
    int has_expected;
    double expected;            /* published value of the primary metric (AUC) */
    long line, column;
} imbal_spec_technique;

typedef struct {
    imbal_protocol protocol;
    double test_size;           /* default 0.2 */
    size_t folds;               /* default 5 */
    size_t repeats;             /* default 10 for repeated_kfold, else 1 */
    char *split_file;           /* resolved */
    char *partitions;           /* resolved pattern with {fold} and {part} */
    double threshold;           /* default 0.5 */
} imbal_spec_evaluation;

typedef struct {
    char *name;
    char *path;                 /* the spec file as given */
    uint64_t seed;              /* default 42 */
    imbal_compat compat;
    int onehot_truncate;        /* onehot_resampled: truncate */
    imbal_spec_dataset *datasets;
    size_t n_datasets;
    imbal_spec_evaluation eval;
    imbal_spec_classifier classifier; /* type NULL: logistic_regression */
    imbal_spec_class_weight class_weight; /* the classifier's, as written; resolved per
                                         * dataset (runner.h) */
    imbal_spec_technique *techniques;
    size_t n_techniques;
} imbal_spec;

/* Limits on a spec (README: Spec limits). Each is refused with an error naming the line:
 * IMBAL_EINVAL for a limit, IMBAL_EPARSE for a duplicate key (named with the line of its
 * first use), an unknown alias, an alias inside the node it names, a NUL character in a
 * value or a second YAML document. An alias counts as the nodes it repeats, so a few bytes
 * of aliases cannot stand for millions of techniques; every check is linear in the text. */
#define IMBAL_SPEC_MAX_BYTES (4 * 1024 * 1024) /* the file */
#define IMBAL_SPEC_MAX_DEPTH 32                /* nested lists and mappings */
#define IMBAL_SPEC_MAX_STRING 4096             /* bytes in one key or value */
#define IMBAL_SPEC_MAX_ITEMS 100000            /* items of one list, keys of one mapping */
#define IMBAL_SPEC_MAX_NODES 500000            /* values, lists and mappings, aliases expanded */
#define IMBAL_SPEC_MAX_ERRORS 100              /* problems listed; then one "too many" */

/* Loads and validates a spec. On any problem every error found (up to
 * IMBAL_SPEC_MAX_ERRORS, then one saying so) is appended to errors (which the caller frees),
 * *out is NULL and the first error's status is returned. */
imbal_status imbal_spec_load(const char *path, imbal_spec **out, imbal_error_list *errors);
/* The same for a spec held in memory (text[0..len), no NUL needed): path names it in errors
 * and its directory anchors relative paths; the file itself is not read. */
imbal_status imbal_spec_load_buffer(const char *path, const char *text, size_t len,
                                    imbal_spec **out, imbal_error_list *errors);
void imbal_spec_free(imbal_spec *spec);

const char *imbal_protocol_name(imbal_protocol p);

/* The classifier technique t fits: its type (the technique's, else the spec's, else
 * logistic_regression) and the given parameters in force (the spec's with the technique's
 * laid over them, or the technique's alone when it names another type), at most
 * IMBAL_PARAM_MAX: given[0..*n) borrow the spec's strings; lines[] and columns[] (may be
 * NULL) where each was written. */
const char *imbal_spec_classifier_type(const imbal_spec *spec, size_t t);
void imbal_spec_classifier_given(const imbal_spec *spec, size_t t, imbal_param *given,
                                 long *lines, long *columns, size_t *n);

/* Levenshtein distance ignoring ASCII case, for "did you mean" suggestions (resample.c). */
size_t imbal_edit_distance(const char *a, const char *b);
/* Closest of the n candidates to word, or NULL when none is close (distance > max(2, len/3)). */
const char *imbal_suggest(const char *word, const char *const *candidates, size_t n);

#endif
