/* Private to the spec loader (spec.c: YAML helpers, top level; spec_sections.c: the
 * datasets, evaluation, classifier and techniques sections). Every helper appends problems
 * to the context's error list instead of stopping, so a spec's errors are reported at once. */
#ifndef IMBAL_SPEC_INTERNAL_H
#define IMBAL_SPEC_INTERNAL_H

#include <yaml.h>

#include "imbal/spec.h"

typedef struct {
    yaml_document_t *doc;
    const char *file;
    char *dir; /* the spec's directory, for relative paths */
    imbal_error_list *errs;
    int nomem;
} imbal_spec_ctx;

#define IMBAL_SPEC_NKEYS(a) (sizeof(a) / sizeof((a)[0]))

void imbal_spec_err(imbal_spec_ctx *c, const yaml_node_t *node, imbal_status st, const char *key,
                    const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
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
