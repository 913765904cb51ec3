import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";

/** Documents for AI agents, generated from the route contracts (lib/agent-docs). */
const tags = ["Agent docs"];

export const skillMarkdown = defineRoute({
  method: "GET",
  path: "/skill.md",
  summary: "Agent skill: how an agent asks a human for approval (seed 004 routes), as Markdown",
  tags,
  auth: ["public"],
  produces: "text/markdown",
  responses: { 200: z.string() },
});

export const skillManifest = defineRoute({
  method: "GET",
  path: "/skill/manifest.json",
  summary: "Machine-readable skill manifest: endpoints, authentication and links",
  tags,
  auth: ["public"],
  responses: { 200: z.record(z.string(), z.unknown()) },
});

export const llmsTxt = defineRoute({
  method: "GET",
  path: "/.well-known/llms.txt",
  summary: "llms.txt discovery file pointing agents to the skill, manifest and OpenAPI description",
  tags,
  auth: ["public"],
  produces: "text/plain",
  responses: { 200: z.string() },
});
