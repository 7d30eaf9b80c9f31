/* Private to the runner (runner.c, runner_check.c). */
#ifndef IMBAL_RUNNER_INTERNAL_H
#define IMBAL_RUNNER_INTERNAL_H

#include <stddef.h>

#include "imbal/error.h"

/* Rewrites "class N" (N < k, as the samplers' and classifiers' messages name classes by
 * label) in e's message as "class 'NAME'", the dataset's class name; leaves the message as it
 * is when the names do not fit. */
void imbal_error_name_classes(imbal_error *e, char *const *names, size_t k);

#endif
