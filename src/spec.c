/* Experiment spec loading and validation (see spec.h). The YAML is read whole with libyaml's
 * document API so every node keeps its line and column; validation walks the tree once,
 * appending every problem to an error list instead of stopping at the first, because a user
 * fixing a spec wants to see all of them. Only then is the spec either returned or freed. */
#include "imbal/spec.h"
#include "imbal/classifier.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "alloc.h"
#include "imbal/outdir.h"
#include "resample_internal.h"
#include "spec_internal.h"

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

static void spec_err_v(imbal_spec_ctx *c, long line, long column, imbal_status st, const char *key,
                       const char *fmt, va_list ap)
{
    imbal_error e;
    size_t listed;
    if (c->errs_capped) {
        return;
    }
    memset(&e, 0, sizeof(e));
    e.status = st;
    snprintf(e.file, sizeof(e.file), "%s", c->file);
    if (c->errs->n - c->errs_before >= IMBAL_SPEC_MAX_ERRORS) {
        /* a problem repeated over a long list would otherwise cost memory per item */
        c->errs_capped = 1;
        snprintf(e.msg, sizeof(e.msg), "too many problems: only the first %d are listed",
                 IMBAL_SPEC_MAX_ERRORS);
        imbal_error_list_add(c->errs, &e);
        return;
    }
    vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
    if (key != NULL) {
        snprintf(e.key, sizeof(e.key), "%s", key);
    }
    e.line = line;
    e.column = column;
    listed = c->errs->n;
    imbal_error_list_add(c->errs, &e);
    if (c->errs->n == listed) {
        c->nomem = 1; /* the list could not grow: the problem must still fail the load */
    }
}

void imbal_spec_err_at(imbal_spec_ctx *c, long line, long column, imbal_status st, const char *key,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    spec_err_v(c, line, column, st, key, fmt, ap);
    va_end(ap);
}

void imbal_spec_err(imbal_spec_ctx *c, const yaml_node_t *node, imbal_status st, const char *key,
                    const char *fmt, ...)
{
    va_list ap;
    long line = node != NULL ? (long)node->start_mark.line + 1 : 0;
    long column = node != NULL ? (long)node->start_mark.column + 1 : 0;
    va_start(ap, fmt);
    spec_err_v(c, line, column, st, key, fmt, ap);
    va_end(ap);
}

int imbal_spec_errors_full(const imbal_spec_ctx *c)
{
    return c->errs_capped || c->errs->n - c->errs_before >= IMBAL_SPEC_MAX_ERRORS;
}

long imbal_spec_name_seen(imbal_spec_ctx *c, size_t scope, const char *name, long line)
{
    int created = 0;
    long *first = imbal_strset_slot(&c->names, scope, name, strlen(name), &created);
    if (first == NULL) {
        c->nomem = 1;
        return 0;
    }
    if (created) {
        *first = line;
        return 0;
    }
    return *first;
}

/* ---- YAML helpers ---- */

yaml_node_t *imbal_spec_node(imbal_spec_ctx *c, int index)
{
    return yaml_document_get_node(c->doc, index);
}

const char *imbal_spec_scalar(const yaml_node_t *n)
{
    if (n == NULL || n->type != YAML_SCALAR_NODE) {
        return NULL;
    }
    return (const char *)n->data.scalar.value;
}

const char *imbal_spec_type_name(const yaml_node_t *n)
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

int imbal_spec_expect(imbal_spec_ctx *c, const yaml_node_t *n, yaml_node_type_t type,
                      const char *key)
{
    const char *want = type == YAML_SCALAR_NODE     ? "a value"
                       : type == YAML_SEQUENCE_NODE ? "a list"
                                                    : "a mapping";
    if (n->type != type) {
        imbal_spec_err(c, n, IMBAL_EPARSE, key, "'%s' must be %s, not %s", key, want,
                       imbal_spec_type_name(n));
        return 0;
    }
    return 1;
}

char *imbal_spec_strdup(imbal_spec_ctx *c, const char *s)
{
    char *d = imbal_strdup(s);
    if (d == NULL) {
        c->nomem = 1;
    }
    return d;
}

