/* The CSV and KEEL targets share one driver: the first input byte picks loader options,
 * the rest is the file (or two files, split at the first "\n%%\n", for load_many). */
#ifndef IMBAL_FUZZ_DATASET_H
#define IMBAL_FUZZ_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "imbal/dataset.h"

int fuzz_dataset(const uint8_t *data, size_t size, imbal_format format, const char *suffix);

#endif
