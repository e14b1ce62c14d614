/* schema_v1.h - for tests: turns an analysis database of the current schema
 * (2) into one of schema 1, what a vgt before the frames' wall times wrote:
 * the same tables without the two columns version 2 added. */
#ifndef VGT_TEST_SCHEMA_V1_H
#define VGT_TEST_SCHEMA_V1_H

#include <sqlite3.h>

static inline int vgt_test_schema_to_v1(sqlite3 *db)
{
    return sqlite3_exec(db,
                        "ALTER TABLE frames DROP COLUMN virtual_wall_ns; ALTER TABLE frames DROP "
                        "COLUMN native_wall_ns; PRAGMA user_version=1;",
                        NULL, NULL, NULL);
}

#endif /* VGT_TEST_SCHEMA_V1_H */
