/* Reads a spec's YAML into a libyaml document under the limits of spec.h, from libyaml's
 * event stream instead of its document loader: the loader has no depth limit (the scanner
 * then costs O(depth) per token, so 40 KB of '[' take seconds), finds anchors by a linear
 * scan and lets duplicate keys through. Here every event is checked as it arrives, so a spec
 * past a limit is refused before the work grows; aliases stay shared nodes, as the loader
 * makes them, but count as the nodes they repeat; a repeated key is reported naming both
 * lines and its later pair is left out, so the sections see each key once. All lookups go
 * through a hash table (imbal_strset, also used for the sections' duplicate names), so the
 * whole pass is linear in the size of the text. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "alloc.h"
#include "spec_internal.h"

/* ---- string set ---- */

static uint64_t strset_hash(uint64_t seed, size_t scope, const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL ^ seed; /* FNV-1a, started from the spec's own seed */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    h ^= (uint64_t)scope * 0x9e3779b97f4a7c15ULL;
    h ^= h >> 30; /* splitmix64's finaliser: every input bit reaches the low (index) bits */
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

static int strset_grow(imbal_strset *set)
{
    size_t cap = set->cap == 0 ? 64 : 2 * set->cap;
    imbal_strset_entry *slots = imbal_calloc(cap, sizeof(*slots));
    if (slots == NULL) {
        return 0;
    }
    for (size_t i = 0; i < set->cap; i++) {
        const imbal_strset_entry *e = &set->slots[i];
        size_t j;
        if (e->s == NULL) {
            continue;
        }
        for (j = (size_t)e->hash & (cap - 1); slots[j].s != NULL; j = (j + 1) & (cap - 1)) {
        }
        slots[j] = *e;
    }
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
    return 1;
}

/* The entry of (scope, s[0..len)); absent, it is added (value 0) when insert is set. */
static long *strset_lookup(imbal_strset *set, size_t scope, const char *s, size_t len, int insert,
                           int *created)
{
    uint64_t h;
    size_t j;
    *created = 0;
    if (insert && 2 * (set->n + 1) > set->cap && !strset_grow(set)) {
        return NULL;
    }
    if (set->cap == 0) {
        return NULL;
    }
    h = strset_hash(set->seed, scope, s, len);
    for (j = (size_t)h & (set->cap - 1); set->slots[j].s != NULL; j = (j + 1) & (set->cap - 1)) {
        const imbal_strset_entry *e = &set->slots[j];
        if (e->hash == h && e->scope == scope && e->len == len && memcmp(e->s, s, len) == 0) {
            return &set->slots[j].value;
        }
    }
    if (!insert) {
        return NULL;
    }
    set->slots[j].hash = h;
    set->slots[j].scope = scope;
    set->slots[j].s = s;
    set->slots[j].len = len;
    set->slots[j].value = 0;
    set->n++;
    *created = 1;
    return &set->slots[j].value;
}

long *imbal_strset_slot(imbal_strset *set, size_t scope, const char *s, size_t len, int *created)
{
    return strset_lookup(set, scope, s, len, 1, created);
}

void imbal_strset_free(imbal_strset *set)
{
    free(set->slots);
    set->slots = NULL;
    set->cap = 0;
    set->n = 0;
}

uint64_t imbal_spec_text_seed(const char *text, size_t len)
{
    return strset_hash(0, len, text, len);
}

/* ---- the text ---- */

imbal_status imbal_spec_read_file(const char *path, char **text, size_t *len, imbal_error *e)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0;
    imbal_status st = IMBAL_OK;
    *text = NULL;
    if (fp == NULL) {
        return imbal_fail_at(e, IMBAL_EIO, path, 0, 0, "cannot open spec: %s", strerror(errno));
    }
    for (;;) {
        size_t cap = n == 0 ? 65536 : 2 * n; /* the buffer is full: double it */
        char *grown;
        if (cap > (size_t)IMBAL_SPEC_MAX_BYTES + 1) {
            cap = (size_t)IMBAL_SPEC_MAX_BYTES + 1;
        }
        grown = imbal_realloc(buf, cap, 1);
        if (grown == NULL) {
            st = imbal_fail_at(e, IMBAL_ENOMEM, path, 0, 0, "out of memory reading the spec");
            break;
        }
        buf = grown;
        n += fread(buf + n, 1, cap - n, fp);
        if (ferror(fp)) {
            st = imbal_fail_at(e, IMBAL_EIO, path, 0, 0, "cannot read spec: %s", strerror(errno));
            break;
        }
        if (n > IMBAL_SPEC_MAX_BYTES) {
            st = imbal_fail_at(e, IMBAL_EINVAL, path, 0, 0, "the spec is larger than %d bytes",
                               IMBAL_SPEC_MAX_BYTES);
            break;
        }
        if (n < cap) {
            break; /* end of file */
        }
    }
    fclose(fp);
    if (st != IMBAL_OK) {
        free(buf);
        return st;
    }
    *text = buf;
    *len = n;
    return IMBAL_OK;
}

