import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveOverSocket } from "../../src/db/embedded.js";

describe("the embedded database under concurrent connections", () => {
  let db: PGlite;
  let served: Awaited<ReturnType<typeof serveOverSocket>>;
  beforeAll(async () => {
    db = await PGlite.create();
    served = await serveOverSocket(db);
  });
  afterAll(async () => {
    await served?.stop();
    await db?.close();
  });

  it("keeps each connection's parameterised queries and transactions whole when they interleave", async () => {
    const pools = [new pg.Pool({ connectionString: served.url, max: 4 }), new pg.Pool({ connectionString: served.url, max: 4 })];
    try {
      await pools[0]!.query("CREATE TABLE t (id serial PRIMARY KEY, v text)");
      const results = await Promise.allSettled(
        Array.from({ length: 600 }, async (_, i) => {
          const pool = pools[i % 2]!;
          if (i % 5 === 0) {
            const c = await pool.connect();
            try {
              await c.query("BEGIN");
              await c.query("INSERT INTO t (v) VALUES ($1)", [`row ${i}`]);
              await c.query("COMMIT");
            } finally {
              c.release();
            }
            return;
          }
          const r = i % 3 ? await pool.query("SELECT $1::int + $2::int AS x", [i, 1]) : await pool.query("SELECT $1::text AS a, $2::text AS b, $3::int AS c", [String(i), "b", 3]);
          expect(r.rows[0]).toEqual(i % 3 ? { x: i + 1 } : { a: String(i), b: "b", c: 3 });
        }),
      );
      expect(results.filter((r) => r.status === "rejected")).toEqual([]);
      expect((await pools[0]!.query("SELECT count(*)::int AS n FROM t")).rows[0]).toEqual({ n: 120 });
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it("rolls back and frees the session when a connection dies inside a transaction", async () => {
    const dying = new pg.Client({ connectionString: served.url });
    await dying.connect();
    dying.on("error", () => undefined);
    await dying.query("CREATE TABLE u (v int)");
    await dying.query("BEGIN");
    await dying.query("INSERT INTO u VALUES (1)");
    (dying as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const other = new pg.Client({ connectionString: served.url });
    await other.connect();
    try {
      expect((await other.query("SELECT count(*)::int AS n FROM u")).rows[0]).toEqual({ n: 0 });
    } finally {
      await other.end();
    }
  });
});
