/* vgt leaks TRACE [--limit N] [--json] [--salvage]: the objects the guest
 * created and never destroyed, and the misuse of their ids, found in the
 * recorded commands (vgt_leaks, replay/leaks.c), as apitrace leaks does. */
#include "vgt_cli.h"
#include "vgt_replay.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
    printf("usage: vgt leaks TRACE [--limit N] [--json] [--salvage]\n\n"
           "Reads an SVGA trace's commands (no replay) and reports, per kind of object\n"
           "(surfaces, contexts, shaders by context and type, GMRs, screens, queries by\n"
           "context and type, video overlay units; fences are values):\n"
           "  alive     objects defined and never destroyed: id, the seq and frame of\n"
           "            their define, their size (surface format and dimensions, GMR\n"
           "            pages, screen and overlay destination size) and the seq of\n"
           "            their last use (a command naming the id); an overlay unit is\n"
           "            alive from the FLUSH that shows it\n"
           "  misuse    destroy-undefined (a destroy of an id never defined),\n"
           "            destroy-twice (of an id destroyed already), redefine (a\n"
           "            surface, context or shader defined over a live id: the executor\n"
           "            destroys the old one, the guest lost it; GMRs and screens are\n"
           "            redefined by design), dangling (a use of an id not alive),\n"
           "            unused (defined, never named by a command); a FLUSH of an\n"
           "            overlay unit no SET_REGS configured is dangling, and so is\n"
           "            the GMR or screen it reads\n"
           "  queries   query-open (begun, never ended: left at the end or dead with\n"
           "            its context), query-not-begun (END_QUERY of a query not open,\n"
           "            WAIT_FOR_QUERY of one never begun in its context),\n"
           "            query-rebegun (BEGIN_QUERY of an open one)\n"
           "  fences    fence-reused (a FENCE value not ahead of the one before,\n"
           "            modulo 2^32: wrapping is fine)\n"
           "Objects of a trace that starts with a SNAPSHOT (a capture started mid-run,\n"
           "vgt trim's output) count as defined at the snapshot, GMRs at their first\n"
           "mention (the snapshot does not hold them); its FENCE register (the last\n"
           "fence passed) is the fence its first FENCE must be ahead of.  Past %u\n"
           "objects of a kind the new ones are counted, not judged (said).\n\n"
           "  --limit N   objects and issues listed per kind and problem (default 20)\n"
           "  --json      one JSON object (docs/cli.md)\n"
           "  --salvage   skip damaged chunks (reported) instead of stopping\n\n"
           "Exit: 0 no leak or misuse, 3 found, 1 usage, 2 unreadable or damaged trace,\n"
           "not an SVGA trace (with --salvage: a chunk was skipped).\n",
           VGT_LEAKS_MAX_IDS);
    return VGT_EXIT_OK;
}

static void size_text(const vgt_leak_object *o, char *buf, size_t size)
{
    buf[0] = '\0';
    if (o->kind == VGT_LEAK_SURFACE) {
        const char *f = vgt_svga3d_format_name(o->format);
        snprintf(buf, size, " %s %ux%ux%u", f ? f : "format?", o->width, o->height, o->depth);
    } else if (o->kind == VGT_LEAK_GMR) {
        if (o->pages) {
            snprintf(buf, size, " %u pages", o->pages);
        } else {
            snprintf(buf, size, " pages unknown");
        }
    } else if (o->kind == VGT_LEAK_SCREEN || o->kind == VGT_LEAK_OVERLAY) {
        snprintf(buf, size, " %ux%u", o->width, o->height);
    }
}

