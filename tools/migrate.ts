/** `npm run migrate`: apply prisma/migrations to DATABASE_URL (a real PostgreSQL server). */
import { migrate } from "@/lib/db/migrate";

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write("DATABASE_URL is not set. (npm start migrates the embedded database by itself.)\n");
  process.exit(2);
}
const r = await migrate(url);
process.stdout.write(JSON.stringify(r, null, 2) + "\n");
