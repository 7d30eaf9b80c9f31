/* Private helpers shared by split.c (random splits) and split_file.c (splits read from a
 * file or from KEEL partitions): allocating the split record that both return. */
#ifndef IMBAL_SPLIT_INTERNAL_H
#define IMBAL_SPLIT_INTERNAL_H

#include "imbal/split.h"

/* A split of n_folds folds with NULL index arrays, n_repeats set. On error NULL is stored
 * and IMBAL_ENOMEM returned. Free with imbal_split_free. */
imbal_status imbal_split_alloc(size_t n_folds, size_t n_repeats, imbal_split **out,
                               imbal_error *err);

#endif
