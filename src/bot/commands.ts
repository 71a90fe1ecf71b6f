// The /crm command grammar, shared by Slack (slash command) and Teams (typed message).
import { closestMatch } from "../domain/closest-match.js";

export interface CommandSpec {
  name: string;
  summary: string;
  examples: string[];
  /** Only shown in help to admins. */
  isAdmin?: boolean;
}

export const COMMANDS: CommandSpec[] = [
  { name: "help", summary: "List the commands with examples", examples: ["help"] },
  { name: "whoami", summary: "Show who Switchboard thinks you are: name, email, role, teams", examples: ["whoami"] },
  {
    name: "call",
    summary: "Log a phone call (form), or in one line: partner, colon, what was said, duration or a time for a planned call",
    examples: ["call", "call Acme Corp: discussed renewal, 20m", "call from Globex: asked about pricing, 1h", "call Acme: send the quote tomorrow 10am", "call Acme: left a voicemail", "call CALL-0042"],
  },
  { name: "calls", summary: "Your planned calls for today and the overdue ones", examples: ["calls"] },
  {
    name: "case",
    summary: "Open a case (form), or in one line: [customer, colon,] the problem, !priority, #type; or show one case",
    examples: ["case", "case Acme: printer jams on tray 2 !high #hardware", "case VPN drops every hour #network", "case CASE-0042"],
  },
  { name: "cases", summary: "Your open cases, next to work first (level, priority, oldest)", examples: ["cases"] },
  {
    name: "claim",
    summary: "Open a customer or supplier claim (form), or in one line: [supplier] partner, colon, what went wrong, #category, !priority, ref:document; or show one claim",
    examples: ["claim", "claim Acme: 3 units arrived broken #shipment !high", "claim supplier Globex: wrong parts #supplier-return ref:PO-2026-0042", "claim CLM-0042"],
  },
  { name: "claims", summary: "Open claims you are responsible for, then your teams' open claims", examples: ["claims"] },
  { name: "customer", summary: "A partner's history: open cases, open claims, recent calls", examples: ["customer Acme"] },
  {
    name: "lead",
    summary: "Capture a lead (form), or in one line: contact, company, email and/or phone, colon, the title, #tags, $revenue ($40k, $12,500), !priority (!low … !veryhigh); or show one",
    examples: ["lead", "lead Jane Roe, Globex, jane@globex.com: wants 40 seats #saas $40k !high", "lead Visitor at the booth wants a demo", "lead LEAD-0042"],
  },
  { name: "leads", summary: "Your open leads and opportunities, newest first", examples: ["leads"] },
  { name: "opp", summary: "Show an opportunity by reference, find open ones by title, company or customer, or list yours", examples: ["opp OPP-0042", "opp Globex", "opp"] },
  {
    name: "pipeline",
    summary: "Open opportunities per stage (count, expected revenue), weighted forecast and overdue next actions: yours, or your teams' if you manage any",
    examples: ["pipeline", "pipeline mine", "pipeline Sales"],
  },
  {
    name: "meet",
    summary: "Plan a meeting (form), or in one line: customer, when, for how long, with whom (mentions, names, emails), and how it repeats",
    examples: ["meet", "meet Acme tomorrow 3pm for 45m with @ana and bob@acme.com", "meet Acme: quarterly review every Tuesday 10am for 1h with Ana Ruiz", "meet import https://example.com/calendar.ics"],
  },
  { name: "meeting", summary: "Show one meeting: its time, attendees and their answers", examples: ["meeting MTG-0042"] },
  { name: "agenda", summary: "Your meetings and planned calls: today, tomorrow, the next 7 days or a date", examples: ["agenda", "agenda tomorrow", "agenda week", "agenda 2026-12-01"] },
  {
    name: "calendar",
    summary: "Your private calendar feed: a link to subscribe to your meetings from Google Calendar, Outlook or Apple Calendar (shown once; make a new one or turn it off)",
    examples: ["calendar"],
  },
  { name: "merge", summary: "Ask a manager to merge 2 to 5 leads or opportunities (a form, with the named ones ticked)", examples: ["merge OPP-0012 OPP-0015", "merge OPP-0012 OPP-0015 LEAD-0020"] },
  {
    name: "visits",
    summary: "Recurring visits to every partner of a category (GOLD…): list the plans, plan new ones (managers), switch one off",
    examples: ["visits", "visits new"],
  },
  {
    name: "category",
    summary: "Partner categories: list them with their counts, show one category's partners and why, add or remove one by hand (managers)",
    examples: ["category", "category GOLD", "category GOLD add Acme Corp", "category GOLD remove Acme Corp"],
  },
  {
    name: "campaigns",
    summary: "Marketing campaigns, running first, each with its channel, dates and counts: leads, opportunities, won revenue, cases; new campaign and close (managers)",
    examples: ["campaigns"],
  },
  { name: "campaign", summary: "One campaign: its counts, leads by stage; edit or close it (managers)", examples: ["campaign Spring promo"] },
  {
    name: "channels",
    summary: "Where leads and cases come from (email, phone, web…), on or off, with their counts; add one or switch one off (admins)",
    examples: ["channels", "channels add Trade fair", "channels off Social"],
  },
  {
    name: "contract",
    summary: "A customer's contracts (dates, billing, prepaid hours used; renew, edit, close), one contract by reference, or a new one (form)",
    examples: ["contract Acme", "contract CTR-0042", "contract"],
  },
  {
    name: "rules",
    summary: "Automation rules: list them, write or edit one (a form), switch on or off, delete, or try one on a record (dry run)",
    examples: ["rules"],
    isAdmin: true,
  },
  {
    name: "admin",
    summary: "Set up users, roles and teams; list and retry undelivered notifications",
    examples: [
      "admin user add ana@example.com --name \"Ana Ruiz\" --role manager --team Support",
      "admin user list",
      "admin team add Support --kind support --alias support@example.com --slack-channel C123",
      "admin team list",
      "admin outbox",
    ],
    isAdmin: true,
  },
];

export type ParsedCommand = { ok: true; name: string; args: string } | { ok: false; unknown: string; suggestion?: string };

/** Splits "call Acme: …" into the subcommand and the rest; unknown words get the closest match. */
export function parseCommand(text: string): ParsedCommand {
  const trimmed = text.trim().replace(/^\/?crm\s+/i, "");
  if (trimmed === "") return { ok: true, name: "help", args: "" };
  const word = trimmed.split(/\s+/, 1)[0] ?? "";
  const name = word.toLowerCase();
  const args = trimmed.slice(word.length).trim();
  if (COMMANDS.some((c) => c.name === name)) return { ok: true, name, args };
  return { ok: false, unknown: word, suggestion: closestMatch(name, COMMANDS.map((c) => c.name), { maxRatio: 1 / 2 }) };
}

/** Splits `add ana@x.com --name "Ana Ruiz" --role manager` into words and --flags. */
export function parseArgs(text: string): { words: string[]; flags: Record<string, string> } {
  const tokens = [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
  const words: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.startsWith("--")) {
      const [key, inline] = token.slice(2).split("=", 2);
      const next = tokens[i + 1];
      if (inline !== undefined) flags[key!] = inline;
      else if (next !== undefined && !next.startsWith("--")) flags[key!] = tokens[++i]!;
      else flags[key!] = "true";
    } else words.push(token);
  }
  return { words, flags };
}
