import { expect } from "chai";
import { Client, types } from "pg";
import { generalTimestamptz, parseTimestamptz } from "../src/db/timestamptz";
import { testService } from "./setup";

const TIMESTAMPTZ = types.builtins.TIMESTAMPTZ;

describe("timestamptz read by position (db/timestamptz.ts)", () => {
  it("reads what PostgreSQL writes, in any session zone, as pg's general parser does", async () => {
    // The service's connections read through it: the general parser is what it replaced.
    expect(types.getTypeParser(TIMESTAMPTZ)).to.equal(parseTimestamptz);
    expect(generalTimestamptz).to.not.equal(parseTimestamptz);
    const general = new Client({ connectionString: testService().runtime.database.url });
    await general.connect();
    try {
      const texts: string[] = [];
      // Whole hours, half and quarter hours, west and east, and a zone with DST.
      for (const zone of ["UTC", "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns", "America/Los_Angeles", "Pacific/Chatham"]) {
        await general.query(`SET TIME ZONE '${zone}'`);
        const { rows } = await general.query<{ t: string }>(
          `SELECT t::text AS t FROM (
             SELECT timestamptz '2026-12-07 22:59:01.123456+00' + (g * interval '37 days 5 hours 7 minutes 11.654321 seconds') AS t FROM generate_series(-400, 400) g
             UNION ALL SELECT now() UNION ALL SELECT date_trunc('second', now()) UNION ALL SELECT timestamptz '2026-03-29 01:30:00.5+00'
             UNION ALL SELECT timestamptz '0099-06-01 12:00:00+00' UNION ALL SELECT timestamptz '0044-03-15 12:00:00+00 BC'
             UNION ALL SELECT timestamptz '12026-01-01 00:00:00+00' UNION ALL SELECT 'infinity'::timestamptz UNION ALL SELECT '-infinity'::timestamptz
           ) s`,
        );
        texts.push(...rows.map((r) => r.t));
      }
      expect(texts.some((t) => /\+05:45$/.test(t)) && texts.some((t) => /-03:30$/.test(t)) && texts.some((t) => / BC$/.test(t))).to.equal(true);
      for (const text of texts) {
        const [ours, theirs] = [parseTimestamptz(text), generalTimestamptz(text)];
        expect(ours instanceof Date ? ours.getTime() : ours, text).to.equal(theirs instanceof Date ? theirs.getTime() : theirs);
      }
    } finally {
      await general.end();
    }
  });
});
