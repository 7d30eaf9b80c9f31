/* Experiment spec loading and validation (see spec.h). The YAML is read whole with libyaml's
 * document API so every node keeps its line and column; validation walks the tree once,
 * appending every problem to an error list instead of stopping at the first, because a user
 * fixing a spec wants to see all of them. Only then is the spec either returned or freed. */
#include "imbal/spec.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "alloc.h"
#include "resample_internal.h"

typedef struct {
    yaml_document_t *doc;
    const char *file;
    char *dir;               /* the spec's directory, for relative paths */
    imbal_error_list *errs;
    int nomem;
} spec_ctx;

/* ---- error list ---- */

void imbal_error_list_add(imbal_error_list *l, const imbal_error *e)
{
    if (l->n == l->cap) {
        size_t cap = l->cap == 0 ? 8 : 2 * l->cap;
        imbal_error *items = imbal_realloc(l->items, cap, sizeof(*items));
        if (items == NULL) {
            return;
        }
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = *e;
}

void imbal_error_list_free(imbal_error_list *l)
{
    if (l != NULL) {
        free(l->items);
        l->items = NULL;
        l->n = 0;
        l->cap = 0;
    }
}

static void spec_err(spec_ctx *c, const yaml_node_t *node, imbal_status st, const char *key,
                     const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static void spec_err(spec_ctx *c, const yaml_node_t *node, imbal_status st, const char *key,
                     const char *fmt, ...)
{
    imbal_error e;
    va_list ap;
    memset(&e, 0, sizeof(e));
    e.status = st;
    va_start(ap, fmt);
    vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
    va_end(ap);
    snprintf(e.file, sizeof(e.file), "%s", c->file);
    if (key != NULL) {
        snprintf(e.key, sizeof(e.key), "%s", key);
    }
    if (node != NULL) {
        e.line = (long)node->start_mark.line + 1;
        e.column = (long)node->start_mark.column + 1;
    }
    imbal_error_list_add(c->errs, &e);
}

/* ---- YAML helpers ---- */

static yaml_node_t *spec_node(spec_ctx *c, int index)
{
    return yaml_document_get_node(c->doc, index);
}

static const char *spec_scalar(const yaml_node_t *n)
{
    if (n == NULL || n->type != YAML_SCALAR_NODE) {
        return NULL;
    }
    return (const char *)n->data.scalar.value;
}

static const char *spec_type_name(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return "a scalar";
    case YAML_SEQUENCE_NODE:
        return "a list";
    case YAML_MAPPING_NODE:
        return "a mapping";
    default:
        return "empty";
    }
}

static int spec_expect(spec_ctx *c, const yaml_node_t *n, yaml_node_type_t type, const char *key)
{
    const char *want = type == YAML_SCALAR_NODE     ? "a value"
                       : type == YAML_SEQUENCE_NODE ? "a list"
                                                    : "a mapping";
    if (n->type != type) {
        spec_err(c, n, IMBAL_EPARSE, key, "'%s' must be %s, not %s", key, want,
                 spec_type_name(n));
        return 0;
    }
    return 1;
}

static char *spec_strdup(spec_ctx *c, const char *s)
{
    char *d = imbal_strdup(s);
    if (d == NULL) {
        c->nomem = 1;
    }
    return d;
}

static int spec_get_string(spec_ctx *c, const yaml_node_t *n, const char *key, char **out)
{
    if (!spec_expect(c, n, YAML_SCALAR_NODE, key)) {
        return 0;
    }
    free(*out);
    *out = spec_strdup(c, spec_scalar(n));
    return *out != NULL;
}

static int spec_get_double(spec_ctx *c, const yaml_node_t *n, const char *key, double lo,
                           double hi, double *out)
{
    const char *s;
    char *end = NULL;
    double v;
    if (!spec_expect(c, n, YAML_SCALAR_NODE, key)) {
        return 0;
    }
    s = spec_scalar(n);
    errno = 0;
    v = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0 || !isfinite(v)) {
        spec_err(c, n, IMBAL_EPARSE, key, "'%s' must be a number, not '%s'", key, s);
        return 0;
    }
    if (v < lo || v > hi) {
        spec_err(c, n, IMBAL_EINVAL, key, "'%s' = %s is out of range [%g, %g]", key, s, lo, hi);
        return 0;
    }
    *out = v;
    return 1;
}

static int spec_get_count(spec_ctx *c, const yaml_node_t *n, const char *key, unsigned long long lo,
                          unsigned long long hi, unsigned long long *out)
{
    const char *s;
    char *end = NULL;
    unsigned long long v;
    if (!spec_expect(c, n, YAML_SCALAR_NODE, key)) {
        return 0;
    }
    s = spec_scalar(n);
    errno = 0;
    v = strtoull(s, &end, 10);
    if (end == s || *end != '\0' || errno != 0 || s[0] == '-') {
        spec_err(c, n, IMBAL_EPARSE, key, "'%s' must be a non-negative integer, not '%s'", key, s);
        return 0;
    }
    if (v < lo || v > hi) {
        spec_err(c, n, IMBAL_EINVAL, key, "'%s' = %s is out of range [%llu, %llu]", key, s, lo,
                 hi);
        return 0;
    }
    *out = v;
    return 1;
}

