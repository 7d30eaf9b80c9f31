/* The sections of an experiment spec: datasets, evaluation, classifier and techniques (see
 * spec.h for the format and spec_internal.h for the helpers). Each checks its keys, types and
 * ranges, resolves paths against the spec's directory and reports every problem it finds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/split.h"
#include "spec_internal.h"

/* ---- datasets ---- */

static void spec_synthetic_key(imbal_spec_ctx *c, const char *key, yaml_node_t *v,
                               imbal_synthetic_params *p)
{
    unsigned long long u = 0;
    double x = 0.0;
    if (strcmp(key, "n_samples") == 0 && imbal_spec_get_count(c, v, key, 10, 100000000ULL, &u)) {
        p->n_samples = (size_t)u;
    } else if (strcmp(key, "n_features") == 0 && imbal_spec_get_count(c, v, key, 1, 100000, &u)) {
        p->n_features = (size_t)u;
    } else if (strcmp(key, "n_informative") == 0 &&
               imbal_spec_get_count(c, v, key, 1, 100000, &u)) {
        p->n_informative = (size_t)u;
    } else if (strcmp(key, "weight_positive") == 0 &&
               imbal_spec_get_double(c, v, key, 1e-6, 0.5, &x)) {
        p->weight_positive = x;
    } else if (strcmp(key, "class_sep") == 0 && imbal_spec_get_double(c, v, key, 0.0, 1e6, &x)) {
        p->class_sep = x;
    } else if (strcmp(key, "flip_y") == 0 && imbal_spec_get_double(c, v, key, 0.0, 0.99, &x)) {
        p->flip_y = x;
    } else if (strcmp(key, "seed") == 0 && imbal_spec_get_count(c, v, key, 0, UINT64_MAX, &u)) {
        p->seed = (uint64_t)u;
    } else if (strcmp(key, "weights") == 0) {
        /* make_classification's form: [w_negative, w_positive] */
        yaml_node_t *w1;
        if (!imbal_spec_expect(c, v, YAML_SEQUENCE_NODE, key)) {
            return;
        }
        if (v->data.sequence.items.top - v->data.sequence.items.start != 2) {
            imbal_spec_err(c, v, IMBAL_EINVAL, key, "'weights' must list two class weights");
            return;
        }
        w1 = imbal_spec_node(c, v->data.sequence.items.start[1]);
        if (imbal_spec_get_double(c, w1, key, 1e-6, 0.5, &x)) {
            p->weight_positive = x;
        }
    }
}

static void spec_free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
    }
    free(names);
}