/* ---- the loader ---- */

typedef struct {
    int node;          /* the open collection */
    size_t total_open; /* expanded node count just after this node was counted */
    size_t items;      /* sequence items or mapping keys so far */
    int key;           /* mapping: the pending key's node, 0 when the next node is a key */
    int drop;          /* mapping: the pending key repeats an earlier one */
} yl_frame;

typedef struct {
    imbal_spec_ctx *c;
    yaml_document_t *doc;
    yl_frame stack[IMBAL_SPEC_MAX_DEPTH];
    size_t depth;
    size_t *size; /* expanded size of node id (at id - 1); 0 while the node is open */
    size_t size_cap;
    size_t total; /* nodes so far, an alias counting as the nodes it repeats */
    int documents;
    imbal_strset anchors; /* scope 0: anchor name (owned copy) -> node id */
    imbal_strset keys;    /* scope: mapping node id; key text (borrowed) -> its line */
} yl_loader;

static imbal_status yl_nomem(yl_loader *L)
{
    L->c->nomem = 1;
    return IMBAL_ENOMEM;
}

static yaml_node_t *yl_node(const yl_loader *L, int id) { return L->doc->nodes.start + (id - 1); }

static imbal_status yl_count(yl_loader *L, size_t n, yaml_mark_t m)
{
    if (n > IMBAL_SPEC_MAX_NODES - L->total) {
        imbal_spec_err_at(L->c, (long)m.line + 1, (long)m.column + 1, IMBAL_EINVAL, NULL,
                          "the spec has more than %d nodes (an alias counts as the nodes it "
                          "repeats)",
                          IMBAL_SPEC_MAX_NODES);
        return IMBAL_EINVAL;
    }
    L->total += n;
    return IMBAL_OK;
}

/* Records node id (0 while the caller's add failed) with its marks. */
static imbal_status yl_added(yl_loader *L, int id, const yaml_event_t *ev, size_t size)
{
    yaml_node_t *node;
    if (id == 0) {
        return yl_nomem(L);
    }
    if ((size_t)id > L->size_cap) {
        size_t cap = L->size_cap == 0 ? 256 : 2 * L->size_cap;
        size_t *s = imbal_realloc(L->size, cap, sizeof(*s));
        if (s == NULL) {
            return yl_nomem(L);
        }
        L->size = s;
        L->size_cap = cap;
    }
    L->size[id - 1] = size;
    node = yl_node(L, id);
    node->start_mark = ev->start_mark;
    node->end_mark = ev->end_mark;
    return IMBAL_OK;
}

static imbal_status yl_anchor(yl_loader *L, const yaml_char_t *anchor, int id)
{
    char *name;
    long *slot;
    int created;
    if (anchor == NULL) {
        return IMBAL_OK;
    }
    name = imbal_strdup((const char *)anchor);
    if (name == NULL) {
        return yl_nomem(L);
    }
    slot = imbal_strset_slot(&L->anchors, 0, name, strlen(name), &created);
    if (slot == NULL) {
        free(name);
        return yl_nomem(L);
    }
    if (!created) {
        free(name); /* YAML: an alias means the latest node with that anchor */
    }
    *slot = id;
    return IMBAL_OK;
}

/* A mapping's key: a repeat of an earlier scalar key of the same mapping is reported and its
 * pair left out. */
