import { types } from "pg";

/** pg's own parser, which anything unusual still goes to. */
export const generalTimestamptz = types.getTypeParser(types.builtins.TIMESTAMPTZ) as (text: string) => Date;

/**
 * A `timestamptz` as PostgreSQL writes it with DateStyle ISO ("2026-12-07 22:59:01.123456+00",
 * the offset "+05:30" in other zones) read by position instead of by pg's general regular
 * expressions: a page of 100 assets carries three per row, and the general parser cost about as
 * much as all the page's other columns together. Anything else (BC, infinity, a year before 100
 * or after 9999) goes to the general parser. Fractions past milliseconds are cut, as there.
 */
export function parseTimestamptz(text: string): Date {
  const length = text.length;
  if (length < 22 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 32 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) {
    return generalTimestamptz(text);
  }
  let at = 19;
  let ms = 0;
  if (text.charCodeAt(at) === 46) {
    at++;
    for (let scale = 100; at < length; at++, scale /= 10) {
      const digit = text.charCodeAt(at) - 48;
      if (digit < 0 || digit > 9) break;
      if (scale >= 1) ms += digit * scale;
    }
  }
  const sign = text.charCodeAt(at);
  const zone = length - at;
  if ((sign !== 43 && sign !== 45) || (zone !== 3 && !(zone === 6 && text.charCodeAt(at + 3) === 58))) return generalTimestamptz(text);
  const year = number(text, 0, 4);
  if (year < 100) return generalTimestamptz(text);
  const offsetMinutes = number(text, at + 1, 2) * 60 + (zone === 6 ? number(text, at + 4, 2) : 0);
  const utc = Date.UTC(year, number(text, 5, 2) - 1, number(text, 8, 2), number(text, 11, 2), number(text, 14, 2), number(text, 17, 2), ms);
  return new Date(utc - (sign === 43 ? 1 : -1) * offsetMinutes * 60_000);
}

function number(text: string, from: number, digits: number): number {
  let value = 0;
  for (let i = from; i < from + digits; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
}

/** Every pg connection of this process reads timestamptz through parseTimestamptz (the job queue's too). */
export function useFastTimestamptz(): void {
  types.setTypeParser(types.builtins.TIMESTAMPTZ, parseTimestamptz);
}