int imbal_spec_get_string(imbal_spec_ctx *c, const yaml_node_t *n, const char *key, char **out)
{
    if (!imbal_spec_expect(c, n, YAML_SCALAR_NODE, key)) {
        return 0;
    }
    free(*out);
    *out = imbal_spec_strdup(c, imbal_spec_scalar(n));
    return *out != NULL;
}

int imbal_spec_get_double(imbal_spec_ctx *c, const yaml_node_t *n, const char *key, double lo,
                          double hi, double *out)
{
    const char *s;
    char *end = NULL;
    double v;
    if (!imbal_spec_expect(c, n, YAML_SCALAR_NODE, key)) {
        return 0;
    }
    s = imbal_spec_scalar(n);
    errno = 0;
    v = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0 || !isfinite(v)) {
        imbal_spec_err(c, n, IMBAL_EPARSE, key, "'%s' must be a number, not '%s'", key, s);
        return 0;
    }
    if (v < lo || v > hi) {
        imbal_spec_err(c, n, IMBAL_EINVAL, key, "'%s' = %s is out of range [%g, %g]", key, s, lo,
                       hi);
        return 0;
    }
    *out = v;
    return 1;
}

int imbal_spec_get_count(imbal_spec_ctx *c, const yaml_node_t *n, const char *key,
                         unsigned long long lo, unsigned long long hi, unsigned long long *out)
{
    const char *s;
    char *end = NULL;
    unsigned long long v;
    if (!imbal_spec_expect(c, n, YAML_SCALAR_NODE, key)) {
        return 0;
    }
    s = imbal_spec_scalar(n);
    errno = 0;
    v = strtoull(s, &end, 10);
    if (end == s || *end != '\0' || errno != 0 || s[0] == '-') {
        imbal_spec_err(c, n, IMBAL_EPARSE, key, "'%s' must be a non-negative integer, not '%s'",
                       key, s);
        return 0;
    }
    if (v < lo || v > hi) {
        imbal_spec_err(c, n, IMBAL_EINVAL, key, "'%s' = %s is out of range [%llu, %llu]", key, s,
                       lo, hi);
        return 0;
    }
    *out = v;
    return 1;
}

int imbal_spec_get_bool(imbal_spec_ctx *c, const yaml_node_t *n, const char *key, int *out)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "on"};
    static const char *const no[] = {"false", "False", "FALSE", "no", "off"};
    const char *s;
    if (!imbal_spec_expect(c, n, YAML_SCALAR_NODE, key)) {
        return 0;
    }
    s = imbal_spec_scalar(n);
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
    imbal_spec_err(c, n, IMBAL_EPARSE, key, "'%s' must be true or false, not '%s'", key, s);
    return 0;
}

/* Picks value among choices ('|'-separated); -1 after reporting otherwise. */
int imbal_spec_get_choice(imbal_spec_ctx *c, const yaml_node_t *n, const char *key,
                          const char *const *choices, size_t n_choices)
{
    const char *s;
    const char *close;
    char list[256] = "";
    if (!imbal_spec_expect(c, n, YAML_SCALAR_NODE, key)) {
        return -1;
    }
    s = imbal_spec_scalar(n);
    for (size_t i = 0; i < n_choices; i++) {
        if (strcmp(s, choices[i]) == 0) {
            return (int)i;
        }
        snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "",
                 choices[i]);
    }
    close = imbal_suggest(s, choices, n_choices);
    if (close != NULL) {
        imbal_spec_err(c, n, IMBAL_EINVAL, key, "unknown %s '%s' (did you mean '%s'?)", key, s,
                       close);
    } else {
        imbal_spec_err(c, n, IMBAL_EINVAL, key, "unknown %s '%s' (expected one of: %s)", key, s,
                       list);
    }
    return -1;
}

/* Reports key as unknown among the known keys of section. */
void imbal_spec_unknown_key(imbal_spec_ctx *c, const yaml_node_t *k, const char *section,
                            const char *const *known, size_t n_known)
{
    const char *name = imbal_spec_scalar(k);
    const char *close;
    if (imbal_spec_errors_full(c)) {
        imbal_spec_err(c, k, IMBAL_EINVAL, name, "unknown key"); /* not listed: no suggestion */
        return;
    }
    if (name == NULL) {
        imbal_spec_err(c, k, IMBAL_EPARSE, NULL, "%s: keys must be plain names", section);
        return;
    }
    close = imbal_suggest(name, known, n_known);
    if (close != NULL) {
        imbal_spec_err(c, k, IMBAL_EINVAL, name, "unknown key '%s' in %s (did you mean '%s'?)",
                       name, section, close);
    } else {
        imbal_spec_err(c, k, IMBAL_EINVAL, name, "unknown key '%s' in %s", name, section);
    }
}