/* "surface 7", "shader 3 (context 1, ps)". */
static void name_text(vgt_leak_kind kind, uint32_t id, uint32_t cid, uint32_t type, char *buf,
                      size_t size)
{
    if (kind == VGT_LEAK_SHADER) {
        snprintf(buf, size, "shader %u (context %u, %s)", id, cid,
                 type == 1   ? "vs"
                 : type == 2 ? "ps"
                             : "type?");
    } else if (kind == VGT_LEAK_QUERY) {
        const char *t = vgt_svga3d_query_type_name(type);
        snprintf(buf, size, "query %s (context %u)", t ? t : "type?", cid);
    } else if (kind == VGT_LEAK_OVERLAY) {
        snprintf(buf, size, "overlay unit %u", id);
    } else {
        snprintf(buf, size, "%s %u", vgt_leak_kind_name(kind), id);
    }
}

static const char *cmd_text(uint32_t cmd)
{
    return cmd ? vgt_cmd_name(cmd) : "register write";
}

static bool has_findings(const vgt_leaks_result *r)
{
    bool any = false;
    for (int k = 0; k < VGT_LEAK_KINDS; k++) {
        any |= r->kinds[k].alive != 0;
    }
    for (int p = 0; p < VGT_LEAK_PROBLEMS; p++) {
        any |= r->problems[p] != 0;
    }
    return any;
}

