/* Outputs that cannot be corrupted (outdir.h): each failure a run can meet while it writes
 * its report is driven on purpose, and the output directory must then hold exactly the
 * previous report (set A: tests/data/outdir.yaml, seed 1, with models.csv) or exactly the new
 * one (set B: seed 2, without models.csv), never a mix and never a file of A beside B's. The
 * failures: a kill (SIGKILL of a forked child) before each step that changes the file system,
 * an error at each step, a full file system (RLIMIT_FSIZE, with and without SIGXFSZ), symlinks
 * planted at the temporary names, at the lock and at the directory, two runs at once (one
 * refused, naming the other; a reader never sees a mix). Also the output name rules and the
 * single-file writer of imbal init and imbal resample. Every directory is under a fresh
 * mkdtemp directory in /dev/shm (or /tmp). */
#define _XOPEN_SOURCE 700 /* nftw */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "imbal/outdir.h"
#include "imbal/report.h"
#include "imbal/runner.h"
#include "imbal/spec.h"
#include "outdir_fault.h"
#include "util.h"

/* ---- fixture: two experiments and their reports, read back as sets of files ---- */

#define MAX_FILES 16

typedef struct {
    size_t n;
    char *name[MAX_FILES];
    char *text[MAX_FILES];
    size_t len[MAX_FILES];
} fileset;

static char root[64];
static imbal_spec *spec_a, *spec_b;
static imbal_experiment *ex_a, *ex_b;
static const imbal_report_options with_models = {1, 0};
static const imbal_report_options without_models = {0, 0};
static fileset set_a, set_b;

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static const char *in_root(const char *name)
{
    static char buf[4][320];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof(buf[k]), "%s/%.200s", root, name);
    return buf[k];
}

static void set_free(fileset *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->name[i]);
        free(s->text[i]);
    }
    s->n = 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every entry of dir, read through one descriptor of it (so through the link, one generation),
 * sorted by name. Returns 0 if dir or a file vanished while read, or dir is another directory
 * after the read than before (the link was switched and the generation read is being
 * removed: a snapshot of nothing), 1 otherwise. */
static int set_read(const char *dir, fileset *s)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    DIR *d;
    struct dirent *e;
    char *names[MAX_FILES];
    size_t n = 0;
    struct stat before, after;
    s->n = 0;
    if (fd < 0) {
        return 0;
    }
    ck_assert_int_eq(fstat(fd, &before), 0);
    d = fdopendir(fd);
    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            ck_assert_uint_lt(n, MAX_FILES);
            names[n++] = strdup(e->d_name);
        }
    }
    qsort(names, n, sizeof(names[0]), by_name);
    for (size_t i = 0; i < n; i++) {
        int f = openat(dirfd(d), names[i], O_RDONLY | O_NOFOLLOW);
        struct stat sb;
        s->name[s->n] = names[i];
        s->text[s->n] = NULL;
        s->len[s->n] = 0;
        s->n++;
        if (f < 0 || fstat(f, &sb) != 0) {
            for (size_t j = i + 1; j < n; j++) {
                free(names[j]);
            }
            if (f >= 0) {
                close(f);
            }
            closedir(d);
            set_free(s);
            return 0;
        }
        s->text[s->n - 1] = malloc((size_t)sb.st_size + 1);
        s->len[s->n - 1] = (size_t)read(f, s->text[s->n - 1], (size_t)sb.st_size);
        close(f);
    }
    closedir(d);
    if (stat(dir, &after) != 0 || after.st_ino != before.st_ino || after.st_dev != before.st_dev) {
        set_free(s);
        return 0;
    }
    return 1;
}

static int set_eq(const fileset *x, const fileset *y)
{
    if (x->n != y->n) {
        return 0;
    }
    for (size_t i = 0; i < x->n; i++) {
        if (strcmp(x->name[i], y->name[i]) != 0 || x->len[i] != y->len[i] ||
            memcmp(x->text[i], y->text[i], x->len[i]) != 0) {
            return 0;
        }
    }
    return 1;
}

/* 'A', 'B', or 0 for anything else (a mix, a partial file, an extra or missing file). */
static int state_of(const char *dir)
{
    fileset s;
    int r = 0;
    if (!set_read(dir, &s)) {
        return 0;
    }
    r = set_eq(&s, &set_a) ? 'A' : set_eq(&s, &set_b) ? 'B' : 0;
    set_free(&s);
    return r;
}

