import { DataSource } from "typeorm";
import { MIGRATIONS } from "../../migrations";
import { ENTITIES } from "../assets/entities";

export function createDataSource(url: string): DataSource {
  return new DataSource({
    type: "postgres",
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: "schema_migrations",
    migrationsTransactionMode: "each",
    uuidExtension: "pgcrypto",
    synchronize: false,
    logging: false,
    extra: { max: 20, application_name: "asset-library" },
  });
}
