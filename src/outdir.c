/* Output directories replaced as a whole, and single files replaced atomically (see outdir.h).
 * Everything is done relative to directory descriptors (openat, mkdirat, symlinkat, renameat)
 * held from the start, so a path component swapped mid-run cannot redirect a write, and every
 * name imbal creates is created exclusively (O_EXCL, mkdir, symlink fail on an existing name),
 * so nothing planted at a name is ever followed. Each step that changes the file system goes
 * through od_do, the fault-injection point of outdir_fault.h. */
#define _GNU_SOURCE /* renameat2 (RENAME_EXCHANGE) and flock; POSIX fallbacks are below */
#include "imbal/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "outdir_fault.h"
#include "strbuf.h"

#define OD_NAME_MAX 200 /* room for ".<name>.gen-XXXXXX" within NAME_MAX (255) */
#define OD_CHUNK 65536  /* bytes per write(2), so a kill can land inside a file */
#define OD_TRIES 1000   /* fresh random names tried before giving up */

static imbal_outdir_fault_fn od_fault_fn;
static void *od_fault_ctx;

void imbal_outdir_set_fault(imbal_outdir_fault_fn fn, void *ctx)
{
    od_fault_fn = fn;
    od_fault_ctx = ctx;
}

/* 0 to go on; else the step is not done and errno is the injected error. */
static int od_fault(const char *step)
{
    int e = od_fault_fn != NULL ? od_fault_fn(step, od_fault_ctx) : 0;
    if (e != 0) {
        errno = e;
    }
    return e;
}

/* call, unless the hook fails the step (then -1 with errno set, as the call would). */
#define od_do(step, call) (od_fault(step) != 0 ? -1 : (call))

/* close(2) with the "close" fault applied after it, so a failed step leaks no descriptor. */
static int od_close(int fd)
{
    int e = od_fault("close");
    int r = close(fd);
    if (e != 0) {
        errno = e;
        return -1;
    }
    return r;
}

struct imbal_outfile {
    char *name;
    int fd;
    int failed;
};

struct imbal_outdir {
    char *path;   /* as the user gave it, trailing '/' removed */
    char *parent; /* its directory */
    char *base;   /* its last component */
    int parent_fd, lock_fd, gen_fd;
    char *gen; /* ".<base>.gen-XXXXXX", in parent */
    imbal_outfile **files;
    size_t n_files, cap_files;
    int committed;
};

/* The files an imbal before generations wrote into a real output directory: such a directory
 * (and only such) is replaced by the first run that uses generations. Fixed for good: new
 * report files only ever live in generations. */
static int od_legacy_name(const char *name)
{
    static const char *const names[] = {"runs.csv",     "summary.csv",   "summary.md",
                                        "summary.json", "resolved.yaml", "models.csv"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        size_t n = strlen(names[i]);
        if (strncmp(name, names[i], n) == 0 && (name[n] == '\0' || strcmp(name + n, ".tmp") == 0)) {
            return 1;
        }
    }
    return 0;
}

const char *imbal_outdir_name_problem(const char *name)
{
    if (name == NULL || name[0] == '\0') {
        return "is empty";
    }
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        return "is '.' or '..'";
    }
    for (const char *p = name; *p != '\0'; p++) {
        if (*p == '/') {
            return "contains '/'";
        }
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            return "contains a control character";
        }
    }
    if (name[0] == '.') {
        return "starts with '.' (such names are imbal's own generation and lock files)";
    }
    if (strlen(name) > OD_NAME_MAX) {
        return "is longer than 200 bytes";
    }
    return NULL;
}

/* Six random letters or digits: not secret (the names are created exclusively, so a guess
 * can only make a try fail), just unlikely to repeat across processes and calls. */
static void od_suffix(char out[7])
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static _Atomic uint64_t counter; /* distinct per call, even from several threads */
    struct timespec ts;
    uint64_t x;
    clock_gettime(CLOCK_REALTIME, &ts);
    x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ ((uint64_t)getpid() << 44) ^
        ((atomic_fetch_add(&counter, 1) + 1) * UINT64_C(0x9E3779B97F4A7C15));
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    for (int i = 0; i < 6; i++) {
        out[i] = al[x % 62];
        x /= 62;
    }
    out[6] = '\0';
}