static void spec_dataset(imbal_spec_ctx *c, yaml_node_t *n, imbal_spec_dataset *ds)
{
    static const char *const known[] = {
        "name",      "path",       "format",        "target",  "positive",        "categorical",
        "n_samples", "n_features", "n_informative", "weights", "weight_positive", "class_sep",
        "flip_y",    "seed",       "decimal"};
    static const char *const formats[] = {"auto", "csv", "keel", "synthetic"};
    static const char *const decimals[] = {".", ","};
    yaml_node_t *decimal_node = NULL;
    yaml_node_t *path_node = NULL;
    char *path = NULL;
    ds->line = (long)n->start_mark.line + 1;
    ds->column = (long)n->start_mark.column + 1;
    ds->decimal = '.';
    imbal_synthetic_params_default(&ds->synth);
    if (!imbal_spec_expect(c, n, YAML_MAPPING_NODE, "datasets entry")) {
        return;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = imbal_spec_node(c, p->key);
        yaml_node_t *v = imbal_spec_node(c, p->value);
        const char *key = imbal_spec_scalar(k);
        size_t i;
        for (i = 0; key != NULL && i < IMBAL_SPEC_NKEYS(known); i++) {
            if (strcmp(key, known[i]) == 0) {
                break;
            }
        }
        if (key == NULL || i == IMBAL_SPEC_NKEYS(known)) {
            imbal_spec_unknown_key(c, k, "a dataset", known, IMBAL_SPEC_NKEYS(known));
        } else if (strcmp(key, "name") == 0) {
            imbal_spec_get_string(c, v, key, &ds->name);
        } else if (strcmp(key, "path") == 0) {
            path_node = v;
            imbal_spec_get_string(c, v, key, &path);
        } else if (strcmp(key, "format") == 0) {
            int f = imbal_spec_get_choice(c, v, key, formats, IMBAL_SPEC_NKEYS(formats));
            if (f == 3) {
                ds->synthetic = 1;
            } else if (f >= 0) {
                ds->format = f == 0   ? IMBAL_FORMAT_AUTO
                             : f == 1 ? IMBAL_FORMAT_CSV
                                      : IMBAL_FORMAT_KEEL;
            }
        } else if (strcmp(key, "decimal") == 0) {
            int dm = imbal_spec_get_choice(c, v, key, decimals, IMBAL_SPEC_NKEYS(decimals));
            decimal_node = v;
            if (dm >= 0) {
                ds->decimal = *decimals[dm];
            }
        } else if (strcmp(key, "target") == 0) {
            imbal_spec_get_string(c, v, key, &ds->target);
        } else if (strcmp(key, "positive") == 0) {
            imbal_spec_get_string(c, v, key, &ds->positive);
        } else if (strcmp(key, "categorical") == 0) {
            size_t m;
            if (!imbal_spec_expect(c, v, YAML_SEQUENCE_NODE, key)) {
                continue;
            }
            m = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
            spec_free_names(ds->categorical, ds->n_categorical); /* a repeated key's list */
            ds->n_categorical = 0;
            ds->categorical = imbal_calloc(m, sizeof(char *));
            if (ds->categorical == NULL) {
                c->nomem = 1;
                continue;
            }
            for (size_t j = 0; j < m; j++) {
                yaml_node_t *item = imbal_spec_node(c, v->data.sequence.items.start[j]);
                if (imbal_spec_get_string(c, item, key, &ds->categorical[ds->n_categorical])) {
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
            imbal_spec_err(c, path_node, IMBAL_EINVAL, "path", "a synthetic dataset takes no path");
        }
        if (decimal_node != NULL) {
            imbal_spec_err(c, decimal_node, IMBAL_EINVAL, "decimal",
                           "a synthetic dataset takes no decimal mark");
        }
        if (imbal_synthetic_params_check(&ds->synth, &e) != IMBAL_OK) {
            imbal_spec_err(c, n, e.status, e.key[0] ? e.key : NULL, "%s", e.msg);
        }
        if (ds->name == NULL) {
            ds->name = imbal_spec_strdup(c, "synthetic");
        }
    } else if (path == NULL) {
        imbal_spec_err(c, n, IMBAL_EINVAL, "path", "dataset needs a 'path' (or format: synthetic)");
    } else {
        ds->path = imbal_spec_resolve_path(c, path);
        if (ds->path != NULL && !imbal_spec_file_exists(ds->path)) {
            imbal_spec_err(c, path_node, IMBAL_EIO, "path", "dataset file '%s' not found",
                           ds->path);
        }
        if (ds->name == NULL) {
            /* the file's stem names the dataset */
            const char *base = strrchr(path, '/');
            char *dot;
            ds->name = imbal_spec_strdup(c, base != NULL ? base + 1 : path);
            dot = ds->name != NULL ? strrchr(ds->name, '.') : NULL;
            if (dot != NULL && dot != ds->name) {
                *dot = '\0';
            }
        }
    }
    free(path);
}

/* Length of the non-empty list under key, or 0 after reporting why it is unusable. */
static size_t spec_list_length(imbal_spec_ctx *c, yaml_node_t *n, const char *key)
{
    size_t m;
    if (!imbal_spec_expect(c, n, YAML_SEQUENCE_NODE, key)) {
        return 0;
    }
    m = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (m == 0) {
        imbal_spec_err(c, n, IMBAL_EINVAL, key, "'%s' is empty", key);
    }
    return m;
}

void imbal_spec_parse_datasets(imbal_spec_ctx *c, yaml_node_t *n, imbal_spec *spec)
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
        const imbal_spec_dataset *ds = &spec->datasets[i];
        long first;
        spec_dataset(c, imbal_spec_node(c, n->data.sequence.items.start[i]), &spec->datasets[i]);
        first = ds->name != NULL ? imbal_spec_name_seen(c, 1, ds->name, ds->line) : 0;
        if (first != 0) {
            imbal_spec_err(c, imbal_spec_node(c, n->data.sequence.items.start[i]), IMBAL_EINVAL,
                           "name", "dataset name '%s' is used twice (first at line %ld)", ds->name,
                           first);
        }
    }
}