static int spec_get_bool(spec_ctx *c, const yaml_node_t *n, const char *key, int *out)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "on"};
    static const char *const no[] = {"false", "False", "FALSE", "no", "off"};
    const char *s;
    if (!spec_expect(c, n, YAML_SCALAR_NODE, key)) {
        return 0;
    }
    s = spec_scalar(n);
    for (size_t i = 0; i < 5; i++) {
        if (strcmp(s, yes[i]) == 0) {
            *out = 1;
            return 1;
        }
        if (strcmp(s, no[i]) == 0) {
            *out = 0;
            return 1;
        }
    }
    spec_err(c, n, IMBAL_EPARSE, key, "'%s' must be true or false, not '%s'", key, s);
    return 0;
}

/* Picks value among choices ('|'-separated); -1 after reporting otherwise. */
static int spec_get_choice(spec_ctx *c, const yaml_node_t *n, const char *key,
                           const char *const *choices, size_t n_choices)
{
    const char *s;
    const char *close;
    char list[256] = "";
    if (!spec_expect(c, n, YAML_SCALAR_NODE, key)) {
        return -1;
    }
    s = spec_scalar(n);
    for (size_t i = 0; i < n_choices; i++) {
        if (strcmp(s, choices[i]) == 0) {
            return (int)i;
        }
        snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "",
                 choices[i]);
    }
    close = imbal_suggest(s, choices, n_choices);
    if (close != NULL) {
        spec_err(c, n, IMBAL_EINVAL, key, "unknown %s '%s' (did you mean '%s'?)", key, s, close);
    } else {
        spec_err(c, n, IMBAL_EINVAL, key, "unknown %s '%s' (expected one of: %s)", key, s, list);
    }
    return -1;
}

/* Reports key as unknown among the known keys of section. */
static void spec_unknown_key(spec_ctx *c, const yaml_node_t *k, const char *section,
                             const char *const *known, size_t n_known)
{
    const char *name = spec_scalar(k);
    const char *close;
    if (name == NULL) {
        spec_err(c, k, IMBAL_EPARSE, NULL, "%s: keys must be plain names", section);
        return;
    }
    close = imbal_suggest(name, known, n_known);
    if (close != NULL) {
        spec_err(c, k, IMBAL_EINVAL, name, "unknown key '%s' in %s (did you mean '%s'?)", name,
                 section, close);
    } else {
        spec_err(c, k, IMBAL_EINVAL, name, "unknown key '%s' in %s", name, section);
    }
}

static char *spec_resolve_path(spec_ctx *c, const char *p)
{
    char *out;
    size_t len;
    if (p[0] == '/' || c->dir == NULL || c->dir[0] == '\0') {
        return spec_strdup(c, p);
    }
    len = strlen(c->dir) + 1 + strlen(p) + 1;
    out = imbal_malloc(len, 1);
    if (out == NULL) {
        c->nomem = 1;
        return NULL;
    }
    snprintf(out, len, "%s/%s", c->dir, p);
    return out;
}

static int spec_file_exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return 0;
    }
    fclose(f);
    return 1;
}

#define SPEC_NKEYS(a) (sizeof(a) / sizeof((a)[0]))

const char *imbal_suggest(const char *word, const char *const *candidates, size_t n)
{
    return imbal_closest_name(word, candidates, n);
}

/* ---- datasets ---- */

static void spec_synthetic_key(spec_ctx *c, const char *key, yaml_node_t *v,
                               imbal_synthetic_params *p)
{
    unsigned long long u = 0;
    double x = 0.0;
    if (strcmp(key, "n_samples") == 0 && spec_get_count(c, v, key, 10, 100000000ULL, &u)) {
        p->n_samples = (size_t)u;
    } else if (strcmp(key, "n_features") == 0 && spec_get_count(c, v, key, 1, 100000, &u)) {
        p->n_features = (size_t)u;
    } else if (strcmp(key, "n_informative") == 0 && spec_get_count(c, v, key, 1, 100000, &u)) {
        p->n_informative = (size_t)u;
    } else if (strcmp(key, "weight_positive") == 0 &&
               spec_get_double(c, v, key, 1e-6, 0.5, &x)) {
        p->weight_positive = x;
    } else if (strcmp(key, "class_sep") == 0 && spec_get_double(c, v, key, 0.0, 1e6, &x)) {
        p->class_sep = x;
    } else if (strcmp(key, "flip_y") == 0 && spec_get_double(c, v, key, 0.0, 0.99, &x)) {
        p->flip_y = x;
    } else if (strcmp(key, "seed") == 0 && spec_get_count(c, v, key, 0, UINT64_MAX, &u)) {
        p->seed = (uint64_t)u;
    } else if (strcmp(key, "weights") == 0) {
        /* make_classification's form: [w_negative, w_positive] */
        yaml_node_t *w1;
        if (!spec_expect(c, v, YAML_SEQUENCE_NODE, key)) {
            return;
        }
        if (v->data.sequence.items.top - v->data.sequence.items.start != 2) {
            spec_err(c, v, IMBAL_EINVAL, key, "'weights' must list two class weights");
            return;
        }
        w1 = spec_node(c, v->data.sequence.items.start[1]);
        if (spec_get_double(c, w1, key, 1e-6, 0.5, &x)) {
            p->weight_positive = x;
        }
    }
}

