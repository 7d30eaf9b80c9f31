/* The sampler interface. A technique is a name, a parameter schema and a function that takes
 * a training fold (never a test fold), its parameters and a generator, and returns a new
 * training set. One static table in resample.c lists every technique: lookup, listing,
 * validation and "did you mean" all read it. Semantics follow imbalanced-learn 0.10. */
#ifndef IMBAL_RESAMPLE_H
#define IMBAL_RESAMPLE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "imbal/dataset.h"
#include "imbal/error.h"
#include "imbal/rng.h"

typedef enum {
    IMBAL_PARAM_INT,
    IMBAL_PARAM_DOUBLE,
    IMBAL_PARAM_BOOL,
    IMBAL_PARAM_STRING,  /* one of a '|'-separated list given in choices */
    IMBAL_PARAM_STRATEGY /* sampling_strategy: see imbal_strategy_parse */
} imbal_param_type;

/* At most this many parameters per technique and classes in an explicit strategy. */
#define IMBAL_PARAM_MAX 16
#define IMBAL_STRATEGY_MAX_CLASSES 16
/* The most rows a resampled fold may have (all classes together), so that no sum or product
 * of counts can wrap around a size_t; a target beyond it is refused, not allocated. */
#define IMBAL_STRATEGY_MAX_ROWS ((size_t)LONG_MAX)

typedef struct {
    const char *name;
    imbal_param_type type;
    const char *def;     /* default as text */
    double min, max;     /* valid range (inclusive) for INT and DOUBLE */
    const char *choices; /* STRING: "hard|soft|auto"; INT and DOUBLE: words also accepted,
                          * parsed as NAN (e.g. "none" for shrinkage); else NULL */
    const char *help;
} imbal_param_spec;

/* A parameter as given by the user: name and text value ("5", "0.1", "auto",
 * "negative:100,positive:200"). */
typedef struct {
    const char *name;
    const char *value;
} imbal_param;

/* sampling_strategy, imbalanced-learn's forms. */
typedef enum {
    IMBAL_STRATEGY_AUTO = 0, /* over-samplers: not majority; under-/cleaning: not minority */
    IMBAL_STRATEGY_MINORITY,
    IMBAL_STRATEGY_NOT_MINORITY,
    IMBAL_STRATEGY_NOT_MAJORITY,
    IMBAL_STRATEGY_ALL,
    IMBAL_STRATEGY_RATIO,    /* binary only: minority / majority after resampling */
    IMBAL_STRATEGY_COUNTS,   /* explicit target count per class (imblearn's dict) */
    IMBAL_STRATEGY_MAJORITY, /* under-/cleaning samplers only */
    IMBAL_STRATEGY_LIST      /* cleaning samplers only: the classes to clean */
} imbal_strategy_kind;

typedef struct {
    imbal_strategy_kind kind;
    double ratio;
    long counts[IMBAL_STRATEGY_MAX_CLASSES]; /* COUNTS: target per class; LIST: 1 = listed;
                                              * -1 = class not named */
    int unresolved; /* COUNTS/LIST named classes while class_names was NULL: syntax checked
                     * only; imbal_strategy_targets refuses it (parse again with names) */
} imbal_strategy;

/* imbal's one vocabulary for naming a class in a per-class setting (class_weight,
 * sampling_strategy's counts and lists, wherever they are written): the first of
 *   1. a class name of the data (the label as it appears in the target column), exactly;
 *   2. for binary data (n_classes == 2) the words "negative" (class 0) and "positive" (1);
 *   3. a class index 0 .. n_classes - 1 written in digits.
 * So a class literally called "positive" (or "1") is that class even when it is class 0:
 * the data's own names win. name[0..len) need not be NUL-terminated. Returns the class, or
 * -1 when nothing matches. */
long imbal_class_find(const char *name, size_t len, char *const *class_names, size_t n_classes);
/* Fills buf (size n) with what to tell a user who named an unknown class: "did you mean
 * 'positive'? " when a class name or word is close, then the classes of the data ("the classes
 * are 'no' (negative) and 'yes' (positive)"). Returns buf. */