/* Every partition file exists, each path allocated to its length (a fixed buffer once cut a
 * long pattern short, so both parts named one file), and no fold tests on its training file. */
static void spec_partition_files(imbal_spec_ctx *c, const imbal_spec_evaluation *ev,
                                 yaml_node_t *part_node)
{
    for (size_t f = 1; f <= ev->folds; f++) {
        char *path[2] = {imbal_partition_path(ev->partitions, f, 0),
                         imbal_partition_path(ev->partitions, f, 1)};
        int found[2] = {0, 0};
        for (int part = 0; part < 2; part++) {
            if (path[part] == NULL) {
                c->nomem = 1;
                continue;
            }
            found[part] = imbal_spec_file_exists(path[part]);
            if (!found[part]) {
                imbal_spec_err(c, part_node, IMBAL_EIO, "partitions",
                               "partition file '%s' not found", path[part]);
            }
        }
        if (found[0] && found[1] && imbal_partition_same_file(path[0], path[1])) {
            imbal_spec_err(c, part_node, IMBAL_EINVAL, "partitions",
                           "fold %zu: the train and test partitions are the same file ('%s' and "
                           "'%s')",
                           f, path[0], path[1]);
        }
        free(path[0]);
        free(path[1]);
    }
}

/* ---- evaluation ---- */

void imbal_spec_parse_evaluation(imbal_spec_ctx *c, yaml_node_t *n, imbal_spec *spec)
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
    if (!imbal_spec_expect(c, n, YAML_MAPPING_NODE, "evaluation")) {
        return;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = imbal_spec_node(c, p->key);
        yaml_node_t *v = imbal_spec_node(c, p->value);
        const char *key = imbal_spec_scalar(k);
        unsigned long long u = 0;
        char *s = NULL;
        if (key == NULL) {
            imbal_spec_unknown_key(c, k, "evaluation", known, IMBAL_SPEC_NKEYS(known));
        } else if (strcmp(key, "protocol") == 0) {
            int f = imbal_spec_get_choice(c, v, key, protocols, IMBAL_SPEC_NKEYS(protocols));
            if (f >= 0) {
                ev->protocol = (imbal_protocol)f;
            }
        } else if (strcmp(key, "test_size") == 0) {
            double t = 0.0;
            if (imbal_spec_get_double(c, v, key, 1e-9, 1e12, &t)) {
                if (t >= 1.0 && floor(t) != t) {
                    imbal_spec_err(c, v, IMBAL_EINVAL, key,
                                   "'test_size' must be a fraction in (0, 1) or a whole row count");
                } else {
                    ev->test_size = t;
                }
            }
        } else if (strcmp(key, "folds") == 0) {
            if (imbal_spec_get_count(c, v, key, 2, 1000, &u)) {
                ev->folds = (size_t)u;
            }
        } else if (strcmp(key, "repeats") == 0) {
            repeats_node = v;
            if (imbal_spec_get_count(c, v, key, 1, 10000, &u)) {
                ev->repeats = (size_t)u;
                repeats_set = 1;
            }
        } else if (strcmp(key, "split_file") == 0) {
            split_node = v;
            if (imbal_spec_get_string(c, v, key, &s)) {
                free(ev->split_file);
                ev->split_file = imbal_spec_resolve_path(c, s);
            }
        } else if (strcmp(key, "partitions") == 0) {
            part_node = v;
            if (imbal_spec_get_string(c, v, key, &s)) {
                free(ev->partitions);
                ev->partitions = imbal_spec_resolve_path(c, s);
            }
        } else if (strcmp(key, "threshold") == 0) {
            imbal_spec_get_double(c, v, key, 0.0, 1.0, &ev->threshold);
        } else {
            imbal_spec_unknown_key(c, k, "evaluation", known, IMBAL_SPEC_NKEYS(known));
        }
        free(s);
    }
    if (ev->protocol == IMBAL_PROTOCOL_REPEATED_KFOLD) {
        if (!repeats_set) {
            ev->repeats = 10;
        }
    } else if (repeats_set && ev->repeats != 1) {
        imbal_spec_err(c, repeats_node, IMBAL_EINVAL, "repeats",
                       "'repeats' applies to protocol repeated_kfold only");
    } else {
        ev->repeats = 1;
    }
    if (ev->protocol == IMBAL_PROTOCOL_SPLIT_FILE) {
        if (ev->split_file == NULL) {
            imbal_spec_err(c, n, IMBAL_EINVAL, "split_file",
                           "protocol split_file needs 'split_file'");
        } else if (!imbal_spec_file_exists(ev->split_file)) {
            imbal_spec_err(c, split_node, IMBAL_EIO, "split_file", "split file '%s' not found",
                           ev->split_file);
        }
    }
    if (ev->protocol == IMBAL_PROTOCOL_KEEL_PARTITIONS) {
        if (ev->partitions == NULL) {
            imbal_spec_err(c, n, IMBAL_EINVAL, "partitions",
                           "protocol keel_partitions needs 'partitions' (a pattern with {fold} and "
                           "{part})");
        } else if (strstr(ev->partitions, "{fold}") == NULL ||
                   strstr(ev->partitions, "{part}") == NULL) {
            imbal_spec_err(c, part_node, IMBAL_EINVAL, "partitions",
                           "'partitions' must contain {fold} and {part}");
        } else {
            spec_partition_files(c, ev, part_node);
        }
    }
}