static void spec_dataset(spec_ctx *c, yaml_node_t *n, imbal_spec_dataset *ds)
{
    static const char *const known[] = {"name", "path", "format", "target", "positive",
                                        "categorical", "n_samples", "n_features",
                                        "n_informative", "weights", "weight_positive",
                                        "class_sep", "flip_y", "seed"};
    static const char *const formats[] = {"auto", "csv", "keel", "synthetic"};
    yaml_node_t *path_node = NULL;
    char *path = NULL;
    ds->line = (long)n->start_mark.line + 1;
    ds->column = (long)n->start_mark.column + 1;
    imbal_synthetic_params_default(&ds->synth);
    if (!spec_expect(c, n, YAML_MAPPING_NODE, "datasets entry")) {
        return;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = spec_node(c, p->key);
        yaml_node_t *v = spec_node(c, p->value);
        const char *key = spec_scalar(k);
        size_t i;
        for (i = 0; key != NULL && i < SPEC_NKEYS(known); i++) {
            if (strcmp(key, known[i]) == 0) {
                break;
            }
        }
        if (key == NULL || i == SPEC_NKEYS(known)) {
            spec_unknown_key(c, k, "a dataset", known, SPEC_NKEYS(known));
        } else if (strcmp(key, "name") == 0) {
            spec_get_string(c, v, key, &ds->name);
        } else if (strcmp(key, "path") == 0) {
            path_node = v;
            spec_get_string(c, v, key, &path);
        } else if (strcmp(key, "format") == 0) {
            int f = spec_get_choice(c, v, key, formats, SPEC_NKEYS(formats));
            if (f == 3) {
                ds->synthetic = 1;
            } else if (f >= 0) {
                ds->format = f == 0 ? IMBAL_FORMAT_AUTO : f == 1 ? IMBAL_FORMAT_CSV
                                                                 : IMBAL_FORMAT_KEEL;
            }
        } else if (strcmp(key, "target") == 0) {
            spec_get_string(c, v, key, &ds->target);
        } else if (strcmp(key, "positive") == 0) {
            spec_get_string(c, v, key, &ds->positive);
        } else if (strcmp(key, "categorical") == 0) {
            size_t m;
            if (!spec_expect(c, v, YAML_SEQUENCE_NODE, key)) {
                continue;
            }
            m = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
            ds->categorical = imbal_calloc(m, sizeof(char *));
            if (ds->categorical == NULL) {
                c->nomem = 1;
                continue;
            }
            for (size_t j = 0; j < m; j++) {
                yaml_node_t *item = spec_node(c, v->data.sequence.items.start[j]);
                if (spec_get_string(c, item, key, &ds->categorical[ds->n_categorical])) {
                    ds->n_categorical++;
                }
            }
        } else {
            spec_synthetic_key(c, key, v, &ds->synth);
        }
    }
    if (ds->synthetic) {
        imbal_error e;
        imbal_error_clear(&e);
        if (path != NULL) {
            spec_err(c, path_node, IMBAL_EINVAL, "path", "a synthetic dataset takes no path");
        }
        if (imbal_synthetic_params_check(&ds->synth, &e) != IMBAL_OK) {
            spec_err(c, n, e.status, e.key[0] ? e.key : NULL, "%s", e.msg);
        }
        if (ds->name == NULL) {
            ds->name = spec_strdup(c, "synthetic");
        }
    } else if (path == NULL) {
        spec_err(c, n, IMBAL_EINVAL, "path", "dataset needs a 'path' (or format: synthetic)");
    } else {
        ds->path = spec_resolve_path(c, path);
        if (ds->path != NULL && !spec_file_exists(ds->path)) {
            spec_err(c, path_node, IMBAL_EIO, "path", "dataset file '%s' not found", ds->path);
        }
        if (ds->name == NULL) {
            /* the file's stem names the dataset */
            const char *base = strrchr(path, '/');
            char *dot;
            ds->name = spec_strdup(c, base != NULL ? base + 1 : path);
            dot = ds->name != NULL ? strrchr(ds->name, '.') : NULL;
            if (dot != NULL && dot != ds->name) {
                *dot = '\0';
            }
        }
    }
    free(path);
}

/* Length of the non-empty list under key, or 0 after reporting why it is unusable. */
static size_t spec_list_length(spec_ctx *c, yaml_node_t *n, const char *key)
{
    size_t m;
    if (!spec_expect(c, n, YAML_SEQUENCE_NODE, key)) {
        return 0;
    }
    m = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (m == 0) {
        spec_err(c, n, IMBAL_EINVAL, key, "'%s' is empty", key);
    }
    return m;
}

static void spec_datasets(spec_ctx *c, yaml_node_t *n, imbal_spec *spec)
{
    size_t m = spec_list_length(c, n, "datasets");
    if (m == 0) {
        return;
    }
    spec->datasets = imbal_calloc(m, sizeof(*spec->datasets));
    if (spec->datasets == NULL) {
        c->nomem = 1;
        return;
    }
    spec->n_datasets = m;
    for (size_t i = 0; i < m; i++) {
        spec_dataset(c, spec_node(c, n->data.sequence.items.start[i]), &spec->datasets[i]);
        for (size_t j = 0; j < i; j++) {
            if (spec->datasets[i].name != NULL && spec->datasets[j].name != NULL &&
                strcmp(spec->datasets[i].name, spec->datasets[j].name) == 0) {
                spec_err(c, spec_node(c, n->data.sequence.items.start[i]), IMBAL_EINVAL, "name",
                         "dataset name '%s' is used twice", spec->datasets[i].name);
            }
        }
    }
}

