/* The sampler interface. A technique is a name, a parameter schema and a function that takes
 * a training fold (never a test fold), its parameters and a generator, and returns a new
 * training set. One static table in resample.c lists every technique: lookup, listing,
 * validation and "did you mean" all read it. Semantics follow imbalanced-learn 0.10. */
#ifndef IMBAL_RESAMPLE_H
#define IMBAL_RESAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "imbal/error.h"
#include "imbal/rng.h"

typedef enum {
    IMBAL_PARAM_INT,
    IMBAL_PARAM_DOUBLE,
    IMBAL_PARAM_BOOL,
    IMBAL_PARAM_STRING,   /* one of a '|'-separated list given in choices */
    IMBAL_PARAM_STRATEGY  /* sampling_strategy: see imbal_strategy_parse */
} imbal_param_type;

typedef struct {
    const char *name;
    imbal_param_type type;
    const char *def;      /* default as text */
    double min, max;      /* valid range for INT and DOUBLE */
    const char *choices;  /* STRING: "hard|soft|auto"; else NULL */
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
    IMBAL_STRATEGY_AUTO = 0,   /* over-samplers: not majority; under-/cleaning: not minority */
    IMBAL_STRATEGY_MINORITY,
    IMBAL_STRATEGY_NOT_MINORITY,
    IMBAL_STRATEGY_NOT_MAJORITY,
    IMBAL_STRATEGY_ALL,
    IMBAL_STRATEGY_RATIO,      /* binary only: minority / majority after resampling */
    IMBAL_STRATEGY_COUNTS      /* explicit target count per class */
} imbal_strategy_kind;

typedef struct {
    imbal_strategy_kind kind;
    double ratio;
    long counts[16];          /* COUNTS: target per class; -1 = class left alone */
} imbal_strategy;

/* Parses "auto", "minority", "not minority", "not majority", "all", a float in (0, 1], or
 * "name:count,name:count" (class names or indices). class_names may be NULL. */
imbal_status imbal_strategy_parse(const char *text, char *const *class_names, size_t n_classes,
                                  imbal_strategy *out, imbal_error *err);

typedef enum { IMBAL_SAMPLER_OVER, IMBAL_SAMPLER_UNDER, IMBAL_SAMPLER_CLEAN } imbal_sampler_kind;

/* Target number of rows per class after resampling (imbalanced-learn's
 * check_sampling_strategy): target[c] = count to reach (over: >= counts[c]; under: <= counts[c])
 * or -1 when class c is not resampled; for cleaning samplers, 1 marks a class to clean. */
imbal_status imbal_strategy_targets(const imbal_strategy *s, imbal_sampler_kind kind,
                                    const size_t *counts, size_t n_classes, long *target,
                                    imbal_error *err);

/* The training fold a sampler reads (borrowed). */
typedef struct {
    const double *x;          /* n * d, row-major */
    const int *y;             /* labels 0 .. n_classes - 1 */
    size_t n, d, n_classes;
    const unsigned char *is_dummy; /* d flags or NULL; informative only */
} imbal_train_view;

#define IMBAL_SYNTHETIC SIZE_MAX

/* A sampler's output: n rows, each a copy of an input row (source[i] = its index) or a new
 * row (source[i] = IMBAL_SYNTHETIC), in imbalanced-learn's output order. Owned; free with
 * imbal_resampled_free. */
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
    double num[16];          /* INT, DOUBLE, BOOL */
    char text[16][128];      /* STRING and STRATEGY as given */
    imbal_strategy strategy[16];
} imbal_param_values;

typedef imbal_status (*imbal_sampler_fn)(const imbal_train_view *in, const imbal_param_values *p,
                                         imbal_rng *rng, imbal_resampled **out,
                                         imbal_error *err);

typedef struct {
    const char *name;
    const imbal_param_spec *params;  /* terminated by an entry with name NULL */
    imbal_sampler_fn run;
    const char *help;
} imbal_technique;

/* The registry. */
size_t imbal_technique_count(void);
const imbal_technique *imbal_technique_at(size_t i);
/* NULL if unknown. */
const imbal_technique *imbal_technique_find(const char *name);
/* Closest known name by edit distance, or NULL when nothing is close. */
const char *imbal_technique_suggest(const char *name);
/* Closest parameter name of t, or NULL. */
const char *imbal_param_suggest(const imbal_technique *t, const char *name);

/* Validates and parses user parameters against t's schema (defaults for the rest).
 * Unknown names (EINVAL, err->key = the name, message with "did you mean"), bad values and
 * out-of-range values are errors. class_names may be NULL (strategy counts then by index
 * only... names are checked when the dataset is known). */
imbal_status imbal_params_parse(const imbal_technique *t, const imbal_param *given, size_t n_given,
                                char *const *class_names, size_t n_classes,
                                imbal_param_values *out, imbal_error *err);

/* Accessors by name (the name must be in the schema; an invariant). */
double imbal_param_num(const imbal_param_values *p, const char *name);
const char *imbal_param_text(const imbal_param_values *p, const char *name);
const imbal_strategy *imbal_param_strategy(const imbal_param_values *p, const char *name);

/* Runs technique t on the fold. Parameters must come from imbal_params_parse for t. */
imbal_status imbal_resample(const imbal_technique *t, const imbal_train_view *in,
                            const imbal_param_values *p, imbal_rng *rng, imbal_resampled **out,
                            imbal_error *err);

#endif
