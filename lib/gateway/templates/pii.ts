import { Findings, ibanValid, luhnValid, redact, unitsOf, type Ctx } from "./util";

/**
 * pii: e-mail addresses (outside addressing fields), phone numbers, IBANs (mod-97), payment
 * card numbers (Luhn + issuer prefix), and national ids with their checksum or shape rules:
 * US SSN (area/group/serial rules), Canadian SIN (Luhn), Brazilian CPF (two check digits),
 * Spanish DNI/NIE (mod-23 letter), UK National Insurance number (prefix rules).
 */

/** Members whose e-mail value is the message's addressee, not leaked data. */
const ADDRESS_KEYS = /^(to|cc|bcc|from|reply_to|replyto|reply-to|recipient|recipients|sender|email_to|to_email|from_email|mail_to|user_email|email|attendees|participants|invitees|guests|members|assignee|assignees|reviewers|owner)$/i;

const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b/g;
const CARD = /(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])/g;
const SSN = /(?<![\d-])(\d{3})[- ](\d{2})[- ](\d{4})(?![\d-])/g;
const SSN_CONTEXT = /\b(?:ssn|social security)\b[^\d\n]{0,20}(\d{3})(\d{2})(\d{4})\b/gi;
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b/g;
const PHONE_INTL = /(?<![\w+])\+\d{1,3}[ .-]?\(?\d{1,4}\)?(?:[ .-]?\d{2,4}){2,4}(?!\d)/g;
const PHONE_NANP = /(?<![\w-])\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?![\d-])/g;
const SIN = /(?<![\d-])(\d{3})[- ](\d{3})[- ](\d{3})(?![\d-])/g;
const CPF = /(?<![\d.])(\d{3})\.(\d{3})\.(\d{3})-(\d{2})(?!\d)/g;
const DNI = /\b([XYZ]?)(\d{7,8})-?([A-Z])\b/g;
const NINO = /\b([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])\b/g;

function cardIssuer(d: string): string | null {
  if (/^4/.test(d) && [13, 16, 19].includes(d.length)) return "Visa";
  if (/^(?:5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720))/.test(d) && d.length === 16) return "Mastercard";
  if (/^3[47]/.test(d) && d.length === 15) return "American Express";
  if (/^(?:6011|65|64[4-9])/.test(d) && d.length >= 16) return "Discover";
  if (/^35(?:2[89]|[3-8]\d)/.test(d) && d.length >= 16) return "JCB";
  if (/^3(?:0[0-5]|[68])/.test(d) && d.length === 14) return "Diners Club";
  if (/^(?:62|81)/.test(d) && d.length >= 16) return "UnionPay";
  return null;
}

export function ssnValid(area: string, group: string, serial: string): boolean {
  return area !== "000" && area !== "666" && area[0] !== "9" && group !== "00" && serial !== "0000";
}

export function cpfValid(digits: string): boolean {
  if (!/^\d{11}$/.test(digits) || /^(\d)\1{10}$/.test(digits)) return false;
  const d = digits.split("").map(Number);
  const check = (n: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (d[i] as number) * (n + 1 - i);
    const r = (s * 10) % 11;
    return r === 10 ? 0 : r;
  };
  return check(9) === d[9] && check(10) === d[10];
}

export function dniValid(prefix: string, num: string, letter: string): boolean {
  const p = prefix ? String("XYZ".indexOf(prefix)) : "";
  const n = Number(p + num);
  if ((!prefix && num.length !== 8) || (prefix && num.length !== 7)) return false;
  return "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23] === letter;
}

function digitCount(t: string): number {
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

export function scanPii(ctx: Ctx, out: Findings): void {
  for (const u of unitsOf(ctx)) {
    for (const v of u.variants) {
      const t = v.text;
      if (t.includes("@") && !(u.isKey === false && ADDRESS_KEYS.test(u.key))) {
        for (const m of t.matchAll(EMAIL)) {
          out.add("email", "LOW", u, `an e-mail address (${redact(m[0])}) in content`, v);
          break;
        }
      }
      if (!/\d\D?\d/.test(t)) continue;
      // Each pattern below needs at least this many digits: fewer in the whole text, no match.
      const digits = digitCount(t);
      if (digits >= 13) for (const m of t.matchAll(CARD)) {
        const d = m[0].replace(/[ -]/g, "");
        const issuer = cardIssuer(d);
        if (issuer && luhnValid(d)) {
          out.add("card_number", "HIGH", u, `a ${issuer} card number passing the Luhn check (…${d.slice(-4)})`, v);
          break;
        }
      }
      if (digits >= 9) for (const m of t.matchAll(SSN)) {
        if (ssnValid(m[1] as string, m[2] as string, m[3] as string)) {
          out.add("us_ssn", "HIGH", u, "a US Social Security number (valid area/group/serial) (…" + (m[3] as string).slice(-2) + ")", v);
          break;
        }
      }
      if (digits >= 9 && (v.lower.includes("ssn") || v.lower.includes("social security"))) for (const m of t.matchAll(SSN_CONTEXT)) {
        if (ssnValid(m[1] as string, m[2] as string, m[3] as string)) {
          out.add("us_ssn", "HIGH", u, "a US Social Security number after an SSN label", v);
          break;
        }
      }
      for (const m of t.matchAll(IBAN)) {
        if (ibanValid(m[0])) {
          out.add("iban", "HIGH", u, `an IBAN passing the mod-97 check (${m[0].slice(0, 2)}…${m[0].replace(/\s/g, "").slice(-2)})`, v);
          break;
        }
      }
      if (digits >= 9) for (const m of t.matchAll(SIN)) {
        const d = `${m[1]}${m[2]}${m[3]}`;
        if (/^[1-79]/.test(d) && luhnValid(d)) {
          out.add("ca_sin", "MEDIUM", u, "a Canadian Social Insurance Number passing the Luhn check", v);
          break;
        }
      }
      if (digits >= 11) for (const m of t.matchAll(CPF)) {
        if (cpfValid(`${m[1]}${m[2]}${m[3]}${m[4]}`)) {
          out.add("br_cpf", "HIGH", u, "a Brazilian CPF with valid check digits", v);
          break;
        }
      }
      if (digits >= 7) for (const m of t.matchAll(DNI)) {
        if (dniValid(m[1] as string, m[2] as string, m[3] as string)) {
          out.add("es_dni", "MEDIUM", u, "a Spanish DNI/NIE with a valid control letter", v);
          break;
        }
      }
      if (digits >= 6) for (const m of t.matchAll(NINO)) {
        if (!/^(?:BG|GB|NK|KN|TN|NT|ZZ)$/.test(m[1] as string)) {
          out.add("uk_nino", "MEDIUM", u, "a UK National Insurance number (valid prefix)", v);
          break;
        }
      }
      let phone = false;
      if (digits >= 8 && t.includes("+")) for (const m of t.matchAll(PHONE_INTL)) {
        const d = m[0].replace(/\D/g, "");
        if (d.length >= 8 && d.length <= 15) {
          phone = true;
          out.add("phone", "MEDIUM", u, `a phone number (${redact(m[0])})`, v);
          break;
        }
      }
      if (!phone && digits >= 10) {
        for (const m of t.matchAll(PHONE_NANP)) {
          if (!/^[01]/.test(m[0].replace(/\D/g, ""))) {
            out.add("phone", "MEDIUM", u, `a phone number (${redact(m[0])})`, v);
            break;
          }
        }
      }
    }
  }
}
