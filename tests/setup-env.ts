// Environment shared by every test file (set before any module reads it).
(process.env as Record<string, string>).NODE_ENV = "test";
process.env.LOG_LEVEL ??= "silent";
process.env.COUNTERSIGN_ORIGIN ??= "http://localhost:3000";
process.env.COUNTERSIGN_MASTER_KEY ??= "11".repeat(32);
process.env.NEXT_TELEMETRY_DISABLED = "1";