static imbal_experiment *run_seed(imbal_spec **spec, unsigned seed)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_run_options ro = {1, 1, NULL, NULL, NULL, NULL};
    imbal_experiment *ex = NULL;
    ck_assert_int_eq(imbal_spec_load("tests/data/outdir.yaml", spec, &errs), IMBAL_OK);
    imbal_error_list_free(&errs);
    (*spec)->seed = seed;
    ck_assert_int_eq(imbal_experiment_prepare(*spec, &ex, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_experiment_run(ex, &ro, NULL), IMBAL_OK);
    return ex;
}

static void write_ok(const imbal_experiment *ex, const char *dir, const imbal_report_options *o)
{
    imbal_error err;
    imbal_error_clear(&err);
    ck_assert_msg(imbal_report_write(ex, dir, o, &err) == IMBAL_OK, "%s: %s", dir, err.msg);
}

static void setup(void)
{
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(root, sizeof(root), "%s/imbal_outdir_XXXXXX", base);
    ck_assert_ptr_nonnull(mkdtemp(root));
    ex_a = run_seed(&spec_a, 1);
    ex_b = run_seed(&spec_b, 2);
    write_ok(ex_a, in_root("ref_a"), &with_models);
    write_ok(ex_b, in_root("ref_b"), &without_models);
    ck_assert(set_read(in_root("ref_a"), &set_a));
    ck_assert(set_read(in_root("ref_b"), &set_b));
    /* the sets differ in every file, and A has models.csv, B not (or a mix could pass) */
    ck_assert_uint_eq(set_a.n, 6);
    ck_assert_uint_eq(set_b.n, 5);
    for (size_t i = 0; i < 5; i++) {
        ck_assert_str_eq(set_a.name[i + 1], set_b.name[i]); /* models.csv sorts first */
        ck_assert(set_a.len[i + 1] != set_b.len[i] ||
                  memcmp(set_a.text[i + 1], set_b.text[i], set_b.len[i]) != 0);
    }
}

static void teardown(void)
{
    imbal_outdir_set_fault(NULL, NULL);
    set_free(&set_a);
    set_free(&set_b);
    imbal_experiment_free(ex_a);
    imbal_experiment_free(ex_b);
    imbal_spec_free(spec_a);
    imbal_spec_free(spec_b);
    nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Names in root that start with prefix ("." + base: generations, links, the lock). */
static size_t count_prefixed(const char *prefix)
{
    DIR *d = opendir(root);
    struct dirent *e;
    size_t n = 0;
    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL) {
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    }
    closedir(d);
    return n;
}

/* After any failure, a clean run must succeed and leave one generation and the lock only. */
static void assert_recovers(const char *name)
{
    char prefix[64];
    write_ok(ex_b, in_root(name), &without_models);
    ck_assert_int_eq(state_of(in_root(name)), 'B');
    snprintf(prefix, sizeof(prefix), ".%s.", name);
    ck_assert_uint_eq(count_prefixed(prefix), 2);
}

/* ---- fault hooks ---- */

typedef struct {
    int n;    /* steps seen */
    int at;   /* the step to act on (1-based); 0: none */
    int kill; /* there: SIGKILL ourselves; else fail with EIO */
    char names[128][16];
} fault_ctx;

static int fault_hook(const char *step, void *p)
{
    fault_ctx *c = p;
    c->n++;
    if (c->n <= 128) {
        snprintf(c->names[c->n - 1], sizeof(c->names[0]), "%s", step);
    }
    if (c->n == c->at) {
        if (c->kill) {
            raise(SIGKILL);
        }
        return EIO;
    }
    return 0;
}

/* The steps writing B over A take, and which one is the switch (the rename of the link). */
static int count_steps(int *switch_at)
{
    fault_ctx c = {0, 0, 0, {{0}}};
    write_ok(ex_a, in_root("count"), &with_models);
    imbal_outdir_set_fault(fault_hook, &c);
    write_ok(ex_b, in_root("count"), &without_models);
    imbal_outdir_set_fault(NULL, NULL);
    *switch_at = 0;
    for (int i = 0; i < c.n && i < 128; i++) {
        if (strcmp(c.names[i], "rename") == 0) {
            *switch_at = i + 1;
        }
    }
    ck_assert_int_gt(*switch_at, 0);
    return c.n;
}

