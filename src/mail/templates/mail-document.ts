/**
 * The shape every mail shares, so a template only chooses words: a greeting, paragraphs,
 * a table of facts, notes, and the signature. One renderer turns it into plain text and
 * one into HTML, and the HTML one escapes every value (a subscriber's name is input).
 */
export interface MailDocument {
  lang: 'ja' | 'en';
  subject: string;
  /** One or more lines: organisation, department, 〇〇 様. */
  greeting: readonly string[];
  blocks: readonly MailBlock[];
  signature: MailSignature;
}

/** A line of text, optionally followed by a URL on its own line (clickable in any mail client). */
export interface MailLine {
  text: string;
  href?: string;
}

export type MailBlock =
  | { kind: 'paragraph'; lines: readonly MailLine[] }
  | { kind: 'facts'; rows: readonly (readonly [label: string, value: string])[] }
  | { kind: 'notes'; heading: string; items: readonly MailLine[] };

/** The signature block every mail ends with (SPEC 1.8): who sends it and where to ask. */
export interface MailSignature {
  /** e.g. 「certdesk 個人用電子証明書 Class2 スタンダード」 and the portal's address. */
  productName: string;
  publicUrl: string;
  /** Operator, support desk, its address, phone and hours: one line each. */
  lines: readonly MailLine[];
  notes: readonly string[];
}

interface TextStyle {
  factSeparator: string;
  bullet: string;
  heading: (text: string) => string;
  rule: string;
}

const textStyles: Record<MailDocument['lang'], TextStyle> = {
  ja: { factSeparator: ': ', bullet: '・', heading: (text) => `【${text}】`, rule: '─'.repeat(30) },
  en: { factSeparator: ': ', bullet: '- ', heading: (text) => `[ ${text} ]`, rule: '-'.repeat(60) },
};

export function renderText(doc: MailDocument): string {
  const style = textStyles[doc.lang];
  const out: string[] = [...doc.greeting, ''];
  const line = (l: MailLine, indent: string): string[] => (l.href === undefined ? [l.text] : [l.text, `${indent}${l.href}`]);
  for (const block of doc.blocks) {
    switch (block.kind) {
      case 'paragraph':
        for (const l of block.lines) out.push(...line(l, '  '));
        break;
      case 'facts':
        for (const [label, value] of block.rows) out.push(`  ${label}${style.factSeparator}${value}`);
        break;
      case 'notes':
        out.push(style.heading(block.heading));
        for (const item of block.items) {
          const [first, ...rest] = line(item, '  ');
          out.push(`${style.bullet}${first ?? ''}`, ...rest);
        }
        break;
    }
    out.push('');
  }
  const sig = doc.signature;
  out.push(style.rule, sig.productName, `${sig.publicUrl}/`, '');
  for (const l of sig.lines) out.push(...line(l, '  '));
  out.push('', ...sig.notes, style.rule, '');
  return out.join('\n');
}

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values alike: every character that could end either is replaced. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => htmlEscapes[c] ?? c);
}

// Mail clients ignore <style> and external CSS unevenly: inline styles only, no images,
// no external resources of any kind.
const s = {
  body: 'margin:0;padding:16px;background:#ffffff;color:#1f2328;font-family:sans-serif;font-size:15px;line-height:1.7;',
  wrap: 'max-width:640px;margin:0 auto;',
  p: 'margin:0 0 16px;',
  table: 'border-collapse:collapse;margin:0 0 16px;',
  th: 'text-align:left;vertical-align:top;padding:4px 16px 4px 0;white-space:nowrap;font-weight:bold;',
  td: 'padding:4px 0;',
  h2: 'font-size:15px;margin:24px 0 8px;',
  ul: 'margin:0 0 16px;padding-left:20px;',
  li: 'margin:0 0 6px;',
  a: 'color:#0b5394;word-break:break-all;',
  hr: 'border:0;border-top:1px solid #d0d7de;margin:24px 0 12px;',
  footer: 'margin:0 0 10px;font-size:13px;color:#57606a;',
};

export function renderHtml(doc: MailDocument): string {
  const e = escapeHtml;
  const link = (href: string) => `<a href="${e(href)}" style="${s.a}">${e(href)}</a>`;
  const line = (l: MailLine) => (l.href === undefined ? e(l.text) : `${e(l.text)}<br>${link(l.href)}`);
  const parts: string[] = [
    '<!DOCTYPE html>',
    `<html lang="${doc.lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(doc.subject)}</title>`,
    '</head>',
    `<body style="${s.body}">`,
    `<div style="${s.wrap}">`,
    `<p style="${s.p}">${doc.greeting.map(e).join('<br>')}</p>`,
  ];
  for (const block of doc.blocks) {
    switch (block.kind) {
      case 'paragraph':
        parts.push(`<p style="${s.p}">${block.lines.map(line).join('<br>')}</p>`);
        break;
      case 'facts':
        parts.push(
          `<table style="${s.table}">`,
          ...block.rows.map(([label, value]) => `<tr><th scope="row" style="${s.th}">${e(label)}</th><td style="${s.td}">${e(value)}</td></tr>`),
          '</table>',
        );
        break;
      case 'notes':
        parts.push(
          `<h2 style="${s.h2}">${e(block.heading)}</h2>`,
          `<ul style="${s.ul}">`,
          ...block.items.map((item) => `<li style="${s.li}">${line(item)}</li>`),
          '</ul>',
        );
        break;
    }
  }
  const sig = doc.signature;
  parts.push(
    `<hr style="${s.hr}">`,
    `<p style="${s.footer}">${[e(sig.productName), link(`${sig.publicUrl}/`)].join('<br>')}</p>`,
    `<p style="${s.footer}">${sig.lines.map(line).join('<br>')}</p>`,
    `<p style="${s.footer}">${sig.notes.map(e).join('<br>')}</p>`,
    '</div>',
    '</body>',
    '</html>',
    '',
  );
  return parts.join('\n');
}

/** Instants are stored in UTC and shown in Japan time (STYLE §5), e.g. 2026年11月27日 17:06. */
export function formatMailInstant(at: Date, lang: MailDocument['lang']): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const time = `${part('hour').padStart(2, '0')}:${part('minute').padStart(2, '0')}`;
  if (lang === 'ja') return `${part('year')}年${part('month')}月${part('day')}日 ${time}(日本時間)`;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][Number(part('month')) - 1] ?? part('month');
  return `${part('day')} ${month} ${part('year')}, ${time} (Japan time)`;
}