/* ---- classifier ---- */

/* The position of node n, 1-based. */
static void spec_position(const yaml_node_t *n, long *line, long *column)
{
    *line = (long)n->start_mark.line + 1;
    *column = (long)n->start_mark.column + 1;
}

/* class_weight: none | balanced | {class: weight, ...}. Classes are kept as written and
 * resolved against each dataset's class names when the data is loaded. */
static int spec_class_weight(imbal_spec_ctx *c, yaml_node_t *v, imbal_spec_class_weight *cw)
{
    static const char *const kinds[] = {"none", "balanced"};
    size_t m;
    imbal_spec_classes_free(cw->classes, cw->n); /* given twice: the last one counts */
    memset(cw, 0, sizeof(*cw));
    spec_position(v, &cw->line, &cw->column);
    if (v->type == YAML_SCALAR_NODE) {
        int f = imbal_spec_get_choice(c, v, "class_weight", kinds, 2);
        if (f < 0) {
            return 0;
        }
        cw->kind = f == 0 ? IMBAL_CW_NONE : IMBAL_CW_BALANCED;
        return 1;
    }
    if (!imbal_spec_expect(c, v, YAML_MAPPING_NODE, "class_weight")) {
        return 0;
    }
    m = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
    if (m == 0) {
        imbal_spec_err(c, v, IMBAL_EINVAL, "class_weight",
                       "'class_weight' names no class (none, balanced or {class: weight})");
        return 0;
    }
    cw->classes = imbal_calloc(m, sizeof(*cw->classes));
    if (cw->classes == NULL) {
        c->nomem = 1;
        return 0;
    }
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *k = imbal_spec_node(c, p->key);
        const char *key = imbal_spec_scalar(k);
        imbal_spec_class *cl = &cw->classes[cw->n];
        if (key == NULL) {
            imbal_spec_err(c, k, IMBAL_EPARSE, "class_weight",
                           "class_weight: a class must be named by a plain value");
            return 0;
        }
        for (size_t j = 0; j < cw->n; j++) {
            if (strcmp(cw->classes[j].name, key) == 0) {
                imbal_spec_err(c, k, IMBAL_EINVAL, "class_weight",
                               "class_weight: class '%s' is given twice", key);
                return 0;
            }
        }
        if (!imbal_spec_get_double(c, imbal_spec_node(c, p->value), "class_weight", 1e-12, 1e12,
                                   &cl->value)) {
            return 0;
        }
        cl->name = imbal_spec_strdup(c, key);
        if (cl->name == NULL) {
            return 0;
        }
        spec_position(k, &cl->line, &cl->column);
        cw->n++;
    }
    cw->kind = IMBAL_CW_EXPLICIT;
    return 1;
}

/* Records parameter key = v (a scalar) in cl, replacing an earlier value of the same key
 * (a technique's C laid over its own classifier mapping's C: the last written counts). */
