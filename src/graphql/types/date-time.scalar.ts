import { GraphQLScalarType } from "graphql";
import { GraphQLDateTimeISO } from "graphql-scalars";

const general = GraphQLDateTimeISO.toConfig();

/**
 * graphql-scalars' DateTimeISO (the scalar type-graphql gives a Date), named, described and
 * parsed as before, so the SDL and every input are unchanged; only writing a valid Date out is
 * direct. Its general serializer took about 2 µs a date, through checks meant for strings and
 * numbers, and a grid page of 100 writes 200 of them; the resolvers here only ever return Dates.
 */
export const DateTimeISO = new GraphQLScalarType({
  ...general,
  serialize(value: unknown): string {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
    return general.serialize!(value) as string;
  },
});