static void text_report(const char *path, const vgt_leaks_result *r)
{
    printf("leaks: %s: %" PRIu64 " command%s", path, r->walk.commands,
           vgt_plural(r->walk.commands));
    if (r->walk.commands) {
        char frames[96];
        vgt_cli_frames_text(frames, sizeof(frames), r->walk.first_frame, r->walk.last_frame,
                            r->walk.last_frame_partial);
        printf(", guest %s", frames);
    }
    if (r->walk.undecodable) {
        printf(", %" PRIu64 " undecodable (skipped)", r->walk.undecodable);
    }
    if (r->walk.rejected) {
        printf(", %" PRIu64 " rejected by the device (changed nothing; vgt dump lists why)",
               r->walk.rejected);
    }
    if (r->walk.rejected_overflow) {
        printf(", more than %u device errors: the later rejected commands judged as if they ran",
               VGT_LEAKS_MAX_ERRORS);
    }
    printf("\n");
    if (r->walk.has_snapshot) {
        printf("starts at a snapshot (guest frame %" PRIu64 ", seq %" PRIu64
               "): its objects count as defined there\n",
               r->snapshot_frame, r->snapshot_seq);
    }
    /* what defined, destroyed and alive mean for each kind */
    static const char *const verbs[VGT_LEAK_KINDS][3] = {
        {"defined", "destroyed", "alive"}, {"defined", "destroyed", "alive"},
        {"defined", "destroyed", "alive"}, {"defined", "destroyed", "alive"},
        {"defined", "destroyed", "alive"}, {"begun", "ended", "open"},
        {"shown", "hidden", "shown"},      {"", "", ""}, /* fences: their own line */
    };
    for (int k = 0; k < VGT_LEAK_KINDS; k++) {
        const vgt_leak_kind_stats *s = &r->kinds[k];
        if (k == VGT_LEAK_FENCE) {
            /* a FENCE is in the trace once the device ran it, which passes it */
            printf("  %-8s %" PRIu64 " FENCE command%s, each passed when the device ran it\n",
                   "fence", s->defined, vgt_plural(s->defined));
            continue;
        }
        const char *const *v = verbs[k];
        printf("  %-8s %" PRIu64 " %s (%" PRIu64 " at the snapshot), %" PRIu64 " %s, %" PRIu64
               " %s at the end",
               vgt_leak_kind_name((vgt_leak_kind)k), s->defined, v[0], s->snapshot, s->destroyed,
               v[1], s->alive, v[2]);
        if (s->overflow) {
            printf("; more than %u ids: %" PRIu64 " defines, destroys and uses past them not "
                   "judged",
                   VGT_LEAKS_MAX_IDS, s->untracked);
        }
        printf("\n");
    }
    printf("  misuse:");
    for (int p = 0; p < VGT_LEAK_PROBLEMS; p++) {
        printf("%s %" PRIu64 " %s", p ? "," : "", r->problems[p],
               vgt_leak_problem_name((vgt_leak_problem)p));
    }
    printf("\n");
    size_t i = 0;
    for (int k = 0; k < VGT_LEAK_KINDS; k++) {
        if (!r->kinds[k].alive) {
            continue;
        }
        printf("alive %ss:\n", vgt_leak_kind_name((vgt_leak_kind)k));
        uint64_t shown = 0;
        for (; i < r->nalive && r->alive[i].kind == (vgt_leak_kind)k; i++, shown++) {
            const vgt_leak_object *o = &r->alive[i];
            char name[96], size[96];
            name_text(o->kind, o->id, o->cid, o->type, name, sizeof(name));
            size_text(o, size, sizeof(size));
            printf("  %s%s: defined ", name, size);
            if (o->snapshot) {
                printf("at the snapshot (seq %" PRIu64 ", frame %" PRIu64 ")", o->define_seq,
                       o->define_frame);
            } else {
                printf("seq %" PRIu64 " frame %" PRIu64 " %s", o->define_seq, o->define_frame,
                       cmd_text(o->define_cmd));
            }
            if (o->used) {
                printf(", last used seq %" PRIu64 "\n", o->last_use_seq);
            } else {
                printf(", never used\n");
            }
        }
        if (r->kinds[k].alive > shown) {
            printf("  ... %" PRIu64 " more\n", r->kinds[k].alive - shown);
        }
    }
    i = 0;
    for (int p = 0; p < VGT_LEAK_PROBLEMS; p++) {
        if (!r->problems[p]) {
            continue;
        }
        printf("%s:\n", vgt_leak_problem_name((vgt_leak_problem)p));
        uint64_t shown = 0;
        for (; i < r->nissues && r->issues[i].problem == (vgt_leak_problem)p; i++, shown++) {
            const vgt_leak_issue *s = &r->issues[i];
            char name[96];
            name_text(s->kind, s->id, s->cid, s->type, name, sizeof(name));
            printf("  seq %" PRIu64 " frame %" PRIu64 " %s: %s", s->seq, s->frame, cmd_text(s->cmd),
                   name);
            char ref[64] = "";
            if (s->ref_seq != UINT64_MAX) {
                snprintf(ref, sizeof(ref), " at seq %" PRIu64, s->ref_seq);
            }
            switch (s->problem) {
            case VGT_LEAK_DESTROY_UNDEFINED:
                printf(" never defined\n");
                break;
            case VGT_LEAK_DESTROY_TWICE:
                printf(" destroyed already%s\n", ref);
                break;
            case VGT_LEAK_REDEFINE:
                printf(" alive, defined%s\n", ref);
                break;
            case VGT_LEAK_DANGLING:
                printf(" %s%s\n",
                       s->kind == VGT_LEAK_OVERLAY ? "never configured (no SET_REGS)"
                       : s->ref_seq == UINT64_MAX  ? "never defined"
                                                   : "destroyed",
                       ref);
                break;
            case VGT_LEAK_QUERY_OPEN:
                if (s->ref_seq == UINT64_MAX) {
                    printf(" never ended, open at the end\n");
                } else {
                    printf(" never ended, died with its context%s\n", ref);
                }
                break;
            case VGT_LEAK_QUERY_NOT_BEGUN:
                printf(" not begun%s%s\n", s->ref_seq == UINT64_MAX ? "" : ", ended already", ref);
                break;
            case VGT_LEAK_QUERY_REBEGUN:
                printf(" begun again, open since%s\n", ref);
                break;
            case VGT_LEAK_FENCE_REUSED:
                /* no seq: the last fence passed before a snapshot (its FENC) */
                printf(" not after fence %u%s\n", s->ref_value,
                       s->ref_seq == UINT64_MAX ? ", passed before the snapshot" : ref);
                break;
            default:
                printf(" never used, %s%s\n",
                       s->ref_seq == UINT64_MAX ? "not destroyed" : "destroyed", ref);
                break;
            }
        }
        if (r->problems[p] > shown) {
            printf("  ... %" PRIu64 " more\n", r->problems[p] - shown);
        }
    }
    printf("%s\n", has_findings(r) ? "found: leaks or misuse" : "clean: no leak, no misuse");
}