char *imbal_spec_resolve_path(imbal_spec_ctx *c, const char *p)
{
    char *out;
    size_t len;
    if (p[0] == '/' || c->dir == NULL || c->dir[0] == '\0') {
        return imbal_spec_strdup(c, p);
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

int imbal_spec_file_exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return 0;
    }
    fclose(f);
    return 1;
}

const char *imbal_suggest(const char *word, const char *const *candidates, size_t n)
{
    return imbal_closest_name(word, candidates, n);
}

/* ---- classifiers ---- */

const char *imbal_spec_classifier_type(const imbal_spec *spec, size_t t)
{
    const char *own = t < spec->n_techniques ? spec->techniques[t].classifier.type : NULL;
    if (own != NULL) {
        return own;
    }
    return spec->classifier.type != NULL ? spec->classifier.type
                                         : imbal_classifier_default()->name;
}

/* Appends cl's parameters to given[0..*n), replacing those of the same name. */
static void spec_given_overlay(const imbal_spec_classifier *cl, imbal_param *given, long *lines,
                               long *columns, size_t *n)
{
    for (size_t i = 0; i < cl->n_params; i++) {
        size_t j = 0;
        while (j < *n && strcmp(given[j].name, cl->params[i].name) != 0) {
            j++;
        }
        if (j == *n && *n == IMBAL_PARAM_MAX) {
            continue; /* refused at load (spec_classifier_param) */
        }
        given[j] = cl->params[i];
        if (lines != NULL) {
            lines[j] = cl->param_line[i];
        }
        if (columns != NULL) {
            columns[j] = cl->param_column[i];
        }
        if (j == *n) {
            (*n)++;
        }
    }
}

void imbal_spec_classifier_given(const imbal_spec *spec, size_t t, imbal_param *given,
                                 long *lines, long *columns, size_t *n)
{
    const imbal_spec_classifier *own = t < spec->n_techniques ? &spec->techniques[t].classifier
                                                              : NULL;
    *n = 0;
    if (own == NULL || own->type == NULL ||
        strcmp(own->type, imbal_spec_classifier_type(spec, SIZE_MAX)) == 0) {
        spec_given_overlay(&spec->classifier, given, lines, columns, n);
    }
    if (own != NULL) {
        spec_given_overlay(own, given, lines, columns, n);
    }
}

/* The classifier of technique t (SIZE_MAX: the spec's own) exists and takes its parameters;
 * problems at the type's or the parameter's line. */
static void spec_check_classifier(imbal_spec_ctx *c, const imbal_spec *spec, size_t t)
{
    const imbal_spec_classifier *cl =
        t == SIZE_MAX ? &spec->classifier : &spec->techniques[t].classifier;
    const char *type = imbal_spec_classifier_type(spec, t);
    const imbal_classifier *clf = imbal_classifier_find(type);
    imbal_param given[IMBAL_PARAM_MAX];
    long lines[IMBAL_PARAM_MAX];
    long columns[IMBAL_PARAM_MAX];
    imbal_param_values vals;
    imbal_error e;
    size_t n = 0;
    if (clf == NULL) {
        const char *close = imbal_classifier_suggest(type);
        if (cl->type == NULL) {
            return; /* the spec's type, reported there */
        }
        if (close != NULL) {
            imbal_spec_err_at(c, cl->line, cl->column, IMBAL_EINVAL, "type",
                              "unknown classifier '%s' (did you mean '%s'?)", type, close);
        } else {
            char known[256];
            size_t len = 0;
            for (size_t i = 0; i < imbal_classifier_count() && len < sizeof(known); i++) {
                len += (size_t)snprintf(known + len, sizeof(known) - len, "%s%s", i ? ", " : "",
                                        imbal_classifier_at(i)->name);
            }
            imbal_spec_err_at(c, cl->line, cl->column, IMBAL_EINVAL, "type",
                              "unknown classifier '%s' (known: %s)", type, known);
        }
        return;
    }
    imbal_spec_classifier_given(spec, t, given, lines, columns, &n);
    imbal_error_clear(&e);
    if (imbal_classifier_params_parse(clf, given, n, &vals, &e) != IMBAL_OK) {
        long line = cl->line;
        long column = cl->column;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(given[i].name, e.key) == 0) {
                line = lines[i];
                column = columns[i];
            }
        }
        imbal_spec_err_at(c, line, column, e.status, e.key[0] ? e.key : "classifier", "%s: %s",
                          clf->name, e.msg);
    }
}

