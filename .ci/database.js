// Creates or drops one database on CI's PostgreSQL: node .ci/database.js create|drop NAME
const { Client } = require("pg");

const [action, name] = process.argv.slice(2);
if (!["create", "drop"].includes(action) || !/^[a-z0-9_]+$/.test(name ?? "")) {
  console.error("usage: node .ci/database.js create|drop NAME");
  process.exit(2);
}
const client = new Client({ connectionString: process.env.ADMIN_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" });
client
  .connect()
  .then(() => client.query(action === "create" ? `CREATE DATABASE "${name}"` : `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))
  .then(() => client.end())
  .catch((error) => {
    console.error(`${action} database ${name}: ${error.message}`);
    process.exit(1);
  });
