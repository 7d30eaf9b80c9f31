/* Shared by the libFuzzer targets (tests/fuzz/fuzz_*.c, built by `make fuzz`): the readers
 * take paths, so an input is written to a temporary file that lives as long as the process,
 * and a broken contract (an error without a message, a result with an error) traps, so
 * libFuzzer reports it like a crash. Not part of libimbal. */
#ifndef IMBAL_FUZZ_UTIL_H
#define IMBAL_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "imbal/error.h"

/* Path of temporary file slot (0 or 1) holding exactly data[0..size); traps on I/O errors.
 * The files are created in $TMPDIR (else /tmp) on first use and removed at exit. */
const char *fuzz_file(int slot, const uint8_t *data, size_t size, const char *suffix);

/* Traps unless err describes a failure the way every imbal call promises: status st is not
 * IMBAL_OK and err carries the same status and a message. */
void fuzz_check_error(imbal_status st, const imbal_error *err);

#define FUZZ_ASSERT(cond)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (0)

#endif