START_TEST(kill_at_every_step_leaves_old_or_new)
{
    int sw;
    int steps = count_steps(&sw);
    int saw[2] = {0, 0};
    ck_assert_int_ge(steps, 20); /* lock, generation, 5 files x (open, write, fsync, close), ... */
    for (int at = 1; at <= steps; at++) {
        char name[32];
        pid_t pid;
        int status = 0;
        int state;
        snprintf(name, sizeof(name), "k%d", at);
        write_ok(ex_a, in_root(name), &with_models);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            fault_ctx c = {0, at, 1, {{0}}};
            imbal_outdir_set_fault(fault_hook, &c);
            imbal_report_write(ex_b, in_root(name), &without_models, NULL);
            _exit(0);
        }
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "step %d: not killed",
                      at);
        state = state_of(in_root(name));
        ck_assert_msg(state == (at <= sw ? 'A' : 'B'), "killed at step %d: the directory holds %s",
                      at,
                      state == 0     ? "a mix"
                      : state == 'A' ? "A"
                                     : "B");
        saw[state == 'B']++;
        assert_recovers(name);
    }
    ck_assert(saw[0] > 0 && saw[1] > 0);
}
END_TEST

START_TEST(error_at_every_step_keeps_old_or_new)
{
    int sw;
    int steps = count_steps(&sw);
    for (int at = 1; at <= steps; at++) {
        char name[32];
        fault_ctx c = {0, at, 0, {{0}}};
        imbal_error err;
        imbal_status st;
        int state;
        snprintf(name, sizeof(name), "e%d", at);
        write_ok(ex_a, in_root(name), &with_models);
        imbal_error_clear(&err);
        imbal_outdir_set_fault(fault_hook, &c);
        st = imbal_report_write(ex_b, in_root(name), &without_models, &err);
        imbal_outdir_set_fault(NULL, NULL);
        state = state_of(in_root(name));
        if (at <= sw) {
            /* up to the switch, a failed step is a failed run and A is untouched */
            ck_assert_msg(st == IMBAL_EIO && state == 'A', "step %d (%s): status %d, state %c", at,
                          c.names[at - 1], st, state ? state : '?');
            ck_assert_ptr_nonnull(strstr(err.msg, strerror(EIO)));
        } else {
            ck_assert_msg(state == 'B', "step %d (%s): the switch was made, B expected", at,
                          c.names[at - 1]);
        }
        assert_recovers(name);
    }
}
END_TEST

/* A file-size limit below the largest file of B: the write fails (EFBIG, SIGXFSZ ignored) or
 * the kernel kills the run (SIGXFSZ, default action), at each of B's file sizes. */
START_TEST(full_file_system_keeps_old)
{
    for (size_t f = 0; f < set_b.n; f++) {
        for (int sig_default = 0; sig_default < 2; sig_default++) {
            char name[32];
            pid_t pid;
            int status = 0;
            snprintf(name, sizeof(name), "f%zu_%d", f, sig_default);
            write_ok(ex_a, in_root(name), &with_models);
            pid = fork();
            ck_assert_int_ge(pid, 0);
            if (pid == 0) {
                struct rlimit rl;
                rl.rlim_cur = rl.rlim_max = set_b.len[f] - 1;
                signal(SIGXFSZ, sig_default ? SIG_DFL : SIG_IGN);
                if (setrlimit(RLIMIT_FSIZE, &rl) != 0) {
                    _exit(4);
                }
                _exit(imbal_report_write(ex_b, in_root(name), &without_models, NULL) == IMBAL_OK
                          ? 0
                          : 3);
            }
            ck_assert_int_eq(waitpid(pid, &status, 0), pid);
            if (sig_default) {
                ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGXFSZ);
            } else {
                ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 3);
            }
            ck_assert_msg(state_of(in_root(name)) == 'A', "%s over %zu bytes: A was not kept",
                          set_b.name[f], (size_t)set_b.len[f] - 1);
            assert_recovers(name);
        }
    }
}
END_TEST

