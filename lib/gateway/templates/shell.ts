import { COMMAND_KEYS, excerpt, Findings, gated, unitsOf, type Ctx } from "./util";
import { pathTokens, sensitivePath } from "./path";
import type { RiskLevel } from "./types";

/**
 * shell-injection: chaining and substitution metacharacters, pipes into interpreters,
 * download-and-execute, reverse shells, destructive commands, evasion tricks (${IFS}, quote
 * splitting, hex-escaped printf), inline interpreter code, and shell commands smuggled into
 * arguments that are not commands.
 */

const CMD = String.raw`(?:sudo\s+)?(?:rm|cat|curl|wget|nc|ncat|netcat|bash|sh|zsh|dash|ksh|python\d?|perl|ruby|php|node|whoami|id(?=\s*(?:$|[;&|]))|uname|chmod|chown|mkfifo|dd|mkfs|kill|pkill|shutdown|reboot|echo|printf|eval|exec|ls|cp|mv|scp|ssh|telnet|base64|tee|env|printenv|export|crontab|useradd|usermod|passwd|su|xargs|awk|sed|tar|git|npm|pip\d?|apt|apt-get|yum|powershell|pwsh|cmd|certutil|bitsadmin|socat|openssl|nslookup|dig|ping|mkdir|cd|grep|hostname|ifconfig|netstat)\b`;

