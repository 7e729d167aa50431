import type { DataSource } from "typeorm";

export interface Statement {
  query: string;
  parameters: unknown[];
}

/** The SQL statements a data source runs while `work` runs, in order, with their parameters. */
export async function statementsOf(db: DataSource, work: () => Promise<unknown>): Promise<Statement[]> {
  const logger = db.logger;
  const statements: Statement[] = [];
  db.logger = new Proxy(logger, {
    get(target, property, receiver) {
      if (property === "logQuery") {
        return (query: string, parameters?: unknown[], ...rest: unknown[]) => {
          statements.push({ query, parameters: parameters ?? [] });
          return (target.logQuery as (...a: unknown[]) => unknown)(query, parameters, ...rest);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
  try {
    await work();
  } finally {
    db.logger = logger;
  }
  return statements;
}