static imbal_status yl_key(yl_loader *L, yl_frame *f, int id, yaml_mark_t m)
{
    const yaml_node_t *k = yl_node(L, id);
    long *first;
    int created;
    f->key = id;
    f->drop = 0;
    if (k->type != YAML_SCALAR_NODE) {
        return IMBAL_OK; /* the sections refuse keys that are not plain names */
    }
    first = imbal_strset_slot(&L->keys, (size_t)f->node, (const char *)k->data.scalar.value,
                              k->data.scalar.length, &created);
    if (first == NULL) {
        return yl_nomem(L);
    }
    if (created) {
        *first = (long)m.line + 1;
        return IMBAL_OK;
    }
    imbal_spec_err_at(L->c, (long)m.line + 1, (long)m.column + 1, IMBAL_EPARSE,
                      (const char *)k->data.scalar.value, "duplicate key '%s' (first at line %ld)",
                      (const char *)k->data.scalar.value, *first);
    f->drop = 1;
    return IMBAL_OK;
}

/* Hangs node id (which starts at mark m) under the open collection, if any. */
static imbal_status yl_attach(yl_loader *L, int id, yaml_mark_t m)
{
    yl_frame *f;
    if (L->depth == 0) {
        return IMBAL_OK; /* the root: the document's first node */
    }
    f = &L->stack[L->depth - 1];
    if (f->key == 0 && ++f->items > IMBAL_SPEC_MAX_ITEMS) {
        int seq = yl_node(L, f->node)->type == YAML_SEQUENCE_NODE;
        imbal_spec_err_at(L->c, (long)m.line + 1, (long)m.column + 1, IMBAL_EINVAL, NULL,
                          "a %s has more than %d %s", seq ? "list" : "mapping",
                          IMBAL_SPEC_MAX_ITEMS, seq ? "items" : "keys");
        return IMBAL_EINVAL;
    }
    if (yl_node(L, f->node)->type == YAML_SEQUENCE_NODE) {
        return yaml_document_append_sequence_item(L->doc, f->node, id) ? IMBAL_OK : yl_nomem(L);
    }
    if (f->key == 0) {
        return yl_key(L, f, id, m);
    }
    if (!f->drop && !yaml_document_append_mapping_pair(L->doc, f->node, f->key, id)) {
        return yl_nomem(L);
    }
    f->key = 0;
    return IMBAL_OK;
}

static imbal_status yl_scalar(yl_loader *L, const yaml_event_t *ev)
{
    const char *value = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    long line = (long)ev->start_mark.line + 1;
    long col = (long)ev->start_mark.column + 1;
    imbal_status st;
    if (len > IMBAL_SPEC_MAX_STRING) {
        imbal_spec_err_at(L->c, line, col, IMBAL_EINVAL, NULL,
                          "a value of %zu bytes (at most %d are allowed)", len,
                          IMBAL_SPEC_MAX_STRING);
        return IMBAL_EINVAL;
    }
    if (memchr(value, '\0', len) != NULL) {
        /* names and paths are C strings: "a\0b" would read as "a" */
        imbal_spec_err_at(L->c, line, col, IMBAL_EPARSE, NULL, "a value holds a NUL character");
        return IMBAL_EPARSE;
    }
    st = yl_count(L, 1, ev->start_mark);
    if (st == IMBAL_OK) {
        st = yl_added(L,
                      yaml_document_add_scalar(L->doc, NULL, ev->data.scalar.value, (int)len,
                                               ev->data.scalar.style),
                      ev, 1);
    }
    if (st == IMBAL_OK) {
        st = yl_anchor(L, ev->data.scalar.anchor, (int)(L->doc->nodes.top - L->doc->nodes.start));
    }
    if (st == IMBAL_OK) {
        st = yl_attach(L, (int)(L->doc->nodes.top - L->doc->nodes.start), ev->start_mark);
    }
    return st;
}

static imbal_status yl_open(yl_loader *L, const yaml_event_t *ev)
{
    int seq = ev->type == YAML_SEQUENCE_START_EVENT;
    const yaml_char_t *anchor =
        seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
    imbal_status st;
    int id;
    if (L->depth == IMBAL_SPEC_MAX_DEPTH) {
        imbal_spec_err_at(L->c, (long)ev->start_mark.line + 1, (long)ev->start_mark.column + 1,
                          IMBAL_EINVAL, NULL, "the spec nests deeper than %d levels",
                          IMBAL_SPEC_MAX_DEPTH);
        return IMBAL_EINVAL;
    }
    st = yl_count(L, 1, ev->start_mark);
    if (st != IMBAL_OK) {
        return st;
    }
    id = seq ? yaml_document_add_sequence(L->doc, NULL, ev->data.sequence_start.style)
             : yaml_document_add_mapping(L->doc, NULL, ev->data.mapping_start.style);
    st = yl_added(L, id, ev, 0);
    if (st == IMBAL_OK) {
        st = yl_anchor(L, anchor, id);
    }
    if (st == IMBAL_OK) {
        st = yl_attach(L, id, ev->start_mark);
    }
    if (st == IMBAL_OK) {
        yl_frame *f = &L->stack[L->depth++];
        memset(f, 0, sizeof(*f));
        f->node = id;
        f->total_open = L->total;
    }
    return st;
}

