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
  ],
};

export default nextConfig;
