// Two migrations for crash tests: the second one sleeps mid-way.
export const slowMigrations = [
  { name: "20260101000000_first", sql: `CREATE TABLE "First" (id int);`, checksum: "1".repeat(64) },
  {
    name: "20260102000000_slow",
    sql: `CREATE TABLE "Second" (id int); INSERT INTO "Second" VALUES (1); SELECT pg_sleep(3); INSERT INTO "Second" VALUES (2);`,
    checksum: "2".repeat(64),
  },
];
