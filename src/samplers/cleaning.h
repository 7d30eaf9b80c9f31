/* Private helpers shared by the cleaning techniques (tomek_links.c, smote_tomek.c,
 * cluster_centroids.c): the Tomek-link test on raw arrays, so SMOTETomek can run it on
 * SMOTE's output without building a training view around it. */
#ifndef IMBAL_SAMPLERS_CLEANING_H
#define IMBAL_SAMPLERS_CLEANING_H

#include <stddef.h>

#include "imbal/error.h"

/* is_link[i] = 1 when row i is in a class with clean[y[i]] set and forms a Tomek link: its
 * nearest other row j (exact Euclidean, ties to the lower index) has another class and row
 * i is j's nearest other row. x is n * d row-major, y in 0 .. n_classes - 1, n >= 2.
 * ENOMEM, or EINVAL from the neighbour search. */
imbal_status imbal_tomek_links_mask(const double *x, const int *y, size_t n, size_t d,
                                    const unsigned char *clean, unsigned char *is_link,
                                    imbal_error *err);

#endif
