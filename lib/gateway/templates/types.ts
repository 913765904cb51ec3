export const TEMPLATE_NAMES = [
  "sql-injection",
  "shell-injection",
  "path-traversal",
  "exfiltration",
  "pii",
  "secrets",
  "prompt-injection",
] as const;

export type TemplateName = (typeof TEMPLATE_NAMES)[number];
export type RiskLevel = "LOW" | "MEDIUM" | "HIGH" | "CRITICAL";

export interface ToolCall {
  tool_name: string;
  arguments: unknown;
}

export interface TemplateOptions {
  /** Hosts an exfiltration check accepts: "example.com" also accepts every subdomain of it. */
  allowHosts?: string[];
  /** Directories path-traversal accepts absolute paths under (after normalisation). */
  allowPaths?: string[];
}

export interface TemplateFinding {
  template: TemplateName;
  /** `<template with underscores>:<what>`, e.g. "sql_injection:union_select". */
  signal: string;
  risk: RiskLevel;
  /** RFC 6901 JSON pointer into `arguments` ("" = the arguments value itself). */
  path: string;
  /** Human explanation; never echoes a secret or personal datum in full. */
  detail: string;
}

export const RISK_ORDER: Record<RiskLevel, number> = { LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };
