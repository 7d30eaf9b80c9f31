/* The resolved spec (see report_spec.h): the spec as the runner used it, every default
 * filled in, written so that `imbal run` on summary.json or resolved.yaml repeats the run
 * bit for bit. The tree is built once as a libyaml document; resolved.yaml is libyaml's
 * emitter output, and summary.json's "spec" is the same tree written as JSON, scalars asked
 * for in plain style (numbers, booleans) bare and every other one as a string. */
/* realpath() is XSI in glibc's headers */
#define _XOPEN_SOURCE 700

#include "report_spec.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "alloc.h"
#include "imbal/version.h"
#include "yaml_text.h"

typedef struct {
    yaml_document_t doc;
    int failed;
} rs_doc;

/* ---- building the tree (a failed call marks d and returns 0) ---- */

/* Whether a string scalar would read as something else to a YAML 1.1 reader (a number, a
 * boolean, null), so resolved.yaml quotes it. */
static int rs_needs_quotes(const char *s)
{
    static const char *const words[] = {"y",     "Y",     "yes",   "Yes",   "YES",  "n",    "N",
                                        "no",    "No",    "NO",    "true",  "True", "TRUE", "false",
                                        "False", "FALSE", "on",    "On",    "ON",   "off",  "Off",
                                        "OFF",   "null",  "Null",  "NULL",  "~",    ".inf", ".Inf",
                                        ".INF",  "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"};
    char *end = NULL;
    if (s[0] == '\0' || strchr("0123456789", s[0]) != NULL) {
        return 1;
    }
    strtod(s, &end);
    if (end != s && *end == '\0') {
        return 1;
    }
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (strcmp(s, words[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

/* A scalar: bare (plain: numbers, booleans) or a string. */
static int rs_scalar(rs_doc *d, const char *s, int bare)
{
    yaml_scalar_style_t style = bare                 ? YAML_PLAIN_SCALAR_STYLE
                                : rs_needs_quotes(s) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
                                                     : YAML_ANY_SCALAR_STYLE;
    int id;
    char *text;
    if (d->failed) {
        return 0;
    }
    /* libyaml takes UTF-8 only: an ill-formed label is written with U+FFFD, as in JSON */
    text = imbal_utf8_repair(s);
    if (text == NULL) {
        d->failed = 1;
        return 0;
    }
    id = yaml_document_add_scalar(&d->doc, NULL, (yaml_char_t *)text, (int)strlen(text), style);
    free(text);
    d->failed = id == 0;
    return id;
}

static int rs_map(rs_doc *d, int flow)
{
    int id;
    if (d->failed) {
        return 0;
    }
    id = yaml_document_add_mapping(&d->doc, NULL,
                                   flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
    d->failed = id == 0;
    return id;
}

static int rs_seq(rs_doc *d, int flow)
{
    int id;
    if (d->failed) {
        return 0;
    }
    id = yaml_document_add_sequence(&d->doc, NULL,
                                    flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
    d->failed = id == 0;
    return id;
}

static void rs_put(rs_doc *d, int map, const char *key, int value)
{
    int k = rs_scalar(d, key, 0);
    if (!d->failed && value != 0) {
        d->failed = !yaml_document_append_mapping_pair(&d->doc, map, k, value);
    }
}

static void rs_append(rs_doc *d, int seq, int item)
{
    if (!d->failed && item != 0) {
        d->failed = !yaml_document_append_sequence_item(&d->doc, seq, item);
    }
}

static void rs_put_str(rs_doc *d, int map, const char *key, const char *s)
{
    rs_put(d, map, key, rs_scalar(d, s, 0));
}

static int rs_num(rs_doc *d, double v)
{
    char buf[32];
    imbal_double_text(v, buf, sizeof(buf));
    return rs_scalar(d, buf, 1);
}

static void rs_put_num(rs_doc *d, int map, const char *key, double v)
{
    rs_put(d, map, key, rs_num(d, v));
}

static void rs_put_count(rs_doc *d, int map, const char *key, unsigned long long v)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%llu", v);
    rs_put(d, map, key, rs_scalar(d, buf, 1));
}

static void rs_put_bool(rs_doc *d, int map, const char *key, int v)
{
    rs_put(d, map, key, rs_scalar(d, v ? "true" : "false", 1));
}

/* ---- paths ---- */

/* The absolute form of dir, which may not exist yet: its longest existing ancestor resolved
 * by realpath, the rest appended. Malloc'd; NULL when out of memory. */
static char *rs_abs_dir(const char *dir)
{
    char *head = imbal_strdup(dir[0] != '\0' ? dir : ".");
    const char *tail = "";
    char *out = NULL;
    char real[PATH_MAX];
    if (head == NULL) {
        return NULL;
    }
    for (;;) {
        char *slash;
        if (realpath(head[0] != '\0' ? head : "/", real) != NULL) {
            size_t len = strlen(real) + 1 + strlen(tail) + 1;
            out = imbal_malloc(len, 1);
            if (out != NULL) {
                snprintf(out, len, "%s%s%s", real, tail[0] != '\0' && strcmp(real, "/") ? "/" : "",
                         tail);
            }
            break;
        }
        slash = strrchr(head, '/');
        if (slash == NULL && strcmp(head, ".") == 0) {
            out = imbal_strdup(dir); /* no current directory: keep dir as it is */
            break;
        }
        if (slash == NULL) {
            /* nothing of it exists: relative to the current directory */
            tail = dir;
            head[0] = '.';
            head[1] = '\0';
            continue;
        }
        *slash = '\0';
        tail = dir + (slash - head) + 1;
    }
    free(head);
    return out;
}

/* The absolute form of a data path (for a KEEL partition pattern, its directory is resolved
 * and the pattern kept). Malloc'd; NULL when out of memory. */
static char *rs_abs_file(const char *path)
{
    const char *slash = strrchr(path, '/');
    char real[PATH_MAX];
    char cwd[PATH_MAX];
    char *dir;
    char *out;
    size_t len;
    if (strchr(path, '{') == NULL && realpath(path, real) != NULL) {
        return imbal_strdup(real);
    }
    dir = slash != NULL ? imbal_strndup(path, (size_t)(slash - path)) : imbal_strdup(".");
    if (dir == NULL) {
        return NULL;
    }
    if (realpath(dir[0] != '\0' ? dir : "/", real) != NULL) {
        const char *base = slash != NULL ? slash + 1 : path;
        len = strlen(real) + 1 + strlen(base) + 1;
        out = imbal_malloc(len, 1);
        if (out != NULL) {
            snprintf(out, len, "%s%s%s", real, strcmp(real, "/") ? "/" : "", base);
        }
    } else if (path[0] != '/' && getcwd(cwd, sizeof(cwd)) != NULL) {
        len = strlen(cwd) + 1 + strlen(path) + 1;
        out = imbal_malloc(len, 1);
        if (out != NULL) {
            snprintf(out, len, "%s/%s", cwd, path);
        }
    } else {
        out = imbal_strdup(path);
    }
    free(dir);
    return out;
}

/* The length of the first path component of p (p past any '/'). */
static size_t rs_component(const char *p)
{
    const char *slash = strchr(p, '/');
    return slash != NULL ? (size_t)(slash - p) : strlen(p);
}

/* to (absolute) relative to the absolute directory from; to itself when they share no
 * directory but the root. Malloc'd; NULL when out of memory. */
static char *rs_relative(const char *from, const char *to)
{
    const char *f = from + 1;
    const char *t = to + 1;
    size_t shared = 0;
    size_t ups = 0;
    char *out;
    size_t len = 0;
    while (*f != '\0' && *t != '\0') {
        size_t lf = rs_component(f);
        size_t lt = rs_component(t);
        if (lf != lt || strncmp(f, t, lf) != 0 || t[lt] == '\0') {
            break;
        }
        shared++;
        f += lf + (f[lf] == '/');
        t += lt + 1;
    }
    if (shared == 0) {
        return imbal_strdup(to);
    }
    for (const char *p = f; *p != '\0'; p += rs_component(p) + (p[rs_component(p)] == '/')) {
        ups++;
    }
    out = imbal_malloc(3 * ups + strlen(t) + 1, 1);
    if (out == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < ups; i++) {
        memcpy(out + len, "../", 3);
        len += 3;
    }
    strcpy(out + len, t);
    return out;
}

/* A data path as resolved.yaml and summary.json write it (see report_spec.h). */
static void rs_put_path(rs_doc *d, int map, const char *key, const char *from, const char *path)
{
    char *abs = rs_abs_file(path);
    char *rel = abs != NULL && from != NULL ? rs_relative(from, abs) : NULL;
    if (rel == NULL) {
        d->failed = 1;
    } else {
        rs_put_str(d, map, key, rel);
    }
    free(rel);
    free(abs);
}

/* ---- the sections ---- */

static int rs_dataset(rs_doc *d, const imbal_experiment *ex, size_t i, const char *from)
{
    const imbal_spec_dataset *sd = &ex->spec->datasets[i];
    const imbal_dataset *ds = ex->data[i];
    const imbal_columns *cm = ds->columns;
    int m = rs_map(d, 0);
    rs_put_str(d, m, "name", sd->name);
    if (sd->synthetic) {
        const imbal_synthetic_params *p = &sd->synth;
        rs_put_str(d, m, "format", "synthetic");
        rs_put_count(d, m, "n_samples", p->n_samples);
        rs_put_count(d, m, "n_features", p->n_features);
        rs_put_count(d, m, "n_informative", p->n_informative);
        rs_put_num(d, m, "weight_positive", p->weight_positive);
        rs_put_num(d, m, "class_sep", p->class_sep);
        rs_put_num(d, m, "flip_y", p->flip_y);
        rs_put_count(d, m, "seed", p->seed);
        return m;
    }
    rs_put_path(d, m, "path", from, sd->path);
    if (cm != NULL) {
        int cats = rs_seq(d, 1);
        rs_put_str(d, m, "format", cm->format == IMBAL_FORMAT_KEEL ? "keel" : "csv");
        if (cm->decimal == ',') {
            rs_put_str(d, m, "decimal", ",");
        }
        /* A name that is not UTF-8 cannot have come from the spec (YAML and JSON are UTF-8):
         * the defaults chose it (the last column, the rarer label, a column with no number)
         * and will again, while its U+FFFD form would name nothing in the file. */
        if (imbal_yaml_utf8_valid(cm->columns[cm->target].name)) {
            rs_put_str(d, m, "target", cm->columns[cm->target].name);
        }
        if (imbal_yaml_utf8_valid(ds->class_names[1])) {
            rs_put_str(d, m, "positive", ds->class_names[1]);
        }
        for (size_t j = 0; j < cm->n_columns; j++) {
            if (cm->columns[j].role == IMBAL_COLUMN_CATEGORICAL &&
                imbal_yaml_utf8_valid(cm->columns[j].name)) {
                rs_append(d, cats, rs_scalar(d, cm->columns[j].name, 0));
            }
        }
        rs_put(d, m, "categorical", cats);
    }
    return m;
}

static int rs_evaluation(rs_doc *d, const imbal_spec *spec, const char *from)
{
    const imbal_spec_evaluation *ev = &spec->eval;
    int m = rs_map(d, 0);
    rs_put_str(d, m, "protocol", imbal_protocol_name(ev->protocol));
    switch (ev->protocol) {
    case IMBAL_PROTOCOL_HOLDOUT:
        rs_put_num(d, m, "test_size", ev->test_size);
        break;
    case IMBAL_PROTOCOL_REPEATED_KFOLD:
        rs_put_count(d, m, "folds", ev->folds);
        rs_put_count(d, m, "repeats", ev->repeats);
        break;
    case IMBAL_PROTOCOL_SPLIT_FILE:
        rs_put_path(d, m, "split_file", from, ev->split_file);
        break;
    case IMBAL_PROTOCOL_KEEL_PARTITIONS:
        rs_put_count(d, m, "folds", ev->folds);
        rs_put_path(d, m, "partitions", from, ev->partitions);
        break;
    default:
        rs_put_count(d, m, "folds", ev->folds);
        break;
    }
    rs_put_num(d, m, "threshold", ev->threshold);
    return m;
}

/* class_weight as the spec wrote it: none, balanced or {class: weight} (classes as named). */
static int rs_class_weight(rs_doc *d, imbal_class_weight_kind kind,
                           const imbal_spec_class_weight *cw)
{
    int m;
    if (kind != IMBAL_CW_EXPLICIT) {
        return rs_scalar(d, kind == IMBAL_CW_BALANCED ? "balanced" : "none", 0);
    }
    m = rs_map(d, 1);
    for (size_t c = 0; c < cw->n; c++) {
        rs_put_num(d, m, cw->classes[c].name, cw->classes[c].value);
    }
    return m;
}

static void rs_params_into(rs_doc *d, int m, const imbal_param_values *pv);

/* A classifier mapping: its type, its class_weight, then every parameter of its schema in pv
 * (a classifier that takes no class weights has class_weight none). */
static int rs_classifier_map(rs_doc *d, const imbal_classifier *clf, const imbal_param_values *pv,
                             imbal_class_weight_kind cw_kind, const imbal_spec_class_weight *cw)
{
    int m = rs_map(d, 0);
    rs_put_str(d, m, "type", clf->name);
    rs_put(d, m, "class_weight", rs_class_weight(d, cw_kind, cw));
    rs_params_into(d, m, pv);
    return m;
}

/* The spec's own classifier: its type and every parameter as given or defaulted ("auto"
 * stays: each technique resolves it for its mode, see rs_technique). */
static int rs_classifier(rs_doc *d, const imbal_spec *spec)
{
    const imbal_classifier *clf = imbal_classifier_find(imbal_spec_classifier_type(spec, SIZE_MAX));
    imbal_param given[IMBAL_PARAM_MAX];
    imbal_param_values pv;
    size_t n = 0;
    imbal_spec_classifier_given(spec, SIZE_MAX, given, NULL, NULL, &n);
    if (clf == NULL || imbal_classifier_params_parse(clf, given, n, &pv, NULL) != IMBAL_OK) {
        d->failed = 1; /* refused at load */
        return rs_map(d, 0);
    }
    return rs_classifier_map(d, clf, &pv, spec->class_weight.kind, &spec->class_weight);
}

/* sampling_strategy's text back in the spec's forms: {class: count}, [class, ...] or a word
 * or ratio. */
static int rs_strategy(rs_doc *d, const char *text, const imbal_strategy *s)
{
    int node;
    char *copy;
    char *save = NULL;
    if (s->kind == IMBAL_STRATEGY_RATIO) {
        return rs_scalar(d, text, 1);
    }
    if (s->kind != IMBAL_STRATEGY_COUNTS && s->kind != IMBAL_STRATEGY_LIST) {
        return rs_scalar(d, text, 0);
    }
    node = s->kind == IMBAL_STRATEGY_COUNTS ? rs_map(d, 1) : rs_seq(d, 1);
    copy = imbal_strdup(text);
    if (copy == NULL) {
        d->failed = 1;
        return 0;
    }
    for (char *item = strtok_r(copy, ",", &save); item != NULL; item = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(item, ':');
        char *end;
        if (colon != NULL) {
            *colon = '\0';
        }
        while (*item == ' ' || *item == '\t') {
            item++;
        }
        end = item + strlen(item);
        while (end > item && (end[-1] == ' ' || end[-1] == '\t')) {
            *--end = '\0';
        }
        if (*item == '\0') {
            continue;
        }
        if (colon != NULL) {
            rs_put(d, node, item, rs_scalar(d, colon + 1 + strspn(colon + 1, " \t"), 1));
        } else {
            rs_append(d, node, rs_scalar(d, item, 0));
        }
    }
    free(copy);
    return node;
}

/* Every parameter of the technique's schema, as given or defaulted. */
static void rs_params_into(rs_doc *d, int m, const imbal_param_values *pv)
{
    for (size_t k = 0; k < pv->n; k++) {
        const imbal_param_spec *ps = &pv->spec[k];
        const char *text = pv->text[k];
        int v;
        if (ps->type == IMBAL_PARAM_STRATEGY) {
            v = rs_strategy(d, text, &pv->strategy[k]);
        } else if (ps->type == IMBAL_PARAM_BOOL) {
            v = rs_scalar(d, pv->num[k] != 0.0 ? "true" : "false", 1);
        } else if ((ps->type == IMBAL_PARAM_INT || ps->type == IMBAL_PARAM_DOUBLE) &&
                   !isnan(pv->num[k])) {
            v = rs_num(d, pv->num[k]);
        } else {
            v = rs_scalar(d, text, 0);
        }
        rs_put(d, m, ps->name, v);
    }
}

static int rs_params(rs_doc *d, const imbal_param_values *pv)
{
    int m = rs_map(d, 1);
    rs_params_into(d, m, pv);
    return m;
}

static int rs_technique(rs_doc *d, const imbal_experiment *ex, size_t t)
{
    const imbal_spec *spec = ex->spec;
    const imbal_spec_technique *tech = &spec->techniques[t];
    /* the first dataset's plan: only the class weights' resolution differs by dataset */
    const imbal_classifier_plan *cp = &ex->classifiers[t];
    int m = rs_map(d, 0);
    rs_put_str(d, m, "name", tech->name);
    rs_put_str(d, m, "sampler", tech->sampler);
    rs_put(d, m, "params", rs_params(d, &ex->params[t]));
    rs_put(d, m, "classifier",
           rs_classifier_map(d, cp->classifier, &cp->params, cp->class_weight,
                             tech->class_weight_set ? &tech->class_weight : &spec->class_weight));
    rs_put_str(d, m, "compat", imbal_technique_compat(spec, t) ? "sklearn" : "none");
    rs_put_bool(d, m, "leaky", tech->leaky);
    if (tech->has_expected) {
        rs_put_num(d, m, "expected", tech->expected);
    }
    return m;
}

static int rs_spec(rs_doc *d, const imbal_experiment *ex, const char *from)
{
    const imbal_spec *spec = ex->spec;
    int top = rs_map(d, 0);
    int datasets = 0;
    int techniques = 0;
    rs_put_str(d, top, "name", spec->name);
    rs_put_count(d, top, "seed", spec->seed);
    rs_put_str(d, top, "compat", spec->compat == IMBAL_COMPAT_SKLEARN ? "sklearn" : "none");
    rs_put_str(d, top, "onehot_resampled", spec->onehot_truncate ? "truncate" : "keep");
    datasets = rs_seq(d, 0);
    for (size_t i = 0; i < spec->n_datasets; i++) {
        rs_append(d, datasets, rs_dataset(d, ex, i, from));
    }
    rs_put(d, top, "datasets", datasets);
    rs_put(d, top, "evaluation", rs_evaluation(d, spec, from));
    rs_put(d, top, "classifier", rs_classifier(d, spec));
    techniques = rs_seq(d, 0);
    for (size_t t = 0; t < spec->n_techniques; t++) {
        rs_append(d, techniques, rs_technique(d, ex, t));
    }
    rs_put(d, top, "techniques", techniques);
    return top;
}

/* ---- writing ---- */

static void rs_json(const yaml_document_t *doc, int id, imbal_buf *b)
{
    yaml_node_t *n = yaml_document_get_node((yaml_document_t *)doc, id);
    if (n->type == YAML_SCALAR_NODE) {
        if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
            imbal_buf_printf(b, "%s", (const char *)n->data.scalar.value);
        } else {
            imbal_buf_json_string(b, (const char *)n->data.scalar.value);
        }
    } else if (n->type == YAML_MAPPING_NODE) {
        imbal_buf_printf(b, "{");
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
             p++) {
            imbal_buf_printf(b, "%s", p != n->data.mapping.pairs.start ? ", " : "");
            rs_json(doc, p->key, b);
            imbal_buf_printf(b, ": ");
            rs_json(doc, p->value, b);
        }
        imbal_buf_printf(b, "}");
    } else {
        imbal_buf_printf(b, "[");
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            imbal_buf_printf(b, "%s", it != n->data.sequence.items.start ? ", " : "");
            rs_json(doc, *it, b);
        }
        imbal_buf_printf(b, "]");
    }
}

static int rs_write_handler(void *data, unsigned char *buffer, size_t size)
{
    imbal_buf *b = data;
    imbal_buf_printf(b, "%.*s", (int)size, (const char *)buffer);
    return !b->failed;
}

/* Emits doc (which libyaml destroys) as YAML into b. */
static int rs_emit(yaml_document_t *doc, imbal_buf *b)
{
    yaml_emitter_t em;
    int ok;
    if (!yaml_emitter_initialize(&em)) {
        yaml_document_delete(doc);
        return 0;
    }
    yaml_emitter_set_output(&em, rs_write_handler, b);
    yaml_emitter_set_unicode(&em, 1);
    yaml_emitter_set_width(&em, -1);
    yaml_emitter_set_indent(&em, 2);
    ok = yaml_emitter_open(&em) && yaml_emitter_dump(&em, doc) && yaml_emitter_close(&em) &&
         yaml_emitter_flush(&em);
    yaml_emitter_delete(&em);
    return ok;
}

imbal_status imbal_report_spec(const imbal_experiment *ex, const char *dir, imbal_buf *json,
                               imbal_buf *yaml, imbal_error *err)
{
    rs_doc d;
    char *from = rs_abs_dir(dir);
    int root;
    memset(&d, 0, sizeof(d));
    if (from == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    if (!yaml_document_initialize(&d.doc, NULL, NULL, NULL, 1, 1)) {
        free(from);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    root = rs_spec(&d, ex, from);
    free(from);
    if (d.failed || root == 0) {
        yaml_document_delete(&d.doc);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory building the resolved spec");
    }
    rs_json(&d.doc, root, json);
    imbal_buf_printf(yaml,
                     "# The resolved spec of this run (imbal %s): every default filled in, each\n"
                     "# technique's classifier as it was fitted. `imbal run` on this file (or on\n"
                     "# summary.json) repeats the run; paths are relative to this file's "
                     "directory.\n",
                     IMBAL_VERSION);
    if (!rs_emit(&d.doc, yaml) || json->failed || yaml->failed) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory writing the resolved spec");
    }
    return IMBAL_OK;
}