static void json_seq(const char *key, uint64_t v)
{
    if (v == UINT64_MAX) {
        printf("\"%s\": null", key);
    } else {
        printf("\"%s\": %" PRIu64, key, v);
    }
}

static void json_report(const char *path, const vgt_leaks_result *r)
{
    printf("{\n  \"file\": ");
    vgt_cli_json_string(stdout, path);
    printf(",\n  \"commands\": %" PRIu64 ", \"undecodable\": %" PRIu64 ", \"rejected\": %" PRIu64
           ", \"rejected_overflow\": %s,\n",
           r->walk.commands, r->walk.undecodable, r->walk.rejected,
           r->walk.rejected_overflow ? "true" : "false");
    printf("  \"snapshot\": ");
    if (r->walk.has_snapshot) {
        printf("{\"frame\": %" PRIu64 ", \"seq\": %" PRIu64 "},\n", r->snapshot_frame,
               r->snapshot_seq);
    } else {
        printf("null,\n");
    }
    printf("  \"kinds\": {");
    for (int k = 0; k < VGT_LEAK_KINDS; k++) {
        const vgt_leak_kind_stats *s = &r->kinds[k];
        printf("%s\n    \"%s\": {\"defined\": %" PRIu64 ", \"snapshot\": %" PRIu64
               ", \"destroyed\": %" PRIu64 ", \"alive\": %" PRIu64 ", \"untracked\": %" PRIu64
               ", \"overflow\": %s}",
               k ? "," : "", vgt_leak_kind_name((vgt_leak_kind)k), s->defined, s->snapshot,
               s->destroyed, s->alive, s->untracked, s->overflow ? "true" : "false");
    }
    printf("\n  },\n  \"problems\": {");
    for (int p = 0; p < VGT_LEAK_PROBLEMS; p++) {
        printf("%s\"%s\": %" PRIu64, p ? ", " : "", vgt_leak_problem_name((vgt_leak_problem)p),
               r->problems[p]);
    }
    printf("},\n  \"alive\": [");
    for (size_t i = 0; i < r->nalive; i++) {
        const vgt_leak_object *o = &r->alive[i];
        printf("%s\n    {\"kind\": \"%s\", \"id\": %u", i ? "," : "", vgt_leak_kind_name(o->kind),
               o->id);
        if (o->kind == VGT_LEAK_SHADER) {
            printf(", \"cid\": %u, \"type\": %u", o->cid, o->type);
        }
        printf(", \"snapshot\": %s, \"define_seq\": %" PRIu64 ", \"define_frame\": %" PRIu64
               ", \"define_command\": ",
               o->snapshot ? "true" : "false", o->define_seq, o->define_frame);
        vgt_cli_json_string(stdout, cmd_text(o->define_cmd));
        printf(", ");
        json_seq("last_use_seq", o->used ? o->last_use_seq : UINT64_MAX);
        if (o->kind == VGT_LEAK_SURFACE) {
            const char *f = vgt_svga3d_format_name(o->format);
            printf(", \"format\": ");
            vgt_cli_json_string(stdout, f ? f : "?");
            printf(", \"width\": %u, \"height\": %u, \"depth\": %u", o->width, o->height, o->depth);
        } else if (o->kind == VGT_LEAK_GMR) {
            printf(", \"pages\": %u", o->pages);
        } else if (o->kind == VGT_LEAK_SCREEN || o->kind == VGT_LEAK_OVERLAY) {
            printf(", \"width\": %u, \"height\": %u", o->width, o->height);
        }
        printf("}");
    }
    printf("\n  ],\n  \"issues\": [");
    for (size_t i = 0; i < r->nissues; i++) {
        const vgt_leak_issue *s = &r->issues[i];
        printf("%s\n    {\"problem\": \"%s\", \"kind\": \"%s\", \"id\": %u", i ? "," : "",
               vgt_leak_problem_name(s->problem), vgt_leak_kind_name(s->kind), s->id);
        if (s->kind == VGT_LEAK_SHADER || s->kind == VGT_LEAK_QUERY) {
            printf(", \"cid\": %u, \"type\": %u", s->cid, s->type);
        }
        printf(", \"seq\": %" PRIu64 ", \"frame\": %" PRIu64 ", \"command\": ", s->seq, s->frame);
        vgt_cli_json_string(stdout, cmd_text(s->cmd));
        printf(", ");
        json_seq("ref_seq", s->ref_seq);
        if (s->problem == VGT_LEAK_FENCE_REUSED) {
            printf(", \"ref_value\": %u", s->ref_value);
        }
        printf("}");
    }
    printf("\n  ],\n  \"skipped_chunks\": %s,\n", r->walk.skipped ? "true" : "false");
    if (r->walk.problems_lost) {
        /* found without memory to record them: the report may lack what they held */
        printf("  \"problems_not_recorded\": %zu,\n", r->walk.problems_lost);
    }
    printf("  \"found\": %s\n}\n", has_findings(r) ? "true" : "false");
}