char *imbal_class_hint(const char *name, char *const *class_names, size_t n_classes, char *buf,
                       size_t n);

/* Parses imbalanced-learn's forms: "auto", "minority", "majority", "not minority",
 * "not majority", "all"; a ratio in (0, 1] ("0.5"); explicit counts (imblearn's dict)
 * "name:count,name:count"; or a list of classes to clean (imblearn's list) "name,name".
 * A class is named as imbal_class_find says.
 * class_names may be NULL and n_classes 0 when the data is not known yet: indices are then
 * accepted below IMBAL_STRATEGY_MAX_CLASSES and names mark the result unresolved.
 * Errors: IMBAL_EINVAL (unknown word, ratio outside (0, 1], negative or non-integer count,
 * class named twice, unknown class name or index), IMBAL_EUNSUP (class index beyond
 * IMBAL_STRATEGY_MAX_CLASSES). */
imbal_status imbal_strategy_parse(const char *text, char *const *class_names, size_t n_classes,
                                  imbal_strategy *out, imbal_error *err);

typedef enum { IMBAL_SAMPLER_OVER, IMBAL_SAMPLER_UNDER, IMBAL_SAMPLER_CLEAN } imbal_sampler_kind;

/* Target number of rows per class after resampling (imbalanced-learn's
 * check_sampling_strategy): target[c] = count to reach (over: >= counts[c]; under: <= counts[c])
 * or -1 when class c is not resampled; for cleaning samplers, 1 marks a class to clean.
 * Classes with counts[c] == 0 are absent, as np.unique(y) does not see them; the minority and
 * majority are the first present class with the least / most rows (lowest index on ties).
 * Errors (IMBAL_EINVAL, with imblearn's reasons): fewer than two classes present; a ratio
 * with more than two classes, or one that would remove minority rows (over) or add majority
 * rows (under), or with a cleaning sampler; "majority" for an over-sampler, "minority" for
 * an under-/cleaning sampler; counts naming an absent class, below the class count (over)
 * or above it (under), or given to a cleaning sampler; a list for a non-cleaning sampler;
 * an unresolved strategy; targets whose rows, with the untouched classes', add up to more
 * than IMBAL_STRATEGY_MAX_ROWS. */
imbal_status imbal_strategy_targets(const imbal_strategy *s, imbal_sampler_kind kind,
                                    const size_t *counts, size_t n_classes, long *target,
                                    imbal_error *err);

/* The training fold a sampler reads (borrowed). */
typedef struct {
    const double *x; /* n * d, row-major */
    const int *y;    /* labels 0 .. n_classes - 1 */
    size_t n, d, n_classes;
    const unsigned char *is_dummy; /* d flags or NULL; informative only */
    const imbal_columns *columns;  /* the file's columns (dataset.h) or NULL (borrowed): which
                                    * dummies form one categorical variable (a CATEGORICAL
                                    * column's n_levels - 1 dummies from its feature on),
                                    * for the techniques that keep categories (smote_nc,
                                    * smoten); the others ignore it. NULL: no categorical
                                    * variable is known. */
} imbal_train_view;

#define IMBAL_SYNTHETIC SIZE_MAX

/* A sampler's output: n rows, each a copy of an input row (source[i] = its index) or a new
 * row (source[i] = IMBAL_SYNTHETIC: SMOTE's interpolations, random_over's smoothed bootstrap
 * rows), in imbalanced-learn's output order (over-samplers: the fold, then the new rows class
 * by class). Owned; free with imbal_resampled_free. */
typedef struct {
    size_t n, d;
    double *x;
    int *y;
    size_t *source;
} imbal_resampled;

void imbal_resampled_free(imbal_resampled *r);

/* Parsed parameter values, indexed like the technique's schema. */
typedef struct {
    size_t n;
    const imbal_param_spec *spec;
    double num[IMBAL_PARAM_MAX];     /* INT, DOUBLE, BOOL (0/1); NAN for a keyword */
    char text[IMBAL_PARAM_MAX][128]; /* every value as given (or the default) */
    imbal_strategy strategy[IMBAL_PARAM_MAX];
} imbal_param_values;

