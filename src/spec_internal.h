/* Private to the spec loader (spec_yaml.c: reading the YAML under limits; spec.c: YAML
 * helpers, top level; spec_sections.c: the datasets, evaluation, classifier and techniques
 * sections). Every helper appends problems to the context's error list instead of stopping,
 * so a spec's errors are reported at once. */
#ifndef IMBAL_SPEC_INTERNAL_H
#define IMBAL_SPEC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "imbal/spec.h"

/* A hash set of borrowed strings, each in a scope (a mapping's node id, a kind of name) and
 * carrying a value (a line, a node id). Open addressing; the hash is seeded from the spec's
 * text (imbal_spec_text_seed), so colliding names cannot be prepared apart from it. */
typedef struct {
    uint64_t hash;
    size_t scope;
    const char *s; /* borrowed; NULL: an empty slot */
    size_t len;
    long value;
} imbal_strset_entry;

typedef struct {
    imbal_strset_entry *slots;
    size_t cap, n;
    uint64_t seed;
} imbal_strset;

/* The value of (scope, s[0..len)), added with value 0 and *created = 1 when absent; NULL
 * when out of memory. s must outlive the set; the pointer is valid until the next call. */
long *imbal_strset_slot(imbal_strset *set, size_t scope, const char *s, size_t len, int *created);
void imbal_strset_free(imbal_strset *set);
uint64_t imbal_spec_text_seed(const char *text, size_t len);

typedef struct {
    yaml_document_t *doc;
    const char *file;
    char *dir; /* the spec's directory, for relative paths */
    imbal_error_list *errs;
    size_t errs_before; /* errs->n when loading started */
    int errs_capped;    /* IMBAL_SPEC_MAX_ERRORS reached: later problems are not listed */
    int nomem;
    uint64_t hash_seed;
    imbal_strset names; /* dataset and technique names (imbal_spec_name_seen) */
} imbal_spec_ctx;

/* Reads path whole into a new buffer (free it), refusing more than IMBAL_SPEC_MAX_BYTES:
 * IMBAL_EIO, IMBAL_EINVAL or IMBAL_ENOMEM in e, which names the file. */
imbal_status imbal_spec_read_file(const char *path, char **text, size_t *len, imbal_error *e);
/* Reads text[0..len) into doc (spec_yaml.c) under the limits of spec.h. IMBAL_OK: doc holds
 * the document (delete it with yaml_document_delete), duplicate keys reported and left out;
 * otherwise the problem is reported (ENOMEM sets c->nomem) and doc is not initialised. */
imbal_status imbal_spec_yaml_load(imbal_spec_ctx *c, const char *text, size_t len,
                                  yaml_document_t *doc);

#define IMBAL_SPEC_NKEYS(a) (sizeof(a) / sizeof((a)[0]))

void imbal_spec_err(imbal_spec_ctx *c, const yaml_node_t *node, imbal_status st, const char *key,
                    const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* imbal_spec_err at a line and column (0: none). */
void imbal_spec_err_at(imbal_spec_ctx *c, long line, long column, imbal_status st, const char *key,
                       const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
/* Whether IMBAL_SPEC_MAX_ERRORS problems are listed already: callers may skip costly work
 * (suggestions) for a problem that would not be shown. */
int imbal_spec_errors_full(const imbal_spec_ctx *c);
/* 0 when name is new in scope (it is recorded with line), else the line of its first use.
 * name must outlive the load. */
long imbal_spec_name_seen(imbal_spec_ctx *c, size_t scope, const char *name, long line);
yaml_node_t *imbal_spec_node(imbal_spec_ctx *c, int index);
const char *imbal_spec_scalar(const yaml_node_t *n);
const char *imbal_spec_type_name(const yaml_node_t *n);
int imbal_spec_expect(imbal_spec_ctx *c, const yaml_node_t *n, yaml_node_type_t type,
                      const char *key);
char *imbal_spec_strdup(imbal_spec_ctx *c, const char *s);
int imbal_spec_get_string(imbal_spec_ctx *c, const yaml_node_t *n, const char *key, char **out);
int imbal_spec_get_double(imbal_spec_ctx *c, const yaml_node_t *n, const char *key, double lo,
                          double hi, double *out);
int imbal_spec_get_count(imbal_spec_ctx *c, const yaml_node_t *n, const char *key,
                         unsigned long long lo, unsigned long long hi, unsigned long long *out);
int imbal_spec_get_bool(imbal_spec_ctx *c, const yaml_node_t *n, const char *key, int *out);
int imbal_spec_get_choice(imbal_spec_ctx *c, const yaml_node_t *n, const char *key,
                          const char *const *choices, size_t n_choices);
void imbal_spec_unknown_key(imbal_spec_ctx *c, const yaml_node_t *k, const char *section,
                            const char *const *known, size_t n_known);
char *imbal_spec_resolve_path(imbal_spec_ctx *c, const char *p);
int imbal_spec_file_exists(const char *path);

/* Frees n classes and their names (classes may be NULL). */
void imbal_spec_classes_free(imbal_spec_class *classes, size_t n);
/* Frees a technique's params and their sources, leaving none. */
void imbal_spec_params_free(imbal_spec_technique *t);

/* Sections (spec_sections.c). */
void imbal_spec_parse_datasets(imbal_spec_ctx *c, yaml_node_t *n, imbal_spec *spec);
void imbal_spec_parse_evaluation(imbal_spec_ctx *c, yaml_node_t *n, imbal_spec *spec);
void imbal_spec_parse_classifier(imbal_spec_ctx *c, yaml_node_t *n, imbal_spec *spec);
void imbal_spec_parse_techniques(imbal_spec_ctx *c, yaml_node_t *n, imbal_spec *spec);
int imbal_spec_parse_compat(imbal_spec_ctx *c, yaml_node_t *v, imbal_compat *out);

#endif