/* Every classifier the spec and its techniques name, with the parameters in force. A problem
 * of the spec's own classifier is reported once, not again for each technique using it. */
static void spec_check_classifiers(imbal_spec_ctx *c, const imbal_spec *spec)
{
    size_t before = c->errs->n;
    if (c->nomem) {
        return; /* a parameter may have lost its value: the load fails anyway */
    }
    spec_check_classifier(c, spec, SIZE_MAX);
    for (size_t t = 0; t < spec->n_techniques && c->errs->n == before; t++) {
        const imbal_spec_classifier *own = &spec->techniques[t].classifier;
        if (own->n_params > 0 || own->type != NULL) {
            spec_check_classifier(c, spec, t);
            before = c->errs->n;
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
}

/* The embedded default dataset: synthetic data, used when a spec names no datasets. */
static void spec_default_dataset(imbal_spec_ctx *c, imbal_spec *spec)
{
    spec->datasets = imbal_calloc(1, sizeof(*spec->datasets));
    if (spec->datasets == NULL) {
        c->nomem = 1;
        return;
    }
    spec->n_datasets = 1;
    spec->datasets[0].synthetic = 1;
    spec->datasets[0].name = imbal_spec_strdup(c, "synthetic");
    imbal_synthetic_params_default(&spec->datasets[0].synth);
}

static void spec_top(imbal_spec_ctx *c, yaml_node_t *root, imbal_spec *spec)
{
    static const char *const known[] = {"name",       "description", "seed",
                                        "datasets",   "evaluation",  "classifier",
                                        "techniques", "compat",      "onehot_resampled"};
    static const char *const onehot[] = {"keep", "truncate"};
    int have_datasets = 0;
    int have_techniques = 0;
    if (root == NULL) {
        imbal_spec_err(c, NULL, IMBAL_EPARSE, NULL, "the spec is empty");
        return;
    }
    if (!imbal_spec_expect(c, root, YAML_MAPPING_NODE, "the spec")) {
        return;
    }
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = imbal_spec_node(c, p->key);
        yaml_node_t *v = imbal_spec_node(c, p->value);
        const char *key = imbal_spec_scalar(k);
        unsigned long long u = 0;
        if (key == NULL) {
            imbal_spec_unknown_key(c, k, "the spec", known, IMBAL_SPEC_NKEYS(known));
        } else if (strcmp(key, "name") == 0) {
            const char *problem;
            if (imbal_spec_get_string(c, v, key, &spec->name) &&
                (problem = imbal_outdir_name_problem(spec->name)) != NULL) {
                /* it names the output directory results/<name>/, which must stay inside */
                imbal_spec_err(c, v, IMBAL_EINVAL, key, "'name' %s: it names the output "
                               "directory results/<name>/", problem);
            }
        } else if (strcmp(key, "description") == 0) {
            imbal_spec_expect(c, v, YAML_SCALAR_NODE, key);
        } else if (strcmp(key, "seed") == 0) {
            if (imbal_spec_get_count(c, v, key, 0, UINT64_MAX, &u)) {
                spec->seed = (uint64_t)u;
            }
        } else if (strcmp(key, "datasets") == 0) {
            have_datasets = 1;
            imbal_spec_parse_datasets(c, v, spec);
        } else if (strcmp(key, "evaluation") == 0) {
            imbal_spec_parse_evaluation(c, v, spec);
        } else if (strcmp(key, "classifier") == 0) {
            imbal_spec_parse_classifier(c, v, spec);
        } else if (strcmp(key, "techniques") == 0) {
            have_techniques = 1;
            imbal_spec_parse_techniques(c, v, spec);
        } else if (strcmp(key, "compat") == 0) {
            imbal_spec_parse_compat(c, v, &spec->compat);
        } else if (strcmp(key, "onehot_resampled") == 0) {
            int f = imbal_spec_get_choice(c, v, key, onehot, 2);
            if (f >= 0) {
                spec->onehot_truncate = f;
            }
        } else {
            imbal_spec_unknown_key(c, k, "the spec", known, IMBAL_SPEC_NKEYS(known));
        }
    }
    if (!have_techniques) {
        imbal_spec_err(c, root, IMBAL_EINVAL, "techniques", "the spec needs a 'techniques' list");
    }
    if (!have_datasets) {
        spec_default_dataset(c, spec);
    }
    if (spec->compat == IMBAL_COMPAT_SKLEARN && spec->seed > 0xffffffffULL) {
        imbal_spec_err(c, root, IMBAL_EINVAL, "seed",
                       "compat: sklearn needs a seed below 2^32, as numpy's random_state");
    }
    for (size_t i = 0; spec->eval.protocol == IMBAL_PROTOCOL_KEEL_PARTITIONS &&
                       i < spec->n_datasets;
         i++) {
        const imbal_spec_dataset *sd = &spec->datasets[i];
        size_t len = sd->path != NULL ? strlen(sd->path) : 0;
        int dat = len >= 4 && strcasecmp(sd->path + len - 4, ".dat") == 0;
        if (sd->synthetic || sd->format == IMBAL_FORMAT_CSV ||
            (sd->format == IMBAL_FORMAT_AUTO && !dat)) {
            imbal_spec_err_at(c, sd->line, sd->column, IMBAL_EINVAL, "path",
                              "dataset '%s': protocol keel_partitions needs the KEEL .dat file "
                              "the partitions were cut from as its path",
                              sd->name != NULL ? sd->name : "?");
        }
    }
    for (size_t i = 0; i < spec->n_techniques; i++) {
        const imbal_spec_technique *t = &spec->techniques[i];
        if (t->leaky && (spec->eval.protocol == IMBAL_PROTOCOL_SPLIT_FILE ||
                         spec->eval.protocol == IMBAL_PROTOCOL_KEEL_PARTITIONS)) {
            imbal_spec_err_at(c, t->line, t->column, IMBAL_EINVAL, "leaky",
                              "technique '%s': leaky needs a protocol that splits (holdout, "
                              "kfold, repeated_kfold), not %s",
                              t->name != NULL ? t->name : "?",
                              imbal_protocol_name(spec->eval.protocol));
        }
    }
}

/* A summary.json (a mapping with "imbal_version" and a "spec" mapping) holds its run's
 * resolved spec: that is the spec; the rest of the file is the run's results. */
static yaml_node_t *spec_unwrap_summary(imbal_spec_ctx *c, yaml_node_t *root)
{
    yaml_node_t *spec = NULL;
    int has_version = 0;
    if (root == NULL || root->type != YAML_MAPPING_NODE) {
        return root;
    }
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        const char *key = imbal_spec_scalar(imbal_spec_node(c, p->key));
        if (key != NULL && strcmp(key, "imbal_version") == 0) {
            has_version = 1;
        } else if (key != NULL && strcmp(key, "spec") == 0) {
            spec = imbal_spec_node(c, p->value);
        }
    }
    return has_version && spec != NULL && spec->type == YAML_MAPPING_NODE ? spec : root;
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
    char *text = NULL;
    size_t len = 0;
    imbal_error e;
    imbal_status st;
    *out = NULL;
    imbal_error_clear(&e);
    st = imbal_spec_read_file(path, &text, &len, &e);
    if (st != IMBAL_OK) {
        imbal_error_list_add(errors, &e);
        return st;
    }
    st = imbal_spec_load_buffer(path, text, len, out, errors);
    free(text);
    return st;
}

