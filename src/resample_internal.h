/* Private helpers shared by the two files of the resampling module: resample.c (registry,
 * parameters, dispatch) and resample_strategy.c (sampling_strategy). */
#ifndef IMBAL_RESAMPLE_INTERNAL_H
#define IMBAL_RESAMPLE_INTERNAL_H

#include <stddef.h>

/* Levenshtein distance between a and b, ignoring ASCII case. Names longer than 127
 * characters count as far from everything (SIZE_MAX). */
size_t imbal_edit_distance(const char *a, const char *b);

/* The candidate closest to name (imbal_edit_distance) if it is within
 * max(2, strlen(name) / 3), else NULL; ties go to the earlier candidate. */
const char *imbal_closest_name(const char *name, const char *const *cand, size_t n_cand);

#endif
