/* schema_v1.h - for tests: turns an analysis database of the current schema
 * (3) into one of an older schema, what an older vgt wrote:
 *   - schema 2 (before frames.partial): the frames table without the column,
 *     and runs.frames counting every frame row, the partial one too;
 *   - schema 1 (before the frames' wall times): schema 2 without the two
 *     columns version 2 added. */
#ifndef VGT_TEST_SCHEMA_V1_H
#define VGT_TEST_SCHEMA_V1_H

#include <sqlite3.h>

static inline int vgt_test_schema_to_v2(sqlite3 *db)
{
    return sqlite3_exec(db,
                        "ALTER TABLE frames DROP COLUMN partial; UPDATE runs SET frames = (SELECT "
                        "count(*) FROM frames f WHERE f.run_id = runs.run_id); PRAGMA "
                        "user_version=2;",
                        NULL, NULL, NULL);
}

/* A schema-2 database made schema 1. */
static inline int vgt_test_schema_v2_to_v1(sqlite3 *db)
{
    return sqlite3_exec(db,
                        "ALTER TABLE frames DROP COLUMN virtual_wall_ns; ALTER TABLE frames DROP "
                        "COLUMN native_wall_ns; PRAGMA user_version=1;",
                        NULL, NULL, NULL);
}

static inline int vgt_test_schema_to_v1(sqlite3 *db)
{
    int rc = vgt_test_schema_to_v2(db);
    return rc != SQLITE_OK ? rc : vgt_test_schema_v2_to_v1(db);
}

#endif /* VGT_TEST_SCHEMA_V1_H */