typedef struct leaks_ctx {
    vgt_leaks_options o;
    vgt_leaks_result r;
} leaks_ctx;

static vgt_status leaks_walk(vgt_trace_reader *rd, void *ctx, vgt_error *err)
{
    leaks_ctx *x = ctx;
    return vgt_leaks(rd, &x->o, &x->r, err);
}

int vgt_cmd_leaks(int argc, char **argv)
{
    if (vgt_cli_wants_help(argc, argv)) {
        return usage();
    }
    const char *path = NULL;
    unsigned long long limit = 20;
    bool json = false, salvage = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) {
            json = true;
        } else if (strcmp(a, "--salvage") == 0) {
            salvage = true;
        } else if (strcmp(a, "--limit") == 0 && i + 1 < argc &&
                   vgt_cli_parse_u64(argv[i + 1], UINT32_MAX, &limit)) {
            i++;
        } else if (a[0] == '-' && a[1] != '\0') {
            /* --limit without its count or with a bad one lands here too */
            static const vgt_cli_value_option leaks_value_options[] = {
                {"--limit", "a count 0..4294967295"}};
            return vgt_cli_bad_option("leaks", argc, argv, i, leaks_value_options, 1);
        } else if (!path) {
            path = a;
        } else {
            return vgt_cli_fail(VGT_EXIT_USAGE, "leaks", "one TRACE only (see vgt leaks --help)");
        }
    }
    if (!path) {
        return vgt_cli_fail(VGT_EXIT_USAGE, "leaks", "missing TRACE (see vgt leaks --help)");
    }
    leaks_ctx x = {.o = {.limit = (uint32_t)limit}};
    /* as vgt replay warns: a killed capture's last objects may die in what
     * is missing, so "alive at the end" means at the cut */
    int rc = vgt_cli_walk_trace("leaks", path, salvage, "analyzed", leaks_walk, &x);
    if (rc == VGT_EXIT_OK) {
        if (json) {
            json_report(path, &x.r);
        } else {
            text_report(path, &x.r);
        }
        /* problems found without memory to record them may be chunks skipped */
        rc = x.r.walk.skipped || x.r.walk.problems_lost ? VGT_EXIT_DATA
             : has_findings(&x.r)                       ? VGT_EXIT_DIFFER
                                                        : VGT_EXIT_OK;
    }
    vgt_leaks_result_free(&x.r);
    return rc;
}
