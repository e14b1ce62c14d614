/* analysis_outcome.c - how vgt analyze and vgt tui TRACE end an analysis:
 * the damaged chunks named, the --salvage hint, the count of chunks
 * skipped.  One place, so that both verbs say it in the same words. */
#include "vgt_analyze.h"
#include "vgt_cli.h"

#include <inttypes.h>
#include <stdlib.h>

int vgt_cli_analysis_failed(const char *verb, int code, bool salvage, const vgt_analyze_result *res,
                            const char *message)
{
    const vgt_trace_problem **list = vgt_cli_problem_pointers(res->problems, res->nproblems);
    size_t n = list ? res->nproblems : 0;
    vgt_cli_report_problems(verb, "", list, n, res->problems_untold + (list ? 0u : res->nproblems),
                            salvage, false, message);
    vgt_cli_report_unrecorded(verb, "", res->nproblems + res->problems_untold,
                              res->problems_unrecorded);
    int rc = vgt_cli_fail(code, verb, "%s%s", message,
                          vgt_cli_salvage_hint_problems(list, n, salvage, message));
    free(list);
    return rc;
}

void vgt_cli_analysis_skipped(const char *verb, const vgt_analyze_result *res, bool warned)
{
    const vgt_trace_problem **list = vgt_cli_problem_pointers(res->problems, res->nproblems);
    vgt_cli_report_problems(verb, "", list, list ? res->nproblems : 0,
                            res->problems_untold + (list ? 0u : res->nproblems), true, warned,
                            NULL);
    free(list);
    vgt_cli_report_unrecorded(verb, "", res->nproblems + res->problems_untold,
                              res->problems_unrecorded);
}

int vgt_cli_analysis_salvaged(const char *verb, const vgt_analyze_result *res)
{
    if (!res->chunks_skipped && res->problems_unrecorded) {
        /* problems found with no memory to record them (said with the
         * others) may be chunks skipped: not a sound trace's run */
        return vgt_cli_fail(VGT_EXIT_DATA, verb,
                            "%zu integrity problem%s not recorded (out of memory): the trace "
                            "may be damaged",
                            res->problems_unrecorded, vgt_plural(res->problems_unrecorded));
    }
    if (!res->chunks_skipped) {
        return VGT_EXIT_OK;
    }
    /* stored and reported, but from a damaged trace: exit 2 after the
     * whole result, as vgt replay --salvage does, when the damage reached
     * the range or the frames replayed for its state.  Damage after a
     * --frames range only (met by the read of the capture's timings, by no
     * replay of the run) is said, and the exit is 0, as vgt replay and vgt
     * trim --frames A-B exit where they stop at B (docs/cli.md) */
    bool after_range = res->ranged && !res->ndamaged && !res->more_damaged && !res->nstate_damaged;
    char damaged[512];
    vgt_analyze_salvage_text(damaged, sizeof(damaged), (const uint64_t(*)[2])res->damaged,
                             res->ndamaged, res->more_damaged, res->ranged,
                             (const uint64_t(*)[2])res->state_damaged, res->nstate_damaged);
    /* problems not recorded: the count and the frames above may lack theirs */
    char unrecorded[96] = "";
    if (res->problems_unrecorded) {
        snprintf(unrecorded, sizeof(unrecorded),
                 "; %zu more problem%s not recorded (out of memory)", res->problems_unrecorded,
                 vgt_plural(res->problems_unrecorded));
    }
    return vgt_cli_fail(
        after_range && !res->problems_unrecorded ? VGT_EXIT_OK : VGT_EXIT_DATA, verb,
        "%" PRIu64 " damaged chunk%s skipped (--salvage): the trace is damaged%s; %s%s",
        res->chunks_skipped, vgt_plural(res->chunks_skipped), after_range ? " after the range" : "",
        damaged, unrecorded);
}
