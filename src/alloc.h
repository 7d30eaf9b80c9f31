/* Private allocation wrappers. Every allocation in libimbal goes through these so a
 * test build can fail the N-th one (SQLite style) and prove each error path frees
 * what it took. Overflow of n * size is checked here once. */
#ifndef IMBAL_ALLOC_H
#define IMBAL_ALLOC_H

#include <stddef.h>

void *imbal_malloc(size_t n, size_t size);  /* NULL on overflow or failure */
void *imbal_calloc(size_t n, size_t size);
void *imbal_realloc(void *p, size_t n, size_t size);
char *imbal_strdup(const char *s);
char *imbal_strndup(const char *s, size_t len);

/* Test hook: the fail_at-th allocation from now on (1-based) and all later ones fail;
 * 0 disables. Returns how many allocations were made since the last call. */
long imbal_alloc_fail_after(long fail_at);

#endif