static void yl_close(yl_loader *L, const yaml_event_t *ev)
{
    const yl_frame *f = &L->stack[--L->depth];
    yl_node(L, f->node)->end_mark = ev->end_mark;
    L->size[f->node - 1] = L->total - f->total_open + 1;
}

static imbal_status yl_alias(yl_loader *L, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    long line = (long)ev->start_mark.line + 1;
    long col = (long)ev->start_mark.column + 1;
    int created = 0;
    long *slot = strset_lookup(&L->anchors, 0, name, strlen(name), 0, &created);
    int id;
    imbal_status st;
    if (slot == NULL) {
        imbal_spec_err_at(L->c, line, col, IMBAL_EPARSE, NULL, "unknown alias '*%s'", name);
        return IMBAL_EPARSE;
    }
    id = (int)*slot;
    if (L->size[id - 1] == 0) {
        imbal_spec_err_at(L->c, line, col, IMBAL_EPARSE, NULL,
                          "alias '*%s' refers to a node that contains it", name);
        return IMBAL_EPARSE;
    }
    st = yl_count(L, L->size[id - 1], ev->start_mark);
    return st != IMBAL_OK ? st : yl_attach(L, id, ev->start_mark);
}

static imbal_status yl_event(yl_loader *L, const yaml_event_t *ev, int *done)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (L->documents++ > 0) {
            imbal_spec_err_at(L->c, (long)ev->start_mark.line + 1, (long)ev->start_mark.column + 1,
                              IMBAL_EPARSE, NULL,
                              "a spec is one YAML document; a second one starts here");
            return IMBAL_EPARSE;
        }
        return IMBAL_OK;
    case YAML_SCALAR_EVENT:
        return yl_scalar(L, ev);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        return yl_open(L, ev);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        yl_close(L, ev);
        return IMBAL_OK;
    case YAML_ALIAS_EVENT:
        return yl_alias(L, ev);
    case YAML_STREAM_END_EVENT:
        *done = 1;
        return IMBAL_OK;
    default:
        return IMBAL_OK;
    }
}

static void yl_syntax_error(imbal_spec_ctx *c, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR) {
        c->nomem = 1;
        return;
    }
    imbal_spec_err_at(c, (long)p->problem_mark.line + 1, (long)p->problem_mark.column + 1,
                      IMBAL_EPARSE, NULL, "YAML: %s%s%s",
                      p->problem != NULL ? p->problem : "syntax error",
                      p->context != NULL ? " " : "", p->context != NULL ? p->context : "");
}

imbal_status imbal_spec_yaml_load(imbal_spec_ctx *c, const char *text, size_t len,
                                  yaml_document_t *doc)
{
    yaml_parser_t parser;
    yl_loader L;
    imbal_status st = IMBAL_OK;
    int done = 0;
    memset(&L, 0, sizeof(L));
    L.c = c;
    L.doc = doc;
    L.anchors.seed = c->hash_seed;
    L.keys.seed = c->hash_seed;
    if (!yaml_parser_initialize(&parser)) {
        c->nomem = 1;
        return IMBAL_ENOMEM;
    }
    if (!yaml_document_initialize(doc, NULL, NULL, NULL, 1, 1)) {
        yaml_parser_delete(&parser);
        c->nomem = 1;
        return IMBAL_ENOMEM;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    while (st == IMBAL_OK && !done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            yl_syntax_error(c, &parser);
            st = c->nomem ? IMBAL_ENOMEM : IMBAL_EPARSE;
            break;
        }
        st = yl_event(&L, &ev, &done);
        yaml_event_delete(&ev);
    }
    for (size_t i = 0; i < L.anchors.cap; i++) {
        free((char *)L.anchors.slots[i].s);
    }
    imbal_strset_free(&L.anchors);
    imbal_strset_free(&L.keys);
    free(L.size);
    yaml_parser_delete(&parser);
    if (st != IMBAL_OK) {
        yaml_document_delete(doc);
    }
    return st;
}