imbal_status imbal_spec_load_buffer(const char *path, const char *text, size_t len,
                                    imbal_spec **out, imbal_error_list *errors)
{
    yaml_document_t doc;
    int doc_ok = 0;
    imbal_spec *spec = NULL;
    imbal_spec_ctx c;
    imbal_status st = IMBAL_OK;
    imbal_error e;

    *out = NULL;
    memset(&c, 0, sizeof(c));
    c.file = path;
    c.errs = errors;
    c.errs_before = errors->n;
    c.hash_seed = imbal_spec_text_seed(text, len);
    c.names.seed = c.hash_seed;
    imbal_error_clear(&e);
    if (len > IMBAL_SPEC_MAX_BYTES) {
        imbal_fail_at(&e, IMBAL_EINVAL, path, 0, 0, "the spec is larger than %d bytes",
                      IMBAL_SPEC_MAX_BYTES);
        imbal_error_list_add(errors, &e);
        return IMBAL_EINVAL;
    }
    spec = imbal_calloc(1, sizeof(*spec));
    c.dir = spec_dirname(path);
    if (spec == NULL || c.dir == NULL) {
        st = IMBAL_ENOMEM;
        goto cleanup;
    }
    spec_defaults(spec);
    spec->path = imbal_strdup(path);
    if (spec->path == NULL) {
        st = IMBAL_ENOMEM;
        goto cleanup;
    }
    st = imbal_spec_yaml_load(&c, text, len, &doc);
    if (st != IMBAL_OK) {
        if (st != IMBAL_ENOMEM && errors->n > c.errs_before) {
            st = errors->items[c.errs_before].status; /* a duplicate key before the refusal */
        }
        goto cleanup;
    }
    doc_ok = 1;
    c.doc = &doc;
    spec_top(&c, spec_unwrap_summary(&c, yaml_document_get_root_node(&doc)), spec);
    if (spec->name == NULL) {
        spec->name = spec_stem(path);
        if (spec->name == NULL) {
            c.nomem = 1;
        } else if (imbal_outdir_name_problem(spec->name) != NULL) {
            imbal_spec_err_at(&c, 0, 0, IMBAL_EINVAL, "name",
                              "the output name taken from the file name, '%s', %s: set 'name'",
                              spec->name, imbal_outdir_name_problem(spec->name));
        }
    }
    spec_check_classifiers(&c, spec);
    if (c.nomem) {
        st = IMBAL_ENOMEM;
    } else if (errors->n > c.errs_before) {
        st = errors->items[c.errs_before].status;
    }
cleanup:
    if (st == IMBAL_ENOMEM) {
        imbal_fail_at(&e, IMBAL_ENOMEM, path, 0, 0, "out of memory reading the spec");
        imbal_error_list_add(errors, &e);
    }
    if (doc_ok) {
        yaml_document_delete(&doc);
    }
    imbal_strset_free(&c.names);
    free(c.dir);
    if (st != IMBAL_OK) {
        imbal_spec_free(spec);
        return st;
    }
    *out = spec;
    return IMBAL_OK;
}

