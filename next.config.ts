import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "pg",
    "web-push",
    "nodemailer",
    // Loaded from node_modules at run time: one copy per process (the OpenTelemetry API keeps its
    // global state per copy), and the SDK's optional exporters are not bundled.
    "prom-client",
    "@opentelemetry/api",
    "@opentelemetry/sdk-node",
    "@opentelemetry/sdk-trace-base",
    "@opentelemetry/exporter-trace-otlp-http",
    "@prisma/instrumentation",
    // Turnkey's client (lib/turnkey): @turnkey/crypto carries its own @peculiar/x509, whose tsyringe
    // needs reflect-metadata loaded first; bundled next to @simplewebauthn's copy, page-data
    // collection of /api/responses failed. Node loads them from node_modules as the tests do.
    "@turnkey/http",
    "@turnkey/api-key-stamper",
    "@turnkey/crypto",
  ],
};

export default nextConfig;
