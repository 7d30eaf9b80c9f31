/* README.md's examples, run as printed: every ```yaml block is saved in configs/ of a scratch
 * project (its datasets/ and configs/ linked to the real ones) and must pass `imbal validate`;
 * every `./imbal ...` line of a ```sh block (continuation lines joined, the comment cut) is run
 * there and must succeed, except lines with a placeholder in capitals (SPEC). The binary is
 * $BIN (set by make check), else build/release/imbal. The scratch project is a fresh mkdtemp
 * directory per test, so concurrent test runs (several worktrees) never share one. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

/* The scratch project's directory (mkdtemp: helpers and CI jobs may run the suite at once) */
static char scratch[64];

static const char *bin(void)
{
    const char *b = getenv("BIN");
    return b != NULL && b[0] != '\0' ? b : "build/release/imbal";
}

static int sh(const char *cmd)
{
    int rc = system(cmd);
    ck_assert_int_ne(rc, -1);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* A scratch project: datasets -> the real one, configs/ with links to the real configs,
 * ./imbal -> the binary under test, and mydata.csv (a copy of abalone19.csv) for the quick
 * start's "your own data" lines. */
static void scratch_project(void)
{
    char cwd[PATH_MAX];
    char cmd[8 * PATH_MAX];
    char binpath[2 * PATH_MAX + 2];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
    if (bin()[0] == '/') {
        snprintf(binpath, sizeof(binpath), "%s", bin());
    } else {
        snprintf(binpath, sizeof(binpath), "%s/%s", cwd, bin());
    }
    snprintf(scratch, sizeof(scratch), "/tmp/imbal_readme_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(scratch));
    snprintf(cmd, sizeof(cmd),
             "mkdir -p %s/configs && ln -s %s/datasets %s/datasets && ln -s %s/configs/*.yaml "
             "%s/configs/ && ln -s %s %s/imbal && cp %s/datasets/abalone19.csv %s/mydata.csv",
             scratch, cwd, scratch, cwd, scratch, binpath, scratch, cwd, scratch);
    ck_assert_int_eq(sh(cmd), 0);
}

static void scratch_remove(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
    ck_assert_int_eq(sh(cmd), 0);
}

/* The fenced blocks of README.md in the given language, each a malloc'd string; returns n. */
static size_t readme_blocks(const char *lang, char **blocks, size_t max)
{
    char *text = slurp("README.md");
    char fence[32];
    size_t n = 0;
    char *p = text;
    snprintf(fence, sizeof(fence), "```%s\n", lang);
    while ((p = strstr(p, fence)) != NULL && n < max) {
        char *start = p + strlen(fence);
        char *end = strstr(start, "\n```");
        ck_assert_ptr_nonnull(end);
        blocks[n] = strndup(start, (size_t)(end - start) + 1);
        ck_assert_ptr_nonnull(blocks[n]);
        n++;
        p = end + 4;
    }
    free(text);
    return n;
}

START_TEST(yaml_blocks_validate)
{
    char *blocks[16];
    size_t n;
    scratch_project();
    n = readme_blocks("yaml", blocks, 16);
    ck_assert_uint_ge(n, 1);
    for (size_t i = 0; i < n; i++) {
        char path[256];
        char cmd[1024];
        char out[128];
        FILE *f;
        snprintf(path, sizeof(path), "%s/configs/readme_%zu.yaml", scratch, i + 1);
        snprintf(out, sizeof(out), "%s/validate.out", scratch);
        f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fputs(blocks[i], f);
        fclose(f);
        snprintf(cmd, sizeof(cmd), "cd %s && ./imbal validate configs/readme_%zu.yaml > %s 2>&1",
                 scratch, i + 1, out);
        ck_assert_msg(sh(cmd) == 0, "README.md yaml block %zu fails imbal validate:\n%s", i + 1,
                      slurp(out));
        free(blocks[i]);
    }
    scratch_remove();
}
END_TEST

/* Whether a command line names a placeholder (a word in capitals, e.g. SPEC). */
static int has_placeholder(const char *line)
{
    const char *p = line;
    while (*p != '\0') {
        size_t len = strcspn(p, " ");
        size_t caps = 0;
        for (size_t i = 0; i < len; i++) {
            caps += p[i] >= 'A' && p[i] <= 'Z';
        }
        if (len > 0 && caps == len) {
            return 1;
        }
        p += len + (p[len] == ' ');
    }
    return 0;
}

START_TEST(imbal_command_lines_run)
{
    char *blocks[16];
    size_t n;
    size_t ran = 0;
    scratch_project();
    n = readme_blocks("sh", blocks, 16);
    for (size_t i = 0; i < n; i++) {
        char *save = NULL;
        char line[2048] = "";
        for (char *l = strtok_r(blocks[i], "\n", &save); l != NULL;
             l = strtok_r(NULL, "\n", &save)) {
            size_t len;
            char cmd[4096];
            if (line[0] == '\0' && strncmp(l, "./imbal ", 8) != 0) {
                continue;
            }
            strncat(line, l, sizeof(line) - strlen(line) - 1);
            len = strlen(line);
            if (len > 0 && line[len - 1] == '\\') {
                line[len - 1] = ' '; /* a continuation line follows */
                continue;
            }
            if (strstr(line, " #") != NULL) {
                *strstr(line, " #") = '\0';
            }
            if (!has_placeholder(line)) {
                char out[128];
                snprintf(out, sizeof(out), "%s/cmd.out", scratch);
                snprintf(cmd, sizeof(cmd), "cd %s && %s > %s 2>&1", scratch, line, out);
                ck_assert_msg(sh(cmd) == 0, "README.md: '%s' fails:\n%s", line, slurp(out));
                ran++;
            }
            line[0] = '\0';
        }
        free(blocks[i]);
    }
    ck_assert_uint_ge(ran, 7); /* the Usage block's runs, techniques and resample */
    scratch_remove();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("readme");
    TCase *tc = tcase_create("examples");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, yaml_blocks_validate);
    tcase_add_test(tc, imbal_command_lines_run);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