static void make_victim(const char *path)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("victim\n", f);
    fclose(f);
}

static void assert_victim(const char *path)
{
    char *s = slurp(path);
    ck_assert_str_eq(s, "victim\n");
    free(s);
}

/* Symlinks at the temporary names of every report file (the fixed "<file>.tmp" names an
 * attacker can predict), and at a name shaped like a generation: none is followed. */
START_TEST(planted_symlinks_are_not_followed)
{
    static const char *const files[] = {"runs.csv",     "summary.csv",   "summary.md",
                                        "summary.json", "resolved.yaml", "models.csv"};
    char link[256];
    make_victim(in_root("victim"));
    ck_assert_int_eq(mkdir(in_root("vdir"), 0777), 0);
    make_victim(in_root("vdir/keep"));
    write_ok(ex_a, in_root("p"), &with_models);
    for (size_t i = 0; i < 6; i++) {
        snprintf(link, sizeof(link), "%s/%s.tmp", in_root("p"), files[i]);
        ck_assert_int_eq(symlink(in_root("victim"), link), 0);
    }
    /* a cleanup that followed this would delete vdir/keep */
    ck_assert_int_eq(symlink(in_root("vdir"), in_root(".p.gen-AAAAAA")), 0);
    write_ok(ex_b, in_root("p"), &without_models);
    ck_assert_int_eq(state_of(in_root("p")), 'B');
    assert_victim(in_root("victim"));
    assert_victim(in_root("vdir/keep"));
}
END_TEST

/* A symlink at the lock file, or a directory link imbal did not make, is refused. */
START_TEST(planted_lock_or_directory_link_is_refused)
{
    imbal_error err;
    make_victim(in_root("victim"));
    ck_assert_int_eq(mkdir(in_root("vdir"), 0777), 0);
    make_victim(in_root("vdir/keep"));
    write_ok(ex_a, in_root("l"), &with_models);
    ck_assert_int_eq(unlink(in_root(".l.lock")), 0);
    ck_assert_int_eq(symlink(in_root("victim"), in_root(".l.lock")), 0);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_report_write(ex_b, in_root("l"), &without_models, &err), IMBAL_EIO);
    ck_assert_int_eq(state_of(in_root("l")), 'A');
    assert_victim(in_root("victim"));
    /* results/<name> linked elsewhere by someone: never written through, never replaced */
    ck_assert_int_eq(symlink(in_root("vdir"), in_root("d")), 0);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_report_write(ex_b, in_root("d"), &without_models, &err), IMBAL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "symbolic link imbal did not make"));
    assert_victim(in_root("vdir/keep"));
    ck_assert_int_ne(access(in_root("vdir/runs.csv"), F_OK), 0);
}
END_TEST

/* imbal init and imbal resample write one file: a planted "<file>.tmp" is not followed. */
START_TEST(single_file_write_does_not_follow_planted_links)
{
    char *s;
    make_victim(in_root("victim"));
    ck_assert_int_eq(symlink(in_root("victim"), in_root("out.csv.tmp")), 0);
    ck_assert_int_eq(imbal_write_atomic(in_root("out.csv"), "a,b\n", 4, NULL), IMBAL_OK);
    assert_victim(in_root("victim"));
    s = slurp(in_root("out.csv"));
    ck_assert_str_eq(s, "a,b\n");
    free(s);
}
END_TEST

/* A second run into a locked directory is refused with the first's pid; after it, it runs. */
START_TEST(second_run_is_refused_naming_the_first)
{
    imbal_outdir *od = NULL;
    imbal_error err;
    char pid[32];
    write_ok(ex_a, in_root("c"), &with_models);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_outdir_open(in_root("c"), &od, &err), IMBAL_OK);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_report_write(ex_b, in_root("c"), &without_models, &err), IMBAL_EIO);
    snprintf(pid, sizeof(pid), "pid %ld, started ", (long)getpid());
    ck_assert_msg(strstr(err.msg, pid) != NULL && strstr(err.msg, "in use") != NULL, "%s", err.msg);
    ck_assert_int_eq(state_of(in_root("c")), 'A');
    imbal_outdir_close(od); /* the first gives up: its generation goes, A stays */
    ck_assert_int_eq(state_of(in_root("c")), 'A');
    assert_recovers("c");
}
END_TEST

