/* Repeated rows folded into weights for the exact solver. Random over-sampling copies minority
 * rows (on abalone19 some 3300 copies of 26 rows), and k copies of a row with weight s
 * contribute exactly what one row of weight k s does: the objective, and so the optimum, is
 * the same, at half the rows. Only the smaller class is hashed (class 1 on a tie), so data
 * without repeats, the usual imbalanced case, pays next to nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "logreg_impl.h"

/* A hash of the bits of a row; the columns' products are independent, so they pipeline. */
static uint64_t repeats_hash(const double *row, size_t d)
{
    uint64_t h = 0;
    for (size_t j = 0; j < d; j++) {
        uint64_t bits;
        memcpy(&bits, &row[j], sizeof(bits));
        h += bits * (0x9e3779b97f4a7c15u * (2 * (uint64_t)j + 1)); /* odd multipliers */
    }
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9u;
    return h ^ (h >> 32);
}

imbal_status imbal_logreg_repeats(const imbal_logreg_problem *pb, size_t *row, size_t *n_rows,
                                  imbal_error *err)
{
    size_t n_pos = 0;
    size_t n_cls;
    size_t size = 2;
    size_t kept = 0;
    size_t *table; /* input row + 1 of each distinct row of class cls, 0 for empty */
    int cls;
    for (size_t i = 0; i < pb->n; i++) {
        n_pos += (size_t)pb->y[i];
    }
    cls = 2 * n_pos <= pb->n;
    n_cls = cls ? n_pos : pb->n - n_pos;
    while (size < 2 * n_cls) {
        size *= 2;
    }
    table = imbal_calloc(size, sizeof(*table));
    if (table == NULL) {
        *n_rows = 0;
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory looking for repeated rows");
    }
    for (size_t i = 0; i < pb->n; i++) {
        const double *x = pb->x + i * pb->d;
        size_t slot;
        if (pb->y[i] != cls) {
            row[i] = kept++;
            continue;
        }
        slot = repeats_hash(x, pb->d) & (size - 1);
        /* linear probing; bitwise equality, so -0.0 and 0.0 stay apart */
        while (table[slot] != 0 &&
               memcmp(pb->x + (table[slot] - 1) * pb->d, x, pb->d * sizeof(*x)) != 0) {
            slot = (slot + 1) & (size - 1);
        }
        if (table[slot] == 0) {
            table[slot] = i + 1;
            row[i] = kept++;
        } else {
            row[i] = row[table[slot] - 1];
        }
    }
    free(table);
    *n_rows = kept;
    return IMBAL_OK;
}