static void spec_classifier_free(imbal_spec_classifier *cl)
{
    for (size_t i = 0; i < cl->n_params; i++) {
        free((char *)cl->params[i].name);
        free((char *)cl->params[i].value);
    }
    free(cl->params);
    free(cl->param_line);
    free(cl->param_column);
    free(cl->type);
}

void imbal_spec_classes_free(imbal_spec_class *classes, size_t n)
{
    for (size_t i = 0; classes != NULL && i < n; i++) {
        free(classes[i].name);
    }
    free(classes);
}

void imbal_spec_params_free(imbal_spec_technique *t)
{
    for (size_t j = 0; j < t->n_params; j++) {
        free((char *)t->params[j].name);
        free((char *)t->params[j].value);
        if (t->param_sources != NULL) {
            imbal_spec_classes_free(t->param_sources[j].classes, t->param_sources[j].n_classes);
        }
    }
    free(t->params);
    free(t->param_sources);
    t->params = NULL;
    t->param_sources = NULL;
    t->n_params = 0;
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
        imbal_spec_params_free(t);
        imbal_spec_classes_free(t->class_weight.classes, t->class_weight.n);
        spec_classifier_free(&t->classifier);
    }
    imbal_spec_classes_free(spec->class_weight.classes, spec->class_weight.n);
    spec_classifier_free(&spec->classifier);
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
    if ((int)p < 0 || (size_t)p >= IMBAL_SPEC_NKEYS(names)) {
        return "unknown";
    }
    return names[p];
}