/* Whether entry is ".<base><kind>XXXXXX" (kind ".gen-" or ".new-"), exactly. */
static int od_match(const char *entry, const char *base, const char *kind)
{
    size_t nb = strlen(base);
    if (strlen(entry) != 1 + nb + 5 + 6 || entry[0] != '.' || memcmp(entry + 1, base, nb) != 0 ||
        memcmp(entry + 1 + nb, kind, 5) != 0) {
        return 0;
    }
    for (const char *p = entry + 1 + nb + 5; *p != '\0'; p++) {
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) {
            return 0;
        }
    }
    return 1;
}

/* ".<base><kind>XXXXXX" with a fresh suffix into buf (size >= OD_NAME_MAX + 13). */
static void od_fresh(char *buf, size_t n, const char *base, const char *kind)
{
    char sfx[7];
    od_suffix(sfx);
    snprintf(buf, n, ".%s%s%s", base, kind, sfx);
}

/* Removes directory name of dir_fd and the files in it (with legacy_only, only if every entry
 * is a legacy report file). Subdirectories are never entered: such a directory is left. */
static int od_remove_dir(int dir_fd, const char *name, int legacy_only)
{
    int fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d;
    struct dirent *e;
    int ok = 1;
    if (fd < 0) {
        return -1;
    }
    d = fdopendir(fd);
    if (d == NULL) {
        close(fd);
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        struct stat sb;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        if (fstatat(fd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || S_ISDIR(sb.st_mode) ||
            (legacy_only && !od_legacy_name(e->d_name)) ||
            od_do("remove", unlinkat(fd, e->d_name, 0)) != 0) {
            ok = 0;
        }
    }
    closedir(d);
    return ok ? od_do("remove", unlinkat(dir_fd, name, AT_REMOVEDIR)) : -1;
}

/* Removes what earlier runs into this directory left: generations other than keep, new links
 * a crash left before the switch, and legacy directories swapped out. Failures are left for
 * the next run (they are hidden names, never what DIR shows). */
static void od_sweep(imbal_outdir *od, const char *keep)
{
    int fd = dup(od->parent_fd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;
    if (d == NULL) {
        if (fd >= 0) {
            close(fd);
        }
        return;
    }
    rewinddir(d);
    /* listed first, removed after: the directory is not changed while it is read */
    while ((e = readdir(d)) != NULL) {
        if ((od_match(e->d_name, od->base, ".gen-") &&
             (keep == NULL || strcmp(e->d_name, keep) != 0)) ||
            od_match(e->d_name, od->base, ".new-")) {
            if (n == cap) {
                size_t nc = cap == 0 ? 8 : 2 * cap;
                char **nn = imbal_realloc(names, nc, sizeof(*nn));
                if (nn == NULL) {
                    break;
                }
                names = nn;
                cap = nc;
            }
            names[n] = imbal_strdup(e->d_name);
            if (names[n] != NULL) {
                n++;
            }
        }
    }
    closedir(d);
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (fstatat(od->parent_fd, names[i], &sb, AT_SYMLINK_NOFOLLOW) == 0) {
            if (S_ISDIR(sb.st_mode)) {
                od_remove_dir(od->parent_fd, names[i], names[i][strlen(names[i]) - 10] == 'n');
            } else {
                od_do("remove", unlinkat(od->parent_fd, names[i], 0));
            }
        }
        free(names[i]);
    }
    free(names);
}

static imbal_status od_errno(imbal_error *err, const char *path, const char *name, const char *what)
{
    char where[4096];
    int e = errno;
    if (name != NULL) {
        snprintf(where, sizeof(where), "%s/%s", path, name);
    } else {
        snprintf(where, sizeof(where), "%s", path);
    }
    return imbal_fail_at(err, IMBAL_EIO, where, 0, 0, "%s: %s", what, strerror(e));
}

/* Takes the lock on .<base>.lock and writes who holds it; names the holder when it is taken. */
static imbal_status od_lock(imbal_outdir *od, imbal_error *err)
{
    char name[OD_NAME_MAX + 16];
    char info[128];
    struct stat sb;
    time_t now = time(NULL);
    struct tm tm;
    int n;
    snprintf(name, sizeof(name), ".%s.lock", od->base);
    od->lock_fd =
        od_do("lock", openat(od->parent_fd, name,
                             O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666));
    if (od->lock_fd < 0) {
        return od_errno(err, od->parent, name, "cannot open the lock file");
    }
    if (fstat(od->lock_fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        return imbal_fail_at(err, IMBAL_EIO, od->path, 0, 0,
                             "its lock file %s is not a regular file", name);
    }
    if (flock(od->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        char holder[128];
        ssize_t got;
        if (errno != EWOULDBLOCK) {
            return od_errno(err, od->parent, name, "cannot lock");
        }
        got = pread(od->lock_fd, holder, sizeof(holder) - 1, 0);
        holder[got > 0 ? got : 0] = '\0';
        holder[strcspn(holder, "\n")] = '\0';
        return imbal_fail_at(err, IMBAL_EIO, od->path, 0, 0,
                             "in use by another imbal run (%s); nothing was written",
                             holder[0] != '\0' ? holder : "it has not written its pid yet");
    }
    gmtime_r(&now, &tm);
    n = snprintf(info, sizeof(info), "pid %ld, started ", (long)getpid());
    n += (int)strftime(info + n, sizeof(info) - (size_t)n, "%Y-%m-%d %H:%M:%S UTC\n", &tm);
    if (ftruncate(od->lock_fd, 0) != 0 || pwrite(od->lock_fd, info, (size_t)n, 0) != n) {
        return od_errno(err, od->parent, name, "cannot write the lock file");
    }
    return IMBAL_OK;
}

enum { OD_NONE, OD_LINK, OD_LEGACY };

/* What DIR is now: nothing, imbal's link (*target: its generation, malloc'd), or a directory
 * of legacy report files (or empty). Anything else is refused. */
static imbal_status od_inspect(const imbal_outdir *od, int *kind, char **target, imbal_error *err)
{
    struct stat sb;
    *kind = OD_NONE;
    *target = NULL;
    if (fstatat(od->parent_fd, od->base, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
        return errno == ENOENT ? IMBAL_OK : od_errno(err, od->path, NULL, "cannot inspect");
    }
    if (S_ISLNK(sb.st_mode)) {
        char buf[4096];
        ssize_t n = readlinkat(od->parent_fd, od->base, buf, sizeof(buf) - 1);
        if (n < 0) {
            return od_errno(err, od->path, NULL, "cannot read the link");
        }
        buf[n] = '\0';
        if (!od_match(buf, od->base, ".gen-")) {
            return imbal_fail_at(err, IMBAL_EINVAL, od->path, 0, 0,
                                 "is a symbolic link imbal did not make (to %s): remove it or "
                                 "write elsewhere",
                                 buf);
        }
        *target = imbal_strdup(buf);
        *kind = OD_LINK;
        return *target != NULL ? IMBAL_OK : imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    if (S_ISDIR(sb.st_mode)) {
        int fd = openat(od->parent_fd, od->base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        struct dirent *e;
        const char *foreign = NULL;
        char first[256];
        if (d == NULL) {
            if (fd >= 0) {
                close(fd);
            }
            return od_errno(err, od->path, NULL, "cannot read the directory");
        }
        while (foreign == NULL && (e = readdir(d)) != NULL) {
            struct stat fs;
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
                continue;
            }
            if (!od_legacy_name(e->d_name) ||
                fstatat(fd, e->d_name, &fs, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(fs.st_mode)) {
                snprintf(first, sizeof(first), "%s", e->d_name);
                foreign = first;
            }
        }
        closedir(d);
        if (foreign != NULL) {
            return imbal_fail_at(err, IMBAL_EINVAL, od->path, 0, 0,
                                 "is a directory holding '%s', which imbal does not write: "
                                 "write elsewhere (imbal replaces its output directory whole)",
                                 foreign);
        }
        *kind = OD_LEGACY;
        return IMBAL_OK;
    }
    return imbal_fail_at(err, IMBAL_EINVAL, od->path, 0, 0,
                         "exists and is not a directory: write elsewhere");
}

/* Splits path into parent and base (trailing '/' dropped); "" base for "/" or "". */
static int od_split(const char *path, char **copy, char **parent, char **base)
{
    char *p = imbal_strdup(path);
    char *slash;
    size_t n;
    *copy = p;
    *parent = NULL;
    *base = NULL;
    if (p == NULL) {
        return 0;
    }
    n = strlen(p);
    while (n > 1 && p[n - 1] == '/') {
        p[--n] = '\0';
    }
    slash = strrchr(p, '/');
    if (slash == NULL) {
        *parent = imbal_strdup(".");
        *base = imbal_strdup(p);
    } else {
        *parent = slash == p ? imbal_strdup("/") : imbal_strndup(p, (size_t)(slash - p));
        *base = imbal_strdup(slash + 1);
    }
    return *parent != NULL && *base != NULL;
}

const char *imbal_outdir_path(const imbal_outdir *od) { return od->path; }

imbal_status imbal_outdir_open(const char *path, imbal_outdir **out, imbal_error *err)
{
    imbal_outdir *od = imbal_calloc(1, sizeof(*od));
    char *target = NULL;
    const char *problem;
    int kind;
    imbal_status st;
    *out = NULL;
    if (od == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    od->parent_fd = od->lock_fd = od->gen_fd = -1;
    if (!od_split(path, &od->path, &od->parent, &od->base)) {
        imbal_outdir_close(od);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    problem = imbal_outdir_name_problem(od->base);
    if (problem != NULL) {
        st = imbal_fail_at(err, IMBAL_EINVAL, path, 0, 0, "output directory name '%s' %s", od->base,
                           problem);
        imbal_outdir_close(od);
        return st;
    }
    st = od_do("mkdir", 0) != 0 ? od_errno(err, od->parent, NULL, "cannot create directory")
                                : imbal_mkdirs(od->parent, err);
    if (st == IMBAL_OK) {
        od->parent_fd = open(od->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (od->parent_fd < 0) {
            st = od_errno(err, od->parent, NULL, "cannot open directory");
        }
    }
    if (st == IMBAL_OK) {
        st = od_lock(od, err);
    }
    if (st == IMBAL_OK) {
        st = od_inspect(od, &kind, &target, err);
    }
    if (st == IMBAL_OK) {
        char name[OD_NAME_MAX + 16];
        int r = -1;
        od_sweep(od, target);
        for (int i = 0; i < OD_TRIES && r != 0; i++) {
            od_fresh(name, sizeof(name), od->base, ".gen-");
            r = od_do("mkgen", mkdirat(od->parent_fd, name, 0777));
            if (r != 0 && errno != EEXIST) {
                break;
            }
        }
        if (r != 0) {
            st = od_errno(err, od->parent, name, "cannot create the output generation");
        } else if ((od->gen = imbal_strdup(name)) == NULL) {
            unlinkat(od->parent_fd, name, AT_REMOVEDIR);
            st = imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        } else {
            od->gen_fd =
                openat(od->parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (od->gen_fd < 0) {
                st = od_errno(err, od->parent, name, "cannot open");
            }
        }
    }
    free(target);
    if (st != IMBAL_OK) {
        imbal_outdir_close(od);
        return st;
    }
    *out = od;
    return IMBAL_OK;
}

imbal_status imbal_outdir_create(imbal_outdir *od, const char *name, imbal_outfile **out,
                                 imbal_error *err)
{
    imbal_outfile *f;
    *out = NULL;
    if (od->committed || name[0] == '\0' || strchr(name, '/') != NULL || name[0] == '.') {
        return imbal_fail(err, IMBAL_EINVAL, "cannot create '%s' in %s", name, od->path);
    }
    if (od->n_files == od->cap_files) {
        size_t nc = od->cap_files == 0 ? 8 : 2 * od->cap_files;
        imbal_outfile **nf = imbal_realloc(od->files, nc, sizeof(*nf));
        if (nf == NULL) {
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        }
        od->files = nf;
        od->cap_files = nc;
    }
    f = imbal_calloc(1, sizeof(*f));
    if (f == NULL || (f->name = imbal_strdup(name)) == NULL) {
        free(f);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    f->fd = od_do("open", openat(od->gen_fd, name,
                                 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666));
    if (f->fd < 0) {
        imbal_status st = od_errno(err, od->path, name, "cannot create");
        free(f->name);
        free(f);
        return st;
    }
    od->files[od->n_files++] = f;
    *out = f;
    return IMBAL_OK;
}

/* Writes all of data to fd in OD_CHUNK pieces; 0, or -1 with errno. */
static int od_write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        size_t chunk = len < OD_CHUNK ? len : OD_CHUNK;
        ssize_t n = od_do("write", write(fd, data, chunk));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            if (n == 0) {
                errno = ENOSPC;
            }
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

imbal_status imbal_outfile_write(imbal_outfile *f, const void *data, size_t len, imbal_error *err)
{
    if (f->failed) {
        return imbal_fail(err, IMBAL_EIO, "%s: an earlier write failed", f->name);
    }
    if (od_write_all(f->fd, data, len) != 0) {
        f->failed = 1;
        return imbal_fail(err, IMBAL_EIO, "cannot write %s: %s", f->name, strerror(errno));
    }
    return IMBAL_OK;
}

imbal_status imbal_outdir_put(imbal_outdir *od, const char *name, const void *data, size_t len,
                              imbal_error *err)
{
    imbal_outfile *f = NULL;
    imbal_status st = imbal_outdir_create(od, name, &f, err);
    if (st == IMBAL_OK && od_write_all(f->fd, data, len) != 0) {
        f->failed = 1;
        st = od_errno(err, od->path, name, "cannot write");
    }
    return st;
}

/* Swaps the new link link_name with the legacy directory DIR; the directory ends up at a
 * hidden ".new-" name, which is removed. Without RENAME_EXCHANGE (or a file system that lacks
 * it) DIR is moved aside first, so for a moment there is no DIR (never a mix). */
static int od_replace_legacy(imbal_outdir *od, const char *link_name)
{
    char aside[OD_NAME_MAX + 16];
    int r = -1;
#ifdef RENAME_EXCHANGE
    r = od_do("rename",
              renameat2(od->parent_fd, link_name, od->parent_fd, od->base, RENAME_EXCHANGE));
    if (r == 0) {
        od_remove_dir(od->parent_fd, link_name, 1);
        return 0;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
        return -1;
    }
#endif
    for (int i = 0; i < OD_TRIES; i++) {
        struct stat sb;
        od_fresh(aside, sizeof(aside), od->base, ".new-");
        if (fstatat(od->parent_fd, aside, &sb, AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT) {
            r = od_do("rename", renameat(od->parent_fd, od->base, od->parent_fd, aside));
            break;
        }
    }
    if (r != 0) {
        return -1;
    }
    if (od_do("rename", renameat(od->parent_fd, link_name, od->parent_fd, od->base)) != 0) {
        int e = errno;
        renameat(od->parent_fd, aside, od->parent_fd, od->base); /* put it back */
        errno = e;
        return -1;
    }
    od_remove_dir(od->parent_fd, aside, 1);
    return 0;
}

imbal_status imbal_outdir_commit(imbal_outdir *od, imbal_error *err)
{
    char link_name[OD_NAME_MAX + 16];
    char *target = NULL;
    int kind;
    int r = -1;
    imbal_status st;
    if (od->committed) {
        return IMBAL_OK;
    }
    for (size_t i = 0; i < od->n_files; i++) {
        imbal_outfile *f = od->files[i];
        if (f->failed) {
            return imbal_fail_at(err, IMBAL_EIO, od->path, 0, 0,
                                 "%s was not written completely; the previous results are kept",
                                 f->name);
        }
        if (f->fd >= 0) {
            int fd = f->fd;
            if (od_do("fsync", fsync(fd)) != 0) {
                return od_errno(err, od->path, f->name, "cannot sync");
            }
            f->fd = -1;
            if (od_close(fd) != 0) {
                return od_errno(err, od->path, f->name, "cannot write");
            }
        }
    }
    if (od_do("fsyncdir", fsync(od->gen_fd)) != 0) {
        return od_errno(err, od->parent, od->gen, "cannot sync");
    }
    st = od_inspect(od, &kind, &target, err);
    free(target);
    if (st != IMBAL_OK) {
        return st;
    }
    for (int i = 0; i < OD_TRIES && r != 0; i++) {
        od_fresh(link_name, sizeof(link_name), od->base, ".new-");
        r = od_do("symlink", symlinkat(od->gen, od->parent_fd, link_name));
        if (r != 0 && errno != EEXIST) {
            break;
        }
    }
    if (r != 0) {
        return od_errno(err, od->parent, link_name, "cannot create the link");
    }
    /* the switch: before it DIR is the previous set, after it the new one */
    r = kind == OD_LEGACY
            ? od_replace_legacy(od, link_name)
            : od_do("rename", renameat(od->parent_fd, link_name, od->parent_fd, od->base));
    if (r != 0) {
        st = od_errno(err, od->path, NULL, "cannot switch to the new results");
        unlinkat(od->parent_fd, link_name, 0);
        return st;
    }
    od->committed = 1;
    if (od_do("fsyncdir", fsync(od->parent_fd)) != 0) {
        return od_errno(err, od->parent, NULL, "cannot sync (the new results are in place)");
    }
    od_sweep(od, od->gen);
    return IMBAL_OK;
}

void imbal_outdir_close(imbal_outdir *od)
{
    if (od == NULL) {
        return;
    }
    for (size_t i = 0; i < od->n_files; i++) {
        if (od->files[i]->fd >= 0) {
            close(od->files[i]->fd);
        }
        free(od->files[i]->name);
        free(od->files[i]);
    }
    free(od->files);
    if (od->gen_fd >= 0) {
        close(od->gen_fd);
    }
    if (!od->committed && od->gen != NULL && od->parent_fd >= 0) {
        od_remove_dir(od->parent_fd, od->gen, 0);
    }
    if (od->lock_fd >= 0) {
        close(od->lock_fd); /* releases the lock */
    }
    if (od->parent_fd >= 0) {
        close(od->parent_fd);
    }
    free(od->gen);
    free(od->path);
    free(od->parent);
    free(od->base);
    free(od);
}

/* What the entry name in dir_fd is when it exists and is not a regular file, else NULL. */
static const char *od_not_regular(int dir_fd, const char *name)
{
    struct stat sb;
    if (fstatat(dir_fd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || S_ISREG(sb.st_mode)) {
        return NULL;
    }
    return S_ISLNK(sb.st_mode)                          ? "a symbolic link"
           : S_ISDIR(sb.st_mode)                        ? "a directory"
           : S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode) ? "a device"
           : S_ISFIFO(sb.st_mode)                       ? "a FIFO"
                                                        : "not a file";
}

imbal_status imbal_write_atomic(const char *path, const char *data, size_t len, imbal_error *err)
{
    char *copy, *parent, *base;
    char tmp[OD_NAME_MAX + 32];
    int dir_fd = -1, fd = -1;
    const char *what;
    imbal_status st = IMBAL_OK;
    if (!od_split(path, &copy, &parent, &base)) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        goto done;
    }
    dir_fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) {
        st = od_errno(err, path, NULL, "cannot write");
        goto done;
    }
    /* the rename would replace whatever has the name: a device (-o /dev/null), a link
     * (/dev/stdout), a FIFO or a directory's entry is refused, not silently replaced */
    what = od_not_regular(dir_fd, base);
    if (what != NULL) {
        st = imbal_fail_at(err, IMBAL_EINVAL, path, 0, 0,
                           "exists and is not a regular file (%s): write elsewhere (imbal "
                           "replaces its output file whole)",
                           what);
        goto done;
    }
    for (int i = 0; i < OD_TRIES && fd < 0; i++) {
        char sfx[7];
        od_suffix(sfx);
        snprintf(tmp, sizeof(tmp), ".%.*s.tmp-%s", OD_NAME_MAX, base, sfx);
        fd = od_do("open",
                   openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666));
        if (fd < 0 && errno != EEXIST) {
            break;
        }
    }
    if (fd < 0) {
        st = od_errno(err, path, NULL, "cannot write");
        goto done;
    }
    if (od_write_all(fd, data, len) != 0 || od_do("fsync", fsync(fd)) != 0) {
        st = od_errno(err, path, NULL, "cannot write");
    }
    if (od_close(fd) != 0 && st == IMBAL_OK) {
        st = od_errno(err, path, NULL, "cannot write");
    }
    if (st == IMBAL_OK && od_do("rename", renameat(dir_fd, tmp, dir_fd, base)) != 0) {
        st = od_errno(err, path, NULL, "cannot write");
    }
    if (st != IMBAL_OK) {
        unlinkat(dir_fd, tmp, 0);
    } else if (od_do("fsyncdir", fsync(dir_fd)) != 0) {
        st = od_errno(err, path, NULL, "cannot sync");
    }
done:
    if (dir_fd >= 0) {
        close(dir_fd);
    }
    free(copy);
    free(parent);
    free(base);
    return st;
}