/* ---- evaluation ---- */

static void spec_evaluation(spec_ctx *c, yaml_node_t *n, imbal_spec *spec)
{
    static const char *const known[] = {"protocol",   "test_size",  "folds",    "repeats",
                                        "split_file", "partitions", "threshold"};
    static const char *const protocols[] = {"holdout", "kfold", "repeated_kfold", "split_file",
                                            "keel_partitions"};
    imbal_spec_evaluation *ev = &spec->eval;
    yaml_node_t *split_node = NULL;
    yaml_node_t *part_node = NULL;
    yaml_node_t *repeats_node = NULL;
    int repeats_set = 0;
    if (!spec_expect(c, n, YAML_MAPPING_NODE, "evaluation")) {
        return;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = spec_node(c, p->key);
        yaml_node_t *v = spec_node(c, p->value);
        const char *key = spec_scalar(k);
        unsigned long long u = 0;
        char *s = NULL;
        if (key == NULL) {
            spec_unknown_key(c, k, "evaluation", known, SPEC_NKEYS(known));
        } else if (strcmp(key, "protocol") == 0) {
            int f = spec_get_choice(c, v, key, protocols, SPEC_NKEYS(protocols));
            if (f >= 0) {
                ev->protocol = (imbal_protocol)f;
            }
        } else if (strcmp(key, "test_size") == 0) {
            double t = 0.0;
            if (spec_get_double(c, v, key, 1e-9, 1e12, &t)) {
                if (t >= 1.0 && floor(t) != t) {
                    spec_err(c, v, IMBAL_EINVAL, key,
                             "'test_size' must be a fraction in (0, 1) or a whole row count");
                } else {
                    ev->test_size = t;
                }
            }
        } else if (strcmp(key, "folds") == 0) {
            if (spec_get_count(c, v, key, 2, 1000, &u)) {
                ev->folds = (size_t)u;
            }
        } else if (strcmp(key, "repeats") == 0) {
            repeats_node = v;
            if (spec_get_count(c, v, key, 1, 10000, &u)) {
                ev->repeats = (size_t)u;
                repeats_set = 1;
            }
        } else if (strcmp(key, "split_file") == 0) {
            split_node = v;
            if (spec_get_string(c, v, key, &s)) {
                free(ev->split_file);
                ev->split_file = spec_resolve_path(c, s);
            }
        } else if (strcmp(key, "partitions") == 0) {
            part_node = v;
            if (spec_get_string(c, v, key, &s)) {
                free(ev->partitions);
                ev->partitions = spec_resolve_path(c, s);
            }
        } else if (strcmp(key, "threshold") == 0) {
            spec_get_double(c, v, key, 0.0, 1.0, &ev->threshold);
        } else {
            spec_unknown_key(c, k, "evaluation", known, SPEC_NKEYS(known));
        }
        free(s);
    }
    if (ev->protocol == IMBAL_PROTOCOL_REPEATED_KFOLD) {
        if (!repeats_set) {
            ev->repeats = 10;
        }
    } else if (repeats_set && ev->repeats != 1) {
        spec_err(c, repeats_node, IMBAL_EINVAL, "repeats",
                 "'repeats' applies to protocol repeated_kfold only");
    } else {
        ev->repeats = 1;
    }
    if (ev->protocol == IMBAL_PROTOCOL_SPLIT_FILE) {
        if (ev->split_file == NULL) {
            spec_err(c, n, IMBAL_EINVAL, "split_file", "protocol split_file needs 'split_file'");
        } else if (!spec_file_exists(ev->split_file)) {
            spec_err(c, split_node, IMBAL_EIO, "split_file", "split file '%s' not found",
                     ev->split_file);
        }
    }
    if (ev->protocol == IMBAL_PROTOCOL_KEEL_PARTITIONS) {
        if (ev->partitions == NULL) {
            spec_err(c, n, IMBAL_EINVAL, "partitions",
                     "protocol keel_partitions needs 'partitions' (a pattern with {fold} and "
                     "{part})");
        } else if (strstr(ev->partitions, "{fold}") == NULL ||
                   strstr(ev->partitions, "{part}") == NULL) {
            spec_err(c, part_node, IMBAL_EINVAL, "partitions",
                     "'partitions' must contain {fold} and {part}");
        } else {
            for (size_t f = 1; f <= ev->folds; f++) {
                for (int part = 0; part < 2; part++) {
                    char path[1024];
                    imbal_spec_partition_path(ev->partitions, f, part, path, sizeof(path));
                    if (!spec_file_exists(path)) {
                        spec_err(c, part_node, IMBAL_EIO, "partitions",
                                 "partition file '%s' not found", path);
                    }
                }
            }
        }
    }
}

void imbal_spec_partition_path(const char *pattern, size_t fold, int test, char *buf, size_t n)
{
    size_t len = 0;
    const char *p = pattern;
    if (n == 0) {
        return;
    }
    while (*p != '\0' && len + 1 < n) {
        if (strncmp(p, "{fold}", 6) == 0) {
            len += (size_t)snprintf(buf + len, n - len, "%zu", fold);
            p += 6;
        } else if (strncmp(p, "{part}", 6) == 0) {
            len += (size_t)snprintf(buf + len, n - len, "%s", test ? "tst" : "tra");
            p += 6;
        } else {
            buf[len++] = *p++;
        }
        if (len >= n) {
            len = n - 1;
        }
    }
    buf[len] = '\0';
}