const RULES: { what: string; gate: string[]; risk: RiskLevel; re: RegExp; explain: string }[] = [
  {
    what: "download_execute",
    gate: ["curl", "wget", "fetch", "iwr", "invoke-webrequest", "iex"],
    risk: "CRITICAL",
    re: /\b(?:curl|wget|fetch|iwr|invoke-webrequest)\b[^|\n]{0,300}\|\s*(?:sudo\s+)?(?:\/(?:usr\/)?bin\/)?(?:ba|z|da|k|c|tc|fi)?sh\b|\b(?:ba|z)?sh\s+(?:-c\s+)?["']?(?:<\(|\$\()\s*(?:curl|wget)\b|\biex\s*\(?\s*(?:\(?\s*new-object\s+net\.webclient|iwr|invoke-webrequest)/i,
    explain: "downloads code and pipes it straight into a shell",
  },
  {
    what: "pipe_to_shell",
    gate: ["|"],
    risk: "CRITICAL",
    re: /\|\s*(?:sudo\s+)?(?:\/(?:usr\/)?bin\/)?(?:(?:ba|z|da|k|c|tc|fi)?sh|python\d?(?:\.\d+)?|perl|ruby|php|node|powershell|pwsh|iex)\b/i,
    explain: "output is piped into a shell or interpreter",
  },
  {
    what: "reverse_shell",
    gate: ["/dev/tcp", "/dev/udp", "nc", "mkfifo", "socat", "pty.spawn", "socket", "-i"],
    risk: "CRITICAL",
    re: /\/dev\/(?:tcp|udp)\/|\b(?:nc|ncat|netcat)\b[^\n|;]{0,100}\s-[a-z]{0,5}[ec]\s|\bmkfifo\b|\bsocat\b[^\n]{0,200}\bexec:|pty\.spawn|\bsocket\.socket\s*\([^\n]{0,300}\bconnect\b|\bbash\s+-i\s*>&|\bsh\s+-i\s*[<>]/i,
    explain: "opens a reverse shell to a remote listener",
  },
  {
    what: "destructive_command",
    gate: ["rm", "mkfs", "dd", ":(", "chmod", "/dev/", "shred"],
    risk: "CRITICAL",
    re: /\brm\s+(?:-{1,2}[a-z][a-z-]{0,19}\s+){0,4}-{1,2}[a-z]{0,10}[rf][a-z]{0,10}\s+(?:--no-preserve-root\s+)?(?:\/|~|\*|\/\*|\$HOME|\.\/?\*?)(?=$|[\s;&|)"'`])|\bmkfs(?:\.\w+)?\s|\bdd\s+[^\n]{0,100}\bof=\/dev\/|:\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;|\bchmod\s+(?:-R\s+)?[0-7]?777\s+\/(?:\s|$)|>\s*\/dev\/(?:sd[a-z]|nvme)|\bshred\s+[^\n]{0,60}\/dev\//i,
    explain: "a destructive command (recursive delete of /, disk wipe, fork bomb)",
  },
  {
    what: "command_substitution",
    gate: ["$("],
    risk: "HIGH",
    re: /\$\(\s*[^)\s]/,
    explain: "$( ) runs a command and splices its output in",
  },
  {
    what: "process_substitution",
    gate: ["<(", ">("],
    risk: "HIGH",
    re: /(?:^|[\s;|&])[<>]\(\s*\w/,
    explain: "<( ) / >( ) process substitution runs a hidden command",
  },
  {
    what: "ifs_evasion",
    gate: ["$"],
    risk: "HIGH",
    re: /\$\{?IFS\}?|\$\{[A-Za-z_]\w{0,30}:\d{1,3}:\d{1,3}\}|\$\{[A-Za-z_]\w{0,30}:?[-=+?]\s?\}|\$'\\x[0-9a-f]{2}/i,
    explain: "shell variable tricks (${IFS}, empty substrings) replace spaces or letters to evade filters",
  },
  {
    what: "hex_escaped_command",
    gate: ["\\x"],
    risk: "HIGH",
    re: /\b(?:printf|echo\s+-e|echo\s+\$')\s*['"]?(?:\\x[0-9a-f]{2}){3,}/i,
    explain: "a command spelled as hex escapes",
  },
  {
    what: "pipe_to_network",
    gate: ["|"],
    risk: "HIGH",
    re: /\|\s*(?:curl|wget|nc|ncat|netcat|telnet|socat|openssl\s+s_client|scp|ftp|tftp)\b/i,
    explain: "output is piped to a network tool",
  },
  {
    what: "network_upload",
    gate: ["curl", "wget"],
    risk: "HIGH",
    re: /\bcurl\b[^\n|;]{0,200}\s(?:-d|--data(?:-binary|-raw|-urlencode)?|-F|--form|-T|--upload-file)\s*['"]?@|\bwget\b[^\n|;]{0,200}--post-file/i,
    explain: "uploads a local file to a remote host",
  },
  {
    what: "decode_pipeline",
    gate: ["base64", "xxd", "openssl"],
    risk: "MEDIUM",
    re: /\bbase64\s+(?:-d|--decode|-D)\b|\|\s*base64\b|\bxxd\s+-r\b|\bopenssl\s+(?:enc|base64)\b/i,
    explain: "encodes or decodes data inside a command (used to hide payloads or stage exfiltration)",
  },
  {
    what: "env_enumeration",
    gate: ["printenv", "env", "export", "compgen", "environ"],
    risk: "MEDIUM",
    re: /^\s*(?:printenv|export\s+-p|compgen\s+-v)\s*(?:$|\|)|^\s*env\s*\||[;&|]\s*(?:printenv|env)\s*(?:$|\|)|\/proc\/(?:self|\d{1,7})\/environ/i,
    explain: "dumps the environment, where API keys live",
  },
  {
    what: "eval",
    gate: ["eval"],
    risk: "HIGH",
    re: /(?:^|[\s;&|(])eval\s+["'$`]/,
    explain: "eval runs a string built at run time",
  },
];

/** Chaining into any command, where the field is a command; elsewhere only into a payload command. */
const CHAIN_IN_COMMAND = new RegExp(String.raw`(?:;|&&|\|\||\x00)\s{0,20}${CMD}`, "i");
const CHAIN_IN_TEXT = /(?:;|&&|\|\||\x00)\s{0,20}(?:sudo\s+)?(?:rm|curl|wget|nc|ncat|netcat|bash|sh|zsh|python\d?|perl|ruby|php|whoami|id(?=\s*(?:$|[;&|]))|uname|chmod|chown|mkfifo|dd|mkfs|eval|exec|base64|printenv|env|socat|telnet|ssh|scp|cat\s+[/~]|powershell|cmd(?:\.exe)?)\b/i;
const CHAIN_GATE = [";", "&&", "||", "\u0000"];
const BACKTICK_IN_COMMAND = new RegExp(String.raw`(?<!\x60)\x60(?!\x60)\s{0,5}${CMD}[^\x60]{0,500}\x60`, "i");
/** In prose, `npm install` is Markdown; only reconnaissance or payload commands count. */
const BACKTICK_IN_TEXT = /(?<!\x60)\x60(?!\x60)\s{0,5}(?:(?:whoami|uname(?:\s+-a)?|printenv)(?=[\s\x60;|&])|(?:cat\s+[/~]|curl\s|wget\s|nc\s|ncat\s|bash\s|sh\s|python\d?\s+-c|perl\s+-e|rm\s+-|chmod\s|nslookup\s|base64\s))[^\x60]{0,500}\x60/i;
const INTERPRETERS = ["python", "perl", "ruby", "node", "php", "osascript"];
const INTERPRETER = /\b(?:python\d?(?:\.\d+)?|perl|ruby|node|php|osascript)\s+-[a-z]{0,3}[ce]\s/i;
const DANGEROUS_CODE = /['"]\/(?:etc|proc|root)\/|os\.system|subprocess|popen|\bexec\s*\(|\beval\s*\(|__import__|urlopen|urllib|http\.client|requests\.(?:get|post)|socket|\bpty\b|b64decode|\bsystem\s*\(|child_process|open\s*\(\s*['"](?:\/etc|\/proc|\/root|~)|getpwuid|shutil\.rmtree|os\.remove|os\.unlink|`[^`]{1,200}`/i;
const QUOTE_SPLIT = /\b([a-z]{0,8})(?:''|"")([a-z]{0,8})\b/gi;
const COMMAND_WORDS = new Set(["cat", "curl", "wget", "bash", "sh", "rm", "whoami", "python", "python3", "perl", "nc", "ncat", "chmod", "id", "uname", "ls", "env", "printenv", "base64", "sudo", "passwd"]);

const QUOTES_GATE = ["''", '""'];
const COMMAND_WORDS_GATE = ["curl", "wget", "sh ", "nc ", "ncat", "rm ", "chmod", "powershell"];
const PATH_GATE = ["/", "~", ".env", "\\"];

export function scanShell(ctx: Ctx, out: Findings): void {
  const shellTool = ctx.nameCategory === "shell" || ctx.nameCategory === "code";
  for (const u of unitsOf(ctx)) {
    const commandContext = shellTool || COMMAND_KEYS.test(u.key);
    for (const v of u.variants) {
      const t = v.text;
      const lower = v.lower;
      for (const r of RULES) {
        if (!gated(lower, r.gate)) continue;
        const m = r.re.exec(t);
        if (m) out.add(r.what, r.risk, u, `${r.explain}: "${excerpt(m[0], 50)}"`, v);
      }
      const ch = gated(lower, CHAIN_GATE) ? (commandContext ? CHAIN_IN_COMMAND : CHAIN_IN_TEXT).exec(t) : null;
      if (ch) out.add("command_chaining", "HIGH", u, `a second command is chained with ; && || or a NUL byte: "${excerpt(ch[0], 50)}"`, v);
      const bt = lower.includes("`") && (commandContext ? BACKTICK_IN_COMMAND : BACKTICK_IN_TEXT).exec(t);
      if (bt) out.add("command_substitution", "HIGH", u, `backticks run a command and splice its output in: "${excerpt(bt[0], 50)}"`, v);
      const im = gated(lower, INTERPRETERS) ? INTERPRETER.exec(t) : null;
      if (im) {
        const rest = t.slice(im.index);
        const d = DANGEROUS_CODE.exec(rest);
        if (d) out.add("inline_interpreter", "HIGH", u, `inline ${im[0].trim()} code calls "${excerpt(d[0], 30)}"`, v);
      }
      for (const m of gated(lower, QUOTES_GATE) ? t.matchAll(QUOTE_SPLIT) : []) {
        const joined = `${m[1] ?? ""}${m[2] ?? ""}`.toLowerCase();
        if (m[1] && m[2] && COMMAND_WORDS.has(joined)) {
          out.add("quote_evasion", "HIGH", u, `empty quotes split the command name "${joined}" to evade filters`, v);
          break;
        }
      }
      if (!commandContext && !u.isKey && gated(lower, COMMAND_WORDS_GATE)) {
        const c = /^\s*(?:sudo\s+)?(?:(?:curl|wget)\s+(?:-{1,2}\w[\w-]{0,19}\s+(?:[^\s-]\S{0,199}\s+)?){0,6}(?:https?:\/\/|ftp:\/\/|[\w-]{1,63}\.[\w.-]{1,200}\/)|(?:ba)?sh\s+-c\s|(?:nc|ncat)\s+-\w|rm\s+-\w*[rf]|chmod\s+\+x\s|powershell\s+-)/i.exec(t);
        if (c) out.add("command_in_argument", "HIGH", u, `a shell command in an argument that is not a command: "${excerpt(c[0], 50)}"`, v);
      }
      if (commandContext && !u.isKey && gated(lower, PATH_GATE)) {
        for (const tok of pathTokens(t)) {
          const s = sensitivePath(tok);
          if (s && s.risk !== "MEDIUM") {
            out.add("sensitive_file_access", "HIGH", u, `the command touches ${s.what}: "${excerpt(tok, 50)}"`, v);
            break;
          }
        }
      }
    }
  }
}
