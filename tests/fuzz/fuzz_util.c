/* Helpers for the fuzz targets (see fuzz_util.h). */
#define _DEFAULT_SOURCE /* mkstemps */
#include "fuzz_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_paths[2][512];
static int fuzz_fds[2] = {-1, -1};

static void fuzz_cleanup(void)
{
    for (int i = 0; i < 2; i++) {
        if (fuzz_fds[i] >= 0) {
            close(fuzz_fds[i]);
            unlink(fuzz_paths[i]);
        }
    }
}

const char *fuzz_file(int slot, const uint8_t *data, size_t size, const char *suffix)
{
    size_t done = 0;
    if (fuzz_fds[slot] < 0) {
        const char *dir = getenv("TMPDIR");
        static int registered = 0;
        snprintf(fuzz_paths[slot], sizeof(fuzz_paths[slot]), "%s/imbal-fuzz-%d-XXXXXX%s",
                 dir != NULL && dir[0] != '\0' ? dir : "/tmp", slot, suffix);
        fuzz_fds[slot] = mkstemps(fuzz_paths[slot], (int)strlen(suffix));
        FUZZ_ASSERT(fuzz_fds[slot] >= 0);
        if (!registered) {
            atexit(fuzz_cleanup);
            registered = 1;
        }
    }
    FUZZ_ASSERT(ftruncate(fuzz_fds[slot], 0) == 0);
    while (done < size) {
        ssize_t w = pwrite(fuzz_fds[slot], data + done, size - done, (off_t)done);
        FUZZ_ASSERT(w > 0);
        done += (size_t)w;
    }
    return fuzz_paths[slot];
}

void fuzz_check_error(imbal_status st, const imbal_error *err)
{
    FUZZ_ASSERT(st != IMBAL_OK && st < IMBAL_NSTATUS);
    FUZZ_ASSERT(err->status == st);
    FUZZ_ASSERT(err->msg[0] != '\0');
    FUZZ_ASSERT(memchr(err->msg, '\0', sizeof(err->msg)) != NULL);
}