typedef imbal_status (*imbal_sampler_fn)(const imbal_train_view *in, const imbal_param_values *p,
                                         imbal_rng *rng, imbal_resampled **out, imbal_error *err);

/* A technique's feasibility check: whether run would refuse a training fold with counts[c]
 * rows of class c (c < n_classes), known before any run because the splits are drawn first.
 * IMBAL_OK, or IMBAL_EINVAL with run's own reason (err->key = the parameter at fault). It sees
 * only the counts, so it checks what the counts decide (sampling_strategy's targets,
 * k_neighbors against a class's rows) and nothing that depends on the values. */
typedef imbal_status (*imbal_sampler_check_fn)(const imbal_param_values *p, const size_t *counts,
                                               size_t n_classes, imbal_error *err);

typedef struct {
    const char *name;
    const imbal_param_spec *params; /* terminated by an entry with name NULL */
    imbal_sampler_fn run;
    imbal_sampler_check_fn check;
    const char *help;
} imbal_technique;

/* The registry. */
size_t imbal_technique_count(void);
const imbal_technique *imbal_technique_at(size_t i);
/* NULL if unknown. */
const imbal_technique *imbal_technique_find(const char *name);
/* Closest known name by edit distance (Levenshtein, case-insensitive), or NULL when
 * nothing is close: a name is suggested only at distance <= max(2, strlen(name) / 3);
 * ties go to the earlier entry. */
const char *imbal_technique_suggest(const char *name);
/* Closest parameter name of t by the same rule, or NULL. */
const char *imbal_param_suggest(const imbal_technique *t, const char *name);

/* Validates and parses user parameters against t's schema (defaults for the rest).
 * Errors (IMBAL_EINVAL, err->key = the parameter's name): an unknown name (message
 * "unknown parameter 'k_neigbors' for smote (did you mean 'k_neighbors'?)"), a name given
 * twice, a value of the wrong type ("5.5" for an INT, "yes please" for a BOOL, a word not in
 * choices), a value outside [min, max], a sampling_strategy imbal_strategy_parse refuses
 * (its status: EINVAL or EUNSUP). class_names and n_classes go to imbal_strategy_parse
 * (NULL and 0 when the data is not known yet). On error *out is zeroed. */
imbal_status imbal_params_parse(const imbal_technique *t, const imbal_param *given, size_t n_given,
                                char *const *class_names, size_t n_classes, imbal_param_values *out,
                                imbal_error *err);

/* The same for any schema (a classifier's too): owner names it in messages. */
imbal_status imbal_schema_parse(const char *owner, const imbal_param_spec *schema,
                                const imbal_param *given, size_t n_given, char *const *class_names,
                                size_t n_classes, imbal_param_values *out, imbal_error *err);

/* Accessors by name (the name must be in the schema; an invariant). */
double imbal_param_num(const imbal_param_values *p, const char *name);
const char *imbal_param_text(const imbal_param_values *p, const char *name);
const imbal_strategy *imbal_param_strategy(const imbal_param_values *p, const char *name);

/* Whether technique t can run on a training fold of counts[0 .. n_classes) rows per class:
 * an empty fold is refused (IMBAL_EINVAL), then t's check (see imbal_sampler_check_fn). A fold
 * it accepts may still fail at run time (out of memory, a degenerate fit), never for a reason
 * the counts decide. */
imbal_status imbal_resample_check(const imbal_technique *t, const imbal_param_values *p,
                                  const size_t *counts, size_t n_classes, imbal_error *err);

/* Runs technique t on the fold. Parameters must come from imbal_params_parse for t.
 * On success *out is a new training set (free with imbal_resampled_free); on error *out is
 * NULL. Errors: IMBAL_EINVAL for an empty or malformed fold (n or d 0, a label outside
 * 0 .. n_classes - 1) or parameters parsed for another technique, then the technique's own
 * (imbal_strategy_targets' refusals, k_neighbors too large, ...), IMBAL_ENOMEM. */
imbal_status imbal_resample(const imbal_technique *t, const imbal_train_view *in,
                            const imbal_param_values *p, imbal_rng *rng, imbal_resampled **out,
                            imbal_error *err);

#endif