/* ---- classifier ---- */

/* class_weight: none | balanced | {negative: w, positive: w} (also 0/1 as keys). */
static int spec_class_weight(spec_ctx *c, yaml_node_t *v, imbal_class_weight_kind *kind,
                             double *weight)
{
    static const char *const kinds[] = {"none", "balanced"};
    if (v->type == YAML_SCALAR_NODE) {
        int f = spec_get_choice(c, v, "class_weight", kinds, 2);
        if (f < 0) {
            return 0;
        }
        *kind = f == 0 ? IMBAL_CW_NONE : IMBAL_CW_BALANCED;
        return 1;
    }
    if (!spec_expect(c, v, YAML_MAPPING_NODE, "class_weight")) {
        return 0;
    }
    weight[0] = 1.0;
    weight[1] = 1.0;
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *k = spec_node(c, p->key);
        const char *key = spec_scalar(k);
        int cls = -1;
        if (key != NULL && (strcmp(key, "negative") == 0 || strcmp(key, "0") == 0)) {
            cls = 0;
        } else if (key != NULL && (strcmp(key, "positive") == 0 || strcmp(key, "1") == 0)) {
            cls = 1;
        }
        if (cls < 0) {
            static const char *const names[] = {"negative", "positive"};
            spec_unknown_key(c, k, "class_weight (classes are negative and positive)", names, 2);
            return 0;
        }
        if (!spec_get_double(c, spec_node(c, p->value), "class_weight", 1e-12, 1e12,
                             &weight[cls])) {
            return 0;
        }
    }
    *kind = IMBAL_CW_EXPLICIT;
    return 1;
}

static void spec_classifier(spec_ctx *c, yaml_node_t *n, imbal_spec *spec)
{
    static const char *const known[] = {"type", "C", "class_weight", "standardize",
                                        "solver", "tol", "max_iter"};
    static const char *const types[] = {"logistic_regression"};
    static const char *const solvers[] = {"exact", "lbfgs"};
    imbal_logreg_params *lp = &spec->classifier;
    if (!spec_expect(c, n, YAML_MAPPING_NODE, "classifier")) {
        return;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = spec_node(c, p->key);
        yaml_node_t *v = spec_node(c, p->value);
        const char *key = spec_scalar(k);
        unsigned long long u = 0;
        if (key == NULL) {
            spec_unknown_key(c, k, "classifier", known, SPEC_NKEYS(known));
        } else if (strcmp(key, "type") == 0) {
            spec_get_choice(c, v, key, types, 1);
        } else if (strcmp(key, "C") == 0) {
            spec_get_double(c, v, key, 1e-12, 1e12, &lp->C);
        } else if (strcmp(key, "class_weight") == 0) {
            spec_class_weight(c, v, &lp->class_weight, lp->weight);
        } else if (strcmp(key, "standardize") == 0) {
            spec_get_bool(c, v, key, &lp->standardize);
        } else if (strcmp(key, "solver") == 0) {
            int f = spec_get_choice(c, v, key, solvers, 2);
            if (f >= 0) {
                lp->solver = f == 0 ? IMBAL_SOLVER_EXACT : IMBAL_SOLVER_LBFGS;
                spec->solver_set = 1;
            }
        } else if (strcmp(key, "tol") == 0) {
            spec_get_double(c, v, key, 1e-300, 1.0, &lp->tol);
        } else if (strcmp(key, "max_iter") == 0) {
            if (spec_get_count(c, v, key, 1, 1000000, &u)) {
                lp->max_iter = (size_t)u;
            }
        } else {
            spec_unknown_key(c, k, "classifier", known, SPEC_NKEYS(known));
        }
    }
}

/* ---- techniques ---- */

static int spec_compat(spec_ctx *c, yaml_node_t *v, imbal_compat *out)
{
    static const char *const modes[] = {"none", "sklearn"};
    int f = spec_get_choice(c, v, "compat", modes, 2);
    if (f < 0) {
        return 0;
    }
    *out = f == 0 ? IMBAL_COMPAT_NONE : IMBAL_COMPAT_SKLEARN;
    return 1;
}

/* sampling_strategy given as a mapping becomes "name:count,name:count". */
static int spec_param_value(spec_ctx *c, yaml_node_t *v, const char *key, char *buf, size_t n)
{
    size_t len = 0;
    if (v->type == YAML_SCALAR_NODE) {
        snprintf(buf, n, "%s", spec_scalar(v));
        return 1;
    }
    if (v->type != YAML_MAPPING_NODE) {
        spec_err(c, v, IMBAL_EPARSE, key, "parameter '%s' must be a value or a mapping", key);
        return 0;
    }
    buf[0] = '\0';
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        const char *k = spec_scalar(spec_node(c, p->key));
        const char *val = spec_scalar(spec_node(c, p->value));
        if (k == NULL || val == NULL) {
            spec_err(c, v, IMBAL_EPARSE, key, "parameter '%s': mapping of class: count expected",
                     key);
            return 0;
        }
        len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s%s:%s", len ? "," : "", k,
                                val);
    }
    if (len >= n) {
        spec_err(c, v, IMBAL_EINVAL, key, "parameter '%s' is too long", key);
        return 0;
    }
    return 1;
}