static void spec_classifier_param(imbal_spec_ctx *c, const yaml_node_t *k, const yaml_node_t *v,
                                  const char *key, imbal_spec_classifier *cl)
{
    const char *text;
    size_t i = 0;
    if (!imbal_spec_expect(c, v, YAML_SCALAR_NODE, key)) {
        return;
    }
    text = imbal_spec_scalar(v);
    while (i < cl->n_params && strcmp(cl->params[i].name, key) != 0) {
        i++;
    }
    if (i == cl->n_params) {
        if (cl->n_params == IMBAL_PARAM_MAX) {
            imbal_spec_err(c, k, IMBAL_EINVAL, key, "a classifier takes at most %d parameters",
                           IMBAL_PARAM_MAX);
            return;
        }
        if (cl->params == NULL) {
            cl->params = imbal_calloc(IMBAL_PARAM_MAX, sizeof(*cl->params));
            cl->param_line = imbal_calloc(IMBAL_PARAM_MAX, sizeof(*cl->param_line));
            cl->param_column = imbal_calloc(IMBAL_PARAM_MAX, sizeof(*cl->param_column));
            if (cl->params == NULL || cl->param_line == NULL || cl->param_column == NULL) {
                c->nomem = 1;
                return;
            }
        }
        cl->params[i].name = imbal_spec_strdup(c, key);
        if (cl->params[i].name == NULL) {
            return;
        }
        cl->n_params++;
    }
    free((char *)cl->params[i].value);
    cl->params[i].value = imbal_spec_strdup(c, text);
    spec_position(v, &cl->param_line[i], &cl->param_column[i]);
}

/* A classifier mapping: type, class_weight (kept apart in *cw, *cw_set) and the type's
 * parameters, checked against its schema once the whole spec is read (imbal_spec_check_-
 * classifiers), because the type may come after them and a technique's are laid over the
 * spec's. */
static void spec_classifier_map(imbal_spec_ctx *c, yaml_node_t *n, imbal_spec_classifier *cl,
                                imbal_spec_class_weight *cw, int *cw_set, const char *section)
{
    if (!imbal_spec_expect(c, n, YAML_MAPPING_NODE, section)) {
        return;
    }
    spec_position(n, &cl->line, &cl->column);
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = imbal_spec_node(c, p->key);
        yaml_node_t *v = imbal_spec_node(c, p->value);
        const char *key = imbal_spec_scalar(k);
        if (key == NULL) {
            imbal_spec_err(c, k, IMBAL_EPARSE, NULL, "%s: parameter names must be plain",
                           section);
        } else if (strcmp(key, "type") == 0) {
            free(cl->type);
            cl->type = NULL;
            imbal_spec_get_string(c, v, key, &cl->type);
        } else if (strcmp(key, "class_weight") == 0) {
            int ok = spec_class_weight(c, v, cw);
            if (cw_set != NULL) {
                *cw_set = ok;
            }
        } else {
            spec_classifier_param(c, k, v, key, cl);
        }
    }
}

void imbal_spec_parse_classifier(imbal_spec_ctx *c, yaml_node_t *n, imbal_spec *spec)
{
    spec_classifier_map(c, n, &spec->classifier, &spec->class_weight, NULL, "classifier");
}

/* ---- techniques ---- */

int imbal_spec_parse_compat(imbal_spec_ctx *c, yaml_node_t *v, imbal_compat *out)
{
    static const char *const modes[] = {"none", "sklearn"};
    int f = imbal_spec_get_choice(c, v, "compat", modes, 2);
    if (f < 0) {
        return 0;
    }
    *out = f == 0 ? IMBAL_COMPAT_NONE : IMBAL_COMPAT_SKLEARN;
    return 1;
}

/* Records the class named by node k (a mapping key or list item) in src. */
static int spec_param_class(imbal_spec_ctx *c, const yaml_node_t *k, imbal_spec_param_source *src)
{
    imbal_spec_class *cl = &src->classes[src->n_classes];
    cl->name = imbal_spec_strdup(c, imbal_spec_scalar(k));
    if (cl->name == NULL) {
        return 0;
    }
    spec_position(k, &cl->line, &cl->column);
    src->n_classes++;
    return 1;
}

/* A parameter's value as the registry reads it: a scalar as it is; a mapping of classes to
 * counts (sampling_strategy's dict) becomes "name:count,name:count", a list of classes
 * (its list form) "name,name". The classes are recorded with their positions in src. */
