import { excerpt, Findings, gated, unitsOf, type Ctx } from "./util";
import type { RiskLevel } from "./types";

/**
 * prompt-injection: text in tool arguments that tries to steer the model reading it —
 * instructions to ignore or override policies (also in French, Spanish, German, Italian,
 * Portuguese, Russian, Chinese, Japanese), role hijacks and jailbreak personas, requests to
 * disclose the system prompt, fake system/INST tags, hidden (indirect) instructions, encoded
 * instructions to decode-and-run, and instructions to call tools or send data elsewhere.
 * Text is matched after NFKD normalisation with invisible characters removed (a walk variant).
 */

const GAP = String.raw`(?:\W+\w+){0,4}?\W+`;
const QUAL = String.raw`(?:previous|prior|above|earlier|preceding|former|original|initial|all|any|every|your|system|safety|ethical|content|existing|current|these|those|developer'?s?|old)`;
const NOUN = String.raw`(?:instructions?|directives?|rules|guidelines|guidance|prompts?|context|messages?|constraints|polic(?:y|ies)|restrictions|safeguards|guardrails|filters|programming|training|commands|orders|safety)`;
const PERSONA_NOUN = String.raw`(?:ai|assistant|model|chatbot|bot|gpt[\w-]*|llm|system|persona|character)`;