static void spec_params(spec_ctx *c, yaml_node_t *v, imbal_spec_technique *t)
{
    size_t m;
    if (!spec_expect(c, v, YAML_MAPPING_NODE, "params")) {
        return;
    }
    m = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
    t->params = imbal_calloc(m, sizeof(*t->params));
    if (t->params == NULL) {
        c->nomem = 1;
        return;
    }
    for (size_t i = 0; i < m; i++) {
        yaml_node_pair_t *p = &v->data.mapping.pairs.start[i];
        const char *key = spec_scalar(spec_node(c, p->key));
        char buf[512];
        if (key == NULL) {
            spec_err(c, spec_node(c, p->key), IMBAL_EPARSE, NULL, "parameter names must be plain");
            continue;
        }
        if (!spec_param_value(c, spec_node(c, p->value), key, buf, sizeof(buf))) {
            continue;
        }
        t->params[t->n_params].name = spec_strdup(c, key);
        t->params[t->n_params].value = spec_strdup(c, buf);
        t->n_params++;
    }
}

/* Checks sampler and parameters against the registry; reports at the parameter's key. */
static void spec_check_technique(spec_ctx *c, yaml_node_t *n, yaml_node_t *sampler_node,
                                 yaml_node_t *params_node, const imbal_spec_technique *t)
{
    const imbal_technique *tech = imbal_technique_find(t->sampler);
    imbal_param_values vals;
    imbal_error e;
    if (tech == NULL) {
        const char *close = imbal_technique_suggest(t->sampler);
        if (close != NULL) {
            spec_err(c, sampler_node, IMBAL_EINVAL, "sampler",
                     "unknown technique '%s' (did you mean '%s'?)", t->sampler, close);
        } else {
            spec_err(c, sampler_node, IMBAL_EINVAL, "sampler",
                     "unknown technique '%s' (see `imbal techniques`)", t->sampler);
        }
        return;
    }
    imbal_error_clear(&e);
    if (imbal_params_parse(tech, t->params, t->n_params, NULL, 0, &vals, &e) != IMBAL_OK) {
        yaml_node_t *at = params_node != NULL ? params_node : n;
        if (params_node != NULL && e.key[0] != '\0') {
            for (yaml_node_pair_t *p = params_node->data.mapping.pairs.start;
                 p < params_node->data.mapping.pairs.top; p++) {
                const char *k = spec_scalar(spec_node(c, p->key));
                if (k != NULL && strcmp(k, e.key) == 0) {
                    at = spec_node(c, p->key);
                }
            }
        }
        spec_err(c, at, e.status, e.key[0] ? e.key : "params", "%s", e.msg);
    }
}

static void spec_technique(spec_ctx *c, yaml_node_t *n, imbal_spec_technique *t)
{
    static const char *const known[] = {"name",  "sampler", "params",   "class_weight", "C",
                                        "standardize", "compat", "leaky", "expected"};
    yaml_node_t *sampler_node = NULL;
    yaml_node_t *params_node = NULL;
    t->line = (long)n->start_mark.line + 1;
    t->column = (long)n->start_mark.column + 1;
    if (!spec_expect(c, n, YAML_MAPPING_NODE, "techniques entry")) {
        return;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = spec_node(c, p->key);
        yaml_node_t *v = spec_node(c, p->value);
        const char *key = spec_scalar(k);
        if (key == NULL) {
            spec_unknown_key(c, k, "a technique", known, SPEC_NKEYS(known));
        } else if (strcmp(key, "name") == 0) {
            spec_get_string(c, v, key, &t->name);
        } else if (strcmp(key, "sampler") == 0) {
            sampler_node = v;
            spec_get_string(c, v, key, &t->sampler);
        } else if (strcmp(key, "params") == 0) {
            params_node = v;
            spec_params(c, v, t);
        } else if (strcmp(key, "class_weight") == 0) {
            t->class_weight_set = spec_class_weight(c, v, &t->class_weight, t->weight);
        } else if (strcmp(key, "C") == 0) {
            t->C_set = spec_get_double(c, v, key, 1e-12, 1e12, &t->C);
        } else if (strcmp(key, "standardize") == 0) {
            t->standardize_set = spec_get_bool(c, v, key, &t->standardize);
        } else if (strcmp(key, "compat") == 0) {
            t->compat_set = spec_compat(c, v, &t->compat);
        } else if (strcmp(key, "leaky") == 0) {
            spec_get_bool(c, v, key, &t->leaky);
        } else if (strcmp(key, "expected") == 0) {
            t->has_expected = spec_get_double(c, v, key, 0.0, 1.0, &t->expected);
        } else {
            spec_unknown_key(c, k, "a technique", known, SPEC_NKEYS(known));
        }
    }
    if (t->sampler == NULL && sampler_node == NULL) {
        t->sampler = spec_strdup(c, "none");
    }
    if (t->name == NULL && t->sampler != NULL) {
        t->name = spec_strdup(c, t->sampler);
    }
    if (t->sampler != NULL) {
        spec_check_technique(c, n, sampler_node != NULL ? sampler_node : n,
                             params_node != NULL && params_node->type == YAML_MAPPING_NODE
                                 ? params_node
                                 : NULL,
                             t);
    }
}

static void spec_techniques(spec_ctx *c, yaml_node_t *n, imbal_spec *spec)
{
    size_t m = spec_list_length(c, n, "techniques");
    if (m == 0) {
        return;
    }
    spec->techniques = imbal_calloc(m, sizeof(*spec->techniques));
    if (spec->techniques == NULL) {
        c->nomem = 1;
        return;
    }
    spec->n_techniques = m;
    for (size_t i = 0; i < m; i++) {
        yaml_node_t *item = spec_node(c, n->data.sequence.items.start[i]);
        spec_technique(c, item, &spec->techniques[i]);
        for (size_t j = 0; j < i; j++) {
            if (spec->techniques[i].name != NULL && spec->techniques[j].name != NULL &&
                strcmp(spec->techniques[i].name, spec->techniques[j].name) == 0) {
                spec_err(c, item, IMBAL_EINVAL, "name",
                         "technique name '%s' is used twice (names label the report's rows)",
                         spec->techniques[i].name);
            }
        }
    }
}

/* ---- top level ---- */

static void spec_defaults(imbal_spec *spec)
{
    spec->seed = 42;
    spec->eval.protocol = IMBAL_PROTOCOL_HOLDOUT;
    spec->eval.test_size = 0.2;
    spec->eval.folds = 5;
    spec->eval.repeats = 1;
    spec->eval.threshold = 0.5;
    imbal_logreg_params_default(&spec->classifier);
}

/* The embedded default dataset: synthetic data, used when a spec names no datasets. */
static void spec_default_dataset(spec_ctx *c, imbal_spec *spec)
{
    spec->datasets = imbal_calloc(1, sizeof(*spec->datasets));
    if (spec->datasets == NULL) {
        c->nomem = 1;
        return;
    }
    spec->n_datasets = 1;
    spec->datasets[0].synthetic = 1;
    spec->datasets[0].name = spec_strdup(c, "synthetic");
    imbal_synthetic_params_default(&spec->datasets[0].synth);
}

static void spec_top(spec_ctx *c, yaml_node_t *root, imbal_spec *spec)
{
    static const char *const known[] = {"name",       "description", "seed",       "datasets",
                                        "evaluation", "classifier",  "techniques", "compat",
                                        "onehot_resampled"};
    static const char *const onehot[] = {"keep", "truncate"};
    int have_datasets = 0;
    int have_techniques = 0;
    if (root == NULL) {
        spec_err(c, NULL, IMBAL_EPARSE, NULL, "the spec is empty");
        return;
    }
    if (!spec_expect(c, root, YAML_MAPPING_NODE, "the spec")) {
        return;
    }
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = spec_node(c, p->key);
        yaml_node_t *v = spec_node(c, p->value);
        const char *key = spec_scalar(k);
        unsigned long long u = 0;
        if (key == NULL) {
            spec_unknown_key(c, k, "the spec", known, SPEC_NKEYS(known));
        } else if (strcmp(key, "name") == 0) {
            if (spec_get_string(c, v, key, &spec->name) && (spec->name[0] == '\0' ||
                                                             strchr(spec->name, '/') != NULL)) {
                spec_err(c, v, IMBAL_EINVAL, key, "'name' must be non-empty without '/'");
            }
        } else if (strcmp(key, "description") == 0) {
            spec_expect(c, v, YAML_SCALAR_NODE, key);
        } else if (strcmp(key, "seed") == 0) {
            if (spec_get_count(c, v, key, 0, UINT64_MAX, &u)) {
                spec->seed = (uint64_t)u;
            }
        } else if (strcmp(key, "datasets") == 0) {
            have_datasets = 1;
            spec_datasets(c, v, spec);
        } else if (strcmp(key, "evaluation") == 0) {
            spec_evaluation(c, v, spec);
        } else if (strcmp(key, "classifier") == 0) {
            spec_classifier(c, v, spec);
        } else if (strcmp(key, "techniques") == 0) {
            have_techniques = 1;
            spec_techniques(c, v, spec);
        } else if (strcmp(key, "compat") == 0) {
            spec_compat(c, v, &spec->compat);
        } else if (strcmp(key, "onehot_resampled") == 0) {
            int f = spec_get_choice(c, v, key, onehot, 2);
            if (f >= 0) {
                spec->onehot_truncate = f;
            }
        } else {
            spec_unknown_key(c, k, "the spec", known, SPEC_NKEYS(known));
        }
    }
    if (!have_techniques) {
        spec_err(c, root, IMBAL_EINVAL, "techniques", "the spec needs a 'techniques' list");
    }
    if (!have_datasets) {
        spec_default_dataset(c, spec);
    }
    if (spec->compat == IMBAL_COMPAT_SKLEARN && spec->seed > 0xffffffffULL) {
        spec_err(c, root, IMBAL_EINVAL, "seed",
                 "compat: sklearn needs a seed below 2^32, as numpy's random_state");
    }
    for (size_t i = 0; i < spec->n_techniques; i++) {
        const imbal_spec_technique *t = &spec->techniques[i];
        if (t->leaky && (spec->eval.protocol == IMBAL_PROTOCOL_SPLIT_FILE ||
                         spec->eval.protocol == IMBAL_PROTOCOL_KEEL_PARTITIONS)) {
            imbal_error e;
            memset(&e, 0, sizeof(e));
            e.status = IMBAL_EINVAL;
            e.line = t->line;
            e.column = t->column;
            snprintf(e.file, sizeof(e.file), "%s", c->file);
            snprintf(e.key, sizeof(e.key), "leaky");
            snprintf(e.msg, sizeof(e.msg),
                     "technique '%s': leaky needs a protocol that splits (holdout, kfold, "
                     "repeated_kfold), not %s",
                     t->name != NULL ? t->name : "?", imbal_protocol_name(spec->eval.protocol));
            imbal_error_list_add(c->errs, &e);
        }
    }
}