/* Two processes write A and B in turn into one directory, 100 times each, while this one reads
 * it: every read sees A or B whole, and at the end the directory holds one of them. */
START_TEST(concurrent_runs_never_mix)
{
    int go[2];
    pid_t pid[2];
    int mixes = 0, reads = 0, running = 2;
    write_ok(ex_a, in_root("m"), &with_models);
    ck_assert_int_eq(pipe(go), 0);
    for (int w = 0; w < 2; w++) {
        pid[w] = fork();
        ck_assert_int_ge(pid[w], 0);
        if (pid[w] == 0) {
            char c;
            close(go[1]);
            if (read(go[0], &c, 1) != 0) {
                _exit(5);
            }
            for (int i = 0; i < 100; i++) {
                imbal_error err;
                imbal_status st;
                int a = (i + w) % 2 == 0;
                imbal_error_clear(&err);
                st = imbal_report_write(a ? ex_a : ex_b, in_root("m"),
                                        a ? &with_models : &without_models, &err);
                if (st != IMBAL_OK && strstr(err.msg, "in use by another imbal run") == NULL) {
                    _exit(6);
                }
            }
            _exit(0);
        }
    }
    close(go[0]);
    close(go[1]); /* both start now */
    while (running > 0) {
        fileset s;
        int status;
        for (int w = 0; w < 2; w++) {
            if (pid[w] > 0 && waitpid(pid[w], &status, WNOHANG) == pid[w]) {
                ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
                pid[w] = 0;
                running--;
            }
        }
        if (set_read(in_root("m"), &s)) {
            reads++;
            mixes += !set_eq(&s, &set_a) && !set_eq(&s, &set_b);
            set_free(&s);
        }
    }
    ck_assert_int_eq(mixes, 0);
    ck_assert_int_gt(reads, 0);
    ck_assert_int_ne(state_of(in_root("m")), 0);
}
END_TEST

/* imbal run refuses a directory another run holds, naming it, and leaves it as it was. */
START_TEST(cli_refuses_a_locked_directory)
{
    const char *bin = getenv("BIN") != NULL ? getenv("BIN") : "build/release/imbal";
    imbal_outdir *od = NULL;
    char cmd[1024];
    char pid[32];
    char *msg;
    int rc;
    write_ok(ex_a, in_root("cli"), &with_models);
    ck_assert_int_eq(imbal_outdir_open(in_root("cli"), &od, NULL), IMBAL_OK);
    snprintf(cmd, sizeof(cmd), "%s run tests/data/outdir.yaml -q -o %s 2> %s", bin, in_root("cli"),
             in_root("err"));
    rc = system(cmd);
    imbal_outdir_close(od);
    ck_assert(WIFEXITED(rc) && WEXITSTATUS(rc) == 1);
    msg = slurp(in_root("err"));
    snprintf(pid, sizeof(pid), "(pid %ld, started ", (long)getpid());
    ck_assert_msg(strstr(msg, pid) != NULL, "%s", msg);
    free(msg);
    ck_assert_int_eq(state_of(in_root("cli")), 'A');
}
END_TEST

/* A rerun without models.csv leaves none behind, and an old imbal's real directory of report
 * files is taken over whole, while a directory with other files is refused. */
START_TEST(rerun_leaves_no_stale_models_and_takes_over_old_directories)
{
    imbal_error err;
    FILE *f;
    write_ok(ex_a, in_root("r"), &with_models);
    write_ok(ex_b, in_root("r"), &without_models);
    ck_assert_int_ne(access(in_root("r/models.csv"), F_OK), 0);
    ck_assert_int_eq(state_of(in_root("r")), 'B');
    /* a directory as imbal 0.x left it: report files, a stale models.csv and a .tmp */
    ck_assert_int_eq(mkdir(in_root("old"), 0777), 0);
    for (const char *const *n =
             (const char *const[]){"runs.csv", "models.csv", "summary.csv.tmp", NULL};
         *n != NULL; n++) {
        char p[256];
        snprintf(p, sizeof(p), "old/%s", *n);
        make_victim(in_root(p));
    }
    write_ok(ex_b, in_root("old"), &without_models);
    ck_assert_int_eq(state_of(in_root("old")), 'B');
    ck_assert_uint_eq(count_prefixed(".old."), 2);
    /* a directory with a file imbal does not write is not its to replace */
    ck_assert_int_eq(mkdir(in_root("mine"), 0777), 0);
    make_victim(in_root("mine/notes.txt"));
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_report_write(ex_b, in_root("mine"), &without_models, &err),
                     IMBAL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "notes.txt"));
    assert_victim(in_root("mine/notes.txt"));
    ck_assert_int_ne(access(in_root("mine/runs.csv"), F_OK), 0);
    f = fopen(in_root("plain"), "w");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    ck_assert_int_eq(imbal_report_write(ex_b, in_root("plain"), &without_models, NULL),
                     IMBAL_EINVAL);
}
END_TEST

/* name: and the output directory's last component: '.', '..', '/', control characters, empty,
 * a leading '.' are spec errors naming the key, and the library refuses such a directory. */
START_TEST(output_names_are_validated)
{
    static const char *const bad[] = {"''",        "'.'",         "'..'",      "a/b",
                                      "'../x'",    "\"a\\x01b\"", "\"a\\tb\"", "\"a\\nb\"",
                                      "'.hidden'", "\"a\\x7fb\""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char text[256];
        imbal_error_list errs = {NULL, 0, 0};
        imbal_spec *s = NULL;
        snprintf(text, sizeof(text), "name: %s\ntechniques: [{name: a, sampler: none}]\n", bad[i]);
        ck_assert_int_eq(imbal_spec_load_buffer("spec.yaml", text, strlen(text), &s, &errs),
                         IMBAL_EINVAL);
        ck_assert_uint_ge(errs.n, 1);
        ck_assert_str_eq(errs.items[0].key, "name");
        ck_assert_int_eq(errs.items[0].line, 1);
        imbal_error_list_free(&errs);
        imbal_spec_free(s);
    }
    {
        /* the default name is the file's stem: "..yaml" would give "." */
        const char *text = "techniques: [{name: a, sampler: none}]\n";
        imbal_error_list errs = {NULL, 0, 0};
        imbal_spec *s = NULL;
        ck_assert_int_eq(imbal_spec_load_buffer("d/..yaml", text, strlen(text), &s, &errs),
                         IMBAL_EINVAL);
        ck_assert_str_eq(errs.items[0].key, "name");
        imbal_error_list_free(&errs);
        imbal_spec_free(s);
    }
    ck_assert_int_eq(mkdir(in_root("sub"), 0777), 0);
    for (const char *const *d = (const char *const[]){"sub/..", "sub/.", "sub/../", "", NULL};
         *d != NULL; d++) {
        char p[256];
        snprintf(p, sizeof(p), "%s/%s", root, *d);
        ck_assert_msg(imbal_report_write(ex_b, (*d)[0] != '\0' ? p : "", &without_models, NULL) ==
                          IMBAL_EINVAL,
                      "%s accepted", *d);
    }
    ck_assert_int_ne(access(in_root("runs.csv"), F_OK), 0);
    ck_assert_int_ne(access(in_root("sub/runs.csv"), F_OK), 0);
    ck_assert_ptr_null(imbal_outdir_name_problem("demo-1.2_x y"));
    ck_assert_ptr_nonnull(imbal_outdir_name_problem(".."));
}
END_TEST

/* The single-file writer killed at each of its steps: the file holds the old text or the
 * new, and no temporary file is left visible under the target's name. */