const RULES: { what: string; gate: string[]; risk: RiskLevel; re: RegExp; explain: string }[] = [
  {
    what: "ignore_instructions",
    gate: ["ignore", "disregard", "forget", "override", "bypass", "circumvent", "set aside", "neglect", "discard", "abandon"],
    risk: "CRITICAL",
    re: new RegExp(String.raw`\b(?:ignore|disregard|forget|override|bypass|circumvent|set\s+aside|neglect|discard|abandon)\b(?:\W+\w+){0,3}?\W+${QUAL}\b(?:\W+\w+){0,3}?\W+${NOUN}\b`, "i"),
    explain: "tells the model to ignore or override its instructions or policies",
  },
  {
    what: "ignore_instructions",
    gate: ["ignore", "disregard", "forget"],
    risk: "CRITICAL",
    re: /\b(?:ignore|disregard)\s+(?:the|your|this)\s+(?:user|human|operator|developer|system)\b|\bforget\s+(?:what|everything|anything)\s+(?:i|you|we)\b[^.\n]{0,40}\b(?:told|said|before|earlier)\b/i,
    explain: "tells the model to ignore or override its instructions or policies",
  },
  {
    what: "ignore_instructions",
    gate: ["ignor", "игнор", "忽略", "无视", "忘记", "無視", "むし"],
    risk: "CRITICAL",
    re: /\bignore[zr]?\s+(?:toutes?\s+)?(?:les|des|vos)\s+(?:\w+\s+)?(?:instructions|consignes|regles)\b|\bignora(?:r)?\s+(?:todas\s+)?(?:las|tus)\s+(?:\w+\s+)?(?:instrucciones|reglas|indicaciones)\b|\bignorier(?:e|en)?\s+(?:alle\s+)?(?:\w+\s+)?(?:anweisungen|regeln|instruktionen)\b|\bignora\s+(?:tutte\s+)?(?:le\s+)?(?:\w+\s+)?(?:istruzioni|regole)\b|\bignor(?:e|a|ar)\s+(?:todas\s+)?(?:as\s+)?(?:\w+\s+)?(?:instrucoes|regras)\b|игнорируй(?:те)?\s+(?:все\s+)?(?:\S+\s+)?(?:инструкции|указания|правила)|(?:忽略|无视|忘记|無視)[^。，,.]{0,8}(?:指令|指示|说明|規則|规则|提示)|(?:指示|命令)を(?:無視|むし)/iu,
    explain: "tells the model to ignore its instructions (non-English)",
  },
  {
    what: "new_instructions",
    gate: ["new", "updated", "revised", "real", "actual", "your", "highest", "process", "treat"],
    risk: "HIGH",
    re: /\b(?:new|updated|revised|real|actual)\s+(?:instructions?|task|directives?|rules|role|objective|orders)\s*(?::|is\b|are\b)|\byour\s+(?:new|sole|only|real)\s+(?:task|goal|purpose|job|objective)\s+(?:is|now)\b|\bhighest\s+priority\s+(?:system\s+)?(?:directives?|instructions?)\b|\b(?:process|treat)\s+(?:the\s+following|this)\s+as\s+(?:a\s+)?(?:highest[\w\s]{0,20})?system\s+(?:instructions?|directives?)/i,
    explain: "installs new instructions for the model",
  },
  {
    what: "disable_safety",
    gate: ["content", "safety", "ethical", "moral", "restrictions", "limitations", "filters", "constraints", "usual"],
    risk: "CRITICAL",
    re: /\b(?:suspend|disable|turn\s+off|deactivate|lift|remove|bypass|circumvent|without|no)\s+(?:all\s+|any\s+|your\s+|the\s+)?(?:content|safety|ethical|moral)\s+(?:filters?|restrictions|guidelines|guardrails|policies|moderation|constraints|limitations|rules|checks)\b|\b(?:all\s+)?(?:restrictions|limitations|filters|constraints)\s+(?:have\s+been|are)\s+(?:lifted|removed|disabled|suspended)\b|\b(?:suspend|disable|turn\s+off|lift|remove)\s+(?:all|any|your)\s+(?:filters|restrictions|limitations|guardrails|safeguards)\b|\bwithout\s+(?:applying\s+)?(?:the\s+)?usual\s+(?:content\s+)?(?:filters|restrictions)\b/i,
    explain: "asks the model to drop its safety filters",
  },
  {
    what: "unrestricted_mode",
    gate: ["unrestricted", "unfiltered", "uncensored", "jailbr", "unconstrained", "unlimited", "mode", "anything now", "no ", "without any"],
    risk: "HIGH",
    re: new RegExp(String.raw`\b(?:unrestricted|unfiltered|uncensored|jailbroken|unconstrained|unlimited)\s+(?:${PERSONA_NOUN}|mode|operation|output|responses?|research\s+configuration|configuration)\b|\b(?:respond|answer|reply|output|operate|act|function|behave)\w*${GAP}(?:uncensored|unfiltered|unrestricted|unconstrained)\b|\b(?:developer|admin|god|debug|sudo|dan|evil|jailbreak)\s+mode\b|\bjailbr(?:eak|oken)\b|\bdo\s+anything\s+now\b|\bno\s+(?:content\s+)?(?:restrictions|limitations|limits|filters|guidelines|rules)\b(?:\W+\w+){0,3}?\W+(?:respond|answer|reply|comply|output|apply)|\b(?:with|has|have)\s+no\s+(?:content\s+|safety\s+)?(?:restrictions|limitations|filters|safety\s+guidelines|guidelines)\b|\bwithout\s+any\s+(?:content\s+)?(?:restrictions|limitations|filters)\b|\bno\s+limitations\b`, "i"),
    explain: "asks for an unrestricted or jailbroken mode",
  },
  {
    what: "role_hijack",
    gate: ["you are", "from now on", "act as", "pretend", "role", "adopt", "assume", "take on", "impersonate", "you can now", "now you can"],
    risk: "HIGH",
    re: /\byou\s+are\s+now\s+(?!(?:subscribed|registered|logged|signed|connected|enrolled|ready|able|eligible|a\s+member|part\s+of|following|using|viewing|on\b|at\b|in\s+the\b|set\s+up|done|all\s+set|verified)\b)\w|\bfrom\s+now\s+on,?\s+(?:you|your|act|respond|answer)\b|\bact\s+as\s+(?:if|though)\b|\bpretend\s+(?:that\s+)?(?:you\s+are|you're|to\s+be)\b|\brole-?\s?play\s+as\b|\b(?:adopt|assume|take\s+on)\s+(?:the|a|an)\s+(?:\w+\s+){0,2}(?:persona|role|identity|perspective)\s+of\b|\bimpersonate\b|\byou\s+are\s+(?:dan|stan|dude|aim|kevin|grok[\w-]*)\b|\b(?:you\s+can\s+now|now\s+you\s+can)\s+do\s+anything\b/i,
    explain: "tries to give the model a different role or persona",
  },
  {
    what: "prompt_leak",
    gate: ["system", "instructions", "directives", "initiali", "prompt", "configuration", "guidelines", "guidance", "rules"],
    risk: "HIGH",
    re: /\b(?:(?:reveal|show|print|output|display|repeat|reproduc|translat|dump|leak|disclos|give|list|shar|provid|enumerat|restat|recall|tell|describ|summari[sz])\w{0,4}|what\s+(?:is|are|were))\b(?:\W+\w+){0,6}?\W+(?:system\s+prompt|system\s+message|initial\s+prompt|(?:confidential|hidden|secret|privileged|original|initial|initialization|startup|developer|core|exact|prior)\s+(?:instructions|directives|prompt|configuration)|(?:instructions|guidelines|directives|guidance|rules)\s+you\s+(?:were|have\s+been)\s+given|initiali[sz]ation\s+(?:instructions|parameters|strings|details|configuration)|(?:core|operational)\s+directives)\b/i,
    explain: "asks the model to disclose its system prompt or hidden instructions",
  },
  {
    what: "prompt_leak",
    gate: ["confidential", "hidden", "secret", "privileged", "repeat", "everything above", "instructions"],
    risk: "HIGH",
    re: /\b(?:confidential|hidden|secret|privileged)\s+(?:instructions|directives|system\s+prompt)\b|\brepeat\s+(?:the|all|every)\s+(?:\w+\s+)?(?:words|text|lines|sentences|content|instructions)\s+(?:above|before)\b|\beverything\s+above\b|\binstructions\s+you\s+were\s+given\b|\b(?:what|which)\s+(?:were|are)\s+(?:your|the)\s+(?:exact\s+|original\s+)?instructions\b/i,
    explain: "asks the model to disclose its system prompt or hidden instructions",
  },
  {
    what: "fake_system_tag",
    gate: ["system", "sys", "inst", "<|", "###", "override"],
    risk: "HIGH",
    re: /\[\[?\s*system\s*\]\]?|<\s*\/?\s*system\s*>|<<\s*\/?\s*sys\s*>>|\[\s*\/?\s*inst\s*\]|<\|\s*(?:im_start|im_end|system|endoftext)\s*\|>|###\s*(?:system|instructions?)\s*:|\[\s*system\s+(?:context|note|override|message|update|prompt)|\bsystem\s+(?:override|context\s+update)\b|\bpriority\s+override\b|\bsystem:\s*you\s+are\b/i,
    explain: "fakes a system/instruction boundary (e.g. [[SYSTEM]], <system>, [INST], <<SYS>>)",
  },
  {
    what: "hidden_instruction",
    gate: ["<!--", "user", "you read", "you see", "you process", "you summar", "you pars", "note to", "reading this", "processing this", "hidden"],
    risk: "HIGH",
    re: /<!--[^>]{0,300}\b(?:ignore|instruction|assistant|ai|model|email|send|system)\b|\bthe\s+user\s+(?:actually|really|secretly)\s+wants\s+you\s+to\b|\b(?:when|if|once)\s+you\s+(?:read|see|process|summari[sz]e|parse)\s+this\b|\bnote\s+to\s+(?:the\s+)?(?:ai|assistant|model|llm|agent|reviewer)\b|\b(?:ai|assistant|llm|agent)s?\s+(?:reading|processing)\s+this\b|\bhidden\s*:/i,
    explain: "an instruction hidden in content for the model that will read it (indirect injection)",
  },
  {
    what: "encoded_instruction",
    gate: ["decode", "decrypt", "deobfuscate", "base64", "rot13", "reverse", "unscramble"],
    risk: "HIGH",
    re: /\b(?:decode|decrypt|deobfuscate|base64|rot13|reverse|unscramble)\b(?:\W+\w+){0,6}?\W+(?:and|then)\s+(?:execute|run|follow|obey|do|perform|apply)\b/i,
    explain: "asks the model to decode hidden text and act on it",
  },
  {
    what: "tool_instruction",
    gate: ["_", "tool", "function", "command", "python", "code"],
    risk: "MEDIUM",
    re: /\b(?:call|invoke|use|run|execute|trigger)\s+(?:the\s+)?[a-z]+_[a-z_]+(?:\s+(?:tool|function))?\s+(?:with|to|on)\b|\buse\s+the\s+\w+\s+(?:tool|function)\s+to\b|\b(?:run|execute)\s+(?:this\s+|the\s+following\s+)?(?:shell\s+command|command|python|code)\s*:/i,
    explain: "instructs the model to call a tool",
  },
  {
    what: "exfil_instruction",
    gate: ["@"],
    risk: "MEDIUM",
    re: /\b(?:email|e-mail|send|forward|upload|post|exfiltrate|leak|transmit|copy)\b(?:\W+\w+){0,6}?\W+(?:to|at)\s+[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,100}\.[a-z]{2,24}\b/i,
    explain: "instructs the model to send data to an e-mail address",
  },
  {
    what: "secret_request",
    gate: ["key", "secret", "credential", "password", "token", "env", "sensitive", "confidential"],
    risk: "HIGH",
    re: /\b(?:print|output|reveal|respond\s+with|give\s+me|list|show|send|dump|display)\b(?:\W+\w+){0,4}?\W+(?:api\s+keys?|secrets?|credentials|passwords?|tokens?|private\s+keys?|env(?:ironment)?\s+variables?)\b(?:\W+\w+){0,4}?\W+(?:in\s+your\s+context|from\s+the\s+environment|you\s+have|you\s+know|in\s+memory|in\s+the\s+system)\b|\bevery\s+api\s+key\b|\blist\s+all\s+(?:sensitive|confidential|secret)\s+(?:data|information)\b|\breveal\s+all\s+secrets\b/i,
    explain: "asks the model to hand over secrets it can see",
  },
];

export function scanPrompt(ctx: Ctx, out: Findings): void {
  for (const u of unitsOf(ctx)) {
    for (const v of u.variants) {
      // A single token without spaces carries no sentence; only tags like [[SYSTEM]] or <|im_start|> could matter.
      if (!/[\s\u3000]/.test(v.text) && !/[\[<#]/.test(v.text) && !/[^\x00-\x7f]/.test(v.text)) continue;
      for (const r of RULES) {
        if (!gated(v.lower, r.gate)) continue;
        const m = r.re.exec(v.text);
        if (m) out.add(r.what, r.risk, u, `${r.explain}: "${excerpt(m[0], 60)}"`, v);
      }
    }
  }
}