static int spec_param_value(imbal_spec_ctx *c, yaml_node_t *v, const char *key, char *buf, size_t n,
                            imbal_spec_param_source *src)
{
    size_t len = 0;
    size_t m;
    int is_map = v->type == YAML_MAPPING_NODE;
    spec_position(v, &src->line, &src->column);
    if (v->type == YAML_SCALAR_NODE) {
        snprintf(buf, n, "%s", imbal_spec_scalar(v));
        return 1;
    }
    if (!is_map && v->type != YAML_SEQUENCE_NODE) {
        imbal_spec_err(c, v, IMBAL_EPARSE, key,
                       "parameter '%s' must be a value, a mapping or a list", key);
        return 0;
    }
    m = is_map ? (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start)
               : (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    src->classes = m > 0 ? imbal_calloc(m, sizeof(*src->classes)) : NULL;
    if (m > 0 && src->classes == NULL) {
        c->nomem = 1;
        return 0;
    }
    buf[0] = '\0';
    for (size_t i = 0; i < m; i++) {
        yaml_node_t *k = imbal_spec_node(c, is_map ? v->data.mapping.pairs.start[i].key
                                                   : v->data.sequence.items.start[i]);
        const char *name = imbal_spec_scalar(k);
        const char *val =
            is_map ? imbal_spec_scalar(imbal_spec_node(c, v->data.mapping.pairs.start[i].value))
                   : "";
        if (name == NULL || val == NULL) {
            imbal_spec_err(c, k, IMBAL_EPARSE, key,
                           is_map ? "parameter '%s': a mapping of class: count expected"
                                  : "parameter '%s': a list of classes expected",
                           key);
            return 0;
        }
        if (!spec_param_class(c, k, src)) {
            return 0;
        }
        len += (size_t)snprintf(len < n ? buf + len : NULL, len < n ? n - len : 0, "%s%s%s%s",
                                i ? "," : "", name, is_map ? ":" : "", val);
    }
    if (!is_map && m == 1) {
        /* a one-class list stays a list, not a keyword */
        len += (size_t)snprintf(len < n ? buf + len : NULL, len < n ? n - len : 0, ",");
    }
    if (len >= n) {
        imbal_spec_err(c, v, IMBAL_EINVAL, key, "parameter '%s' is too long", key);
        return 0;
    }
    return 1;
}

static void spec_params(imbal_spec_ctx *c, yaml_node_t *v, imbal_spec_technique *t)
{
    size_t m;
    if (!imbal_spec_expect(c, v, YAML_MAPPING_NODE, "params")) {
        return;
    }
    imbal_spec_params_free(t); /* 'params' given twice: the last one counts */
    m = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
    t->params = imbal_calloc(m, sizeof(*t->params));
    t->param_sources = imbal_calloc(m, sizeof(*t->param_sources));
    if (t->params == NULL || t->param_sources == NULL) {
        c->nomem = 1;
        return;
    }
    for (size_t i = 0; i < m; i++) {
        yaml_node_pair_t *p = &v->data.mapping.pairs.start[i];
        const char *key = imbal_spec_scalar(imbal_spec_node(c, p->key));
        imbal_spec_param_source *src = &t->param_sources[t->n_params];
        char buf[512];
        char *name;
        char *value;
        if (key == NULL) {
            imbal_spec_err(c, imbal_spec_node(c, p->key), IMBAL_EPARSE, NULL,
                           "parameter names must be plain");
            continue;
        }
        if (!spec_param_value(c, imbal_spec_node(c, p->value), key, buf, sizeof(buf), src)) {
            imbal_spec_classes_free(src->classes, src->n_classes);
            memset(src, 0, sizeof(*src));
            continue;
        }
        name = imbal_spec_strdup(c, key);
        value = imbal_spec_strdup(c, buf);
        if (name == NULL || value == NULL) { /* c->nomem is set: the load fails */
            free(name);
            free(value);
            continue;
        }
        t->params[t->n_params].name = name;
        t->params[t->n_params].value = value;
        t->n_params++;
    }
}

/* Checks sampler and parameters against the registry; reports at the parameter's key. */
static void spec_check_technique(imbal_spec_ctx *c, yaml_node_t *n, yaml_node_t *sampler_node,
                                 yaml_node_t *params_node, const imbal_spec_technique *t)
{
    const imbal_technique *tech = imbal_technique_find(t->sampler);
    imbal_param_values vals;
    imbal_error e;
    if (tech == NULL) {
        const char *close = imbal_technique_suggest(t->sampler);
        if (close != NULL) {
            imbal_spec_err(c, sampler_node, IMBAL_EINVAL, "sampler",
                           "unknown technique '%s' (did you mean '%s'?)", t->sampler, close);
        } else {
            imbal_spec_err(c, sampler_node, IMBAL_EINVAL, "sampler",
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
                const char *k = imbal_spec_scalar(imbal_spec_node(c, p->key));
                if (k != NULL && strcmp(k, e.key) == 0) {
                    at = imbal_spec_node(c, p->key);
                }
            }
        }
        imbal_spec_err(c, at, e.status, e.key[0] ? e.key : "params", "%s", e.msg);
    }
}

static void spec_technique(imbal_spec_ctx *c, yaml_node_t *n, imbal_spec_technique *t)
{
    static const char *const known[] = {"name",   "sampler",  "params",     "class_weight",
                                        "C",      "solver",   "standardize", "classifier",
                                        "compat", "leaky",    "expected"};
    yaml_node_t *sampler_node = NULL;
    yaml_node_t *params_node = NULL;
    t->line = (long)n->start_mark.line + 1;
    t->column = (long)n->start_mark.column + 1;
    if (!imbal_spec_expect(c, n, YAML_MAPPING_NODE, "techniques entry")) {
        return;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = imbal_spec_node(c, p->key);
        yaml_node_t *v = imbal_spec_node(c, p->value);
        const char *key = imbal_spec_scalar(k);
        if (key == NULL) {
            imbal_spec_unknown_key(c, k, "a technique", known, IMBAL_SPEC_NKEYS(known));
        } else if (strcmp(key, "name") == 0) {
            imbal_spec_get_string(c, v, key, &t->name);
        } else if (strcmp(key, "sampler") == 0) {
            sampler_node = v;
            imbal_spec_get_string(c, v, key, &t->sampler);
        } else if (strcmp(key, "params") == 0) {
            params_node = v;
            spec_params(c, v, t);
        } else if (strcmp(key, "class_weight") == 0) {
            t->class_weight_set = spec_class_weight(c, v, &t->class_weight);
        } else if (strcmp(key, "solver") == 0 || strcmp(key, "C") == 0 ||
                   strcmp(key, "standardize") == 0) {
            /* shorthand for logistic regression's parameters (checked with the classifier) */
            if (t->classifier.line == 0) {
                spec_position(k, &t->classifier.line, &t->classifier.column);
            }
            spec_classifier_param(c, k, v, key, &t->classifier);
        } else if (strcmp(key, "classifier") == 0) {
            spec_classifier_map(c, v, &t->classifier, &t->class_weight, &t->class_weight_set,
                                "classifier");
        } else if (strcmp(key, "compat") == 0) {
            t->compat_set = imbal_spec_parse_compat(c, v, &t->compat);
        } else if (strcmp(key, "leaky") == 0) {
            imbal_spec_get_bool(c, v, key, &t->leaky);
        } else if (strcmp(key, "expected") == 0) {
            t->has_expected = imbal_spec_get_double(c, v, key, 0.0, 1.0, &t->expected);
        } else {
            imbal_spec_unknown_key(c, k, "a technique", known, IMBAL_SPEC_NKEYS(known));
        }
    }
    if (t->sampler == NULL && sampler_node == NULL) {
        t->sampler = imbal_spec_strdup(c, "none");
    }
    if (t->name == NULL && t->sampler != NULL) {
        t->name = imbal_spec_strdup(c, t->sampler);
    }
    if (t->sampler != NULL) {
        spec_check_technique(
            c, n, sampler_node != NULL ? sampler_node : n,
            params_node != NULL && params_node->type == YAML_MAPPING_NODE ? params_node : NULL, t);
    }
}

void imbal_spec_parse_techniques(imbal_spec_ctx *c, yaml_node_t *n, imbal_spec *spec)
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
        yaml_node_t *item = imbal_spec_node(c, n->data.sequence.items.start[i]);
        const imbal_spec_technique *t = &spec->techniques[i];
        long first;
        spec_technique(c, item, &spec->techniques[i]);
        first = t->name != NULL ? imbal_spec_name_seen(c, 2, t->name, t->line) : 0;
        if (first != 0) {
            imbal_spec_err(c, item, IMBAL_EINVAL, "name",
                           "technique name '%s' is used twice (first at line %ld; names label "
                           "the report's rows)",
                           t->name, first);
        }
    }
}