static char *spec_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        return imbal_strdup(".");
    }
    return imbal_strndup(path, (size_t)(slash - path));
}

static char *spec_stem(const char *path)
{
    const char *base = strrchr(path, '/');
    char *stem = imbal_strdup(base != NULL ? base + 1 : path);
    char *dot = stem != NULL ? strrchr(stem, '.') : NULL;
    if (dot != NULL && dot != stem) {
        *dot = '\0';
    }
    return stem;
}

imbal_status imbal_spec_load(const char *path, imbal_spec **out, imbal_error_list *errors)
{
    FILE *fp = NULL;
    yaml_parser_t parser;
    yaml_document_t doc;
    int parser_ok = 0;
    int doc_ok = 0;
    imbal_spec *spec = NULL;
    spec_ctx c;
    imbal_status st = IMBAL_OK;
    size_t errs_before = errors->n;
    imbal_error e;

    *out = NULL;
    memset(&c, 0, sizeof(c));
    c.file = path;
    c.errs = errors;
    imbal_error_clear(&e);
    fp = fopen(path, "rb");
    if (fp == NULL) {
        imbal_fail_at(&e, IMBAL_EIO, path, 0, 0, "cannot open spec: %s", strerror(errno));
        imbal_error_list_add(errors, &e);
        return IMBAL_EIO;
    }
    spec = imbal_calloc(1, sizeof(*spec));
    c.dir = spec_dirname(path);
    if (spec == NULL || c.dir == NULL) {
        st = IMBAL_ENOMEM;
        goto cleanup;
    }
    spec_defaults(spec);
    spec->path = imbal_strdup(path);
    if (spec->path == NULL || !yaml_parser_initialize(&parser)) {
        st = IMBAL_ENOMEM;
        goto cleanup;
    }
    parser_ok = 1;
    yaml_parser_set_input_file(&parser, fp);
    if (!yaml_parser_load(&parser, &doc)) {
        imbal_fail_at(&e, IMBAL_EPARSE, path, (long)parser.problem_mark.line + 1,
                      (long)parser.problem_mark.column + 1, "YAML: %s%s%s",
                      parser.problem != NULL ? parser.problem : "syntax error",
                      parser.context != NULL ? " " : "",
                      parser.context != NULL ? parser.context : "");
        imbal_error_list_add(errors, &e);
        st = IMBAL_EPARSE;
        goto cleanup;
    }
    doc_ok = 1;
    c.doc = &doc;
    spec_top(&c, yaml_document_get_root_node(&doc), spec);
    if (spec->name == NULL) {
        spec->name = spec_stem(path);
        if (spec->name == NULL) {
            c.nomem = 1;
        }
    }
    if (spec->compat == IMBAL_COMPAT_SKLEARN && !spec->solver_set) {
        spec->classifier.solver = IMBAL_SOLVER_LBFGS;
    }
    if (c.nomem) {
        st = IMBAL_ENOMEM;
    } else if (errors->n > errs_before) {
        st = errors->items[errs_before].status;
    }
cleanup:
    if (st == IMBAL_ENOMEM) {
        imbal_fail_at(&e, IMBAL_ENOMEM, path, 0, 0, "out of memory reading the spec");
        imbal_error_list_add(errors, &e);
    }
    if (doc_ok) {
        yaml_document_delete(&doc);
    }
    if (parser_ok) {
        yaml_parser_delete(&parser);
    }
    fclose(fp);
    free(c.dir);
    if (st != IMBAL_OK) {
        imbal_spec_free(spec);
        return st;
    }
    *out = spec;
    return IMBAL_OK;
}

void imbal_spec_free(imbal_spec *spec)
{
    if (spec == NULL) {
        return;
    }
    for (size_t i = 0; i < spec->n_datasets; i++) {
        imbal_spec_dataset *d = &spec->datasets[i];
        free(d->name);
        free(d->path);
        free(d->target);
        free(d->positive);
        for (size_t j = 0; j < d->n_categorical; j++) {
            free(d->categorical[j]);
        }
        free(d->categorical);
    }
    free(spec->datasets);
    for (size_t i = 0; i < spec->n_techniques; i++) {
        imbal_spec_technique *t = &spec->techniques[i];
        free(t->name);
        free(t->sampler);
        for (size_t j = 0; j < t->n_params; j++) {
            free((char *)t->params[j].name);
            free((char *)t->params[j].value);
        }
        free(t->params);
    }
    free(spec->techniques);
    free(spec->eval.split_file);
    free(spec->eval.partitions);
    free(spec->name);
    free(spec->path);
    free(spec);
}

const char *imbal_protocol_name(imbal_protocol p)
{
    static const char *const names[] = {"holdout", "kfold", "repeated_kfold", "split_file",
                                        "keel_partitions"};
    if ((int)p < 0 || (size_t)p >= SPEC_NKEYS(names)) {
        return "unknown";
    }
    return names[p];
}