START_TEST(single_file_write_killed_at_every_step)
{
    fault_ctx count = {0, 0, 0, {{0}}};
    const char *path = in_root("one.csv");
    char *s;
    ck_assert_int_eq(imbal_write_atomic(path, "old\n", 4, NULL), IMBAL_OK);
    imbal_outdir_set_fault(fault_hook, &count);
    ck_assert_int_eq(imbal_write_atomic(path, "new\n", 4, NULL), IMBAL_OK);
    imbal_outdir_set_fault(NULL, NULL);
    ck_assert_int_ge(count.n, 5); /* open, write, fsync, close, rename, fsyncdir */
    for (int at = 1; at <= count.n; at++) {
        pid_t pid;
        int status = 0;
        int renamed = 0;
        for (int i = 0; i < at - 1; i++) {
            renamed |= strcmp(count.names[i], "rename") == 0;
        }
        ck_assert_int_eq(imbal_write_atomic(path, "old\n", 4, NULL), IMBAL_OK);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            fault_ctx c = {0, at, 1, {{0}}};
            imbal_outdir_set_fault(fault_hook, &c);
            imbal_write_atomic(path, "new\n", 4, NULL);
            _exit(0);
        }
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFSIGNALED(status));
        s = slurp(path);
        ck_assert_msg(strcmp(s, renamed ? "new\n" : "old\n") == 0, "killed at step %d (%s): %s", at,
                      count.names[at - 1], s);
        free(s);
    }
}
END_TEST

/* A file opened early and written in pieces (the runner streaming runs.csv) is committed
 * with the others, and nothing of it shows before the commit. */
START_TEST(incremental_file_is_committed_with_the_set)
{
    imbal_outdir *od = NULL;
    imbal_outfile *f = NULL;
    char *s;
    write_ok(ex_a, in_root("inc"), &with_models);
    ck_assert_int_eq(imbal_outdir_open(in_root("inc"), &od, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_outdir_create(od, "stream.csv", &f, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_outfile_write(f, "a,b\n", 4, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_outdir_put(od, "other.txt", "x", 1, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_outfile_write(f, "1,2\n", 4, NULL), IMBAL_OK);
    ck_assert_int_eq(state_of(in_root("inc")), 'A');
    /* a second file of the same name, or a path, is refused */
    ck_assert_int_eq(imbal_outdir_put(od, "other.txt", "y", 1, NULL), IMBAL_EIO);
    ck_assert_int_eq(imbal_outdir_put(od, "../x", "y", 1, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_outdir_commit(od, NULL), IMBAL_OK);
    imbal_outdir_close(od);
    s = slurp(in_root("inc/stream.csv"));
    ck_assert_str_eq(s, "a,b\n1,2\n");
    free(s);
    ck_assert_int_ne(access(in_root("inc/runs.csv"), F_OK), 0);
}
END_TEST

/* imbal run -o DIR whose last component is '..' (or '.') is a usage error before any work. */
START_TEST(cli_refuses_dot_dot_output)
{
    const char *bin = getenv("BIN") != NULL ? getenv("BIN") : "build/release/imbal";
    char cmd[1024];
    char *msg;
    int rc;
    ck_assert_int_eq(mkdir(in_root("sub"), 0777), 0);
    snprintf(cmd, sizeof(cmd), "%s run tests/data/outdir.yaml -q -o %s 2> %s", bin,
             in_root("sub/.."), in_root("err"));
    rc = system(cmd);
    ck_assert(WIFEXITED(rc) && WEXITSTATUS(rc) == 2);
    msg = slurp(in_root("err"));
    ck_assert_ptr_nonnull(strstr(msg, "'..' is '.' or '..'"));
    free(msg);
    ck_assert_int_ne(access(in_root("runs.csv"), F_OK), 0);
    ck_assert_int_ne(access(in_root("sub/runs.csv"), F_OK), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("outdir");
    TCase *tc = tcase_create("outdir");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, kill_at_every_step_leaves_old_or_new);
    tcase_add_test(tc, error_at_every_step_keeps_old_or_new);
    tcase_add_test(tc, full_file_system_keeps_old);
    tcase_add_test(tc, planted_symlinks_are_not_followed);
    tcase_add_test(tc, planted_lock_or_directory_link_is_refused);
    tcase_add_test(tc, single_file_write_does_not_follow_planted_links);
    tcase_add_test(tc, second_run_is_refused_naming_the_first);
    tcase_add_test(tc, concurrent_runs_never_mix);
    tcase_add_test(tc, cli_refuses_a_locked_directory);
    tcase_add_test(tc, rerun_leaves_no_stale_models_and_takes_over_old_directories);
    tcase_add_test(tc, output_names_are_validated);
    tcase_add_test(tc, single_file_write_killed_at_every_step);
    tcase_add_test(tc, incremental_file_is_committed_with_the_set);
    tcase_add_test(tc, cli_refuses_dot_dot_output);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
