import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, runCommand, type Who } from "../../src/bot/dispatch.js";
import type { MessageView, Reply } from "../../src/bot/views/view.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const slack = { commandPrefix: "/crm " };

function viewOf(reply: Reply): MessageView {
  expect(reply.kind).toBe("message");
  if (reply.kind !== "message") throw new Error(`expected a message, got ${reply.kind}`);
  expect(reply.visibility).toBe("private");
  return reply.view;
}

/** Everything a person would read in the reply, as one string. */
function readAll(view: MessageView): string {
  return [view.text, ...view.blocks.flatMap((b) => ("text" in b ? [b.text] : b.type === "fields" ? b.fields.map((f) => `${f.label}: ${f.value}`) : []))].join("\n");
}

describe("/crm admin through the dispatcher", () => {
  let h: HandlerHarness;
  let admin: Who;
  let agent: Who;
  const admin_ = (text: string) => runCommand(h.deps, admin, `admin ${text}`, slack).then(viewOf);

  beforeAll(async () => {
    h = await handlerHarness();
    admin = await aPerson(h.db, { role: "admin" });
    agent = await aPerson(h.db, { role: "agent" });
  });
  afterAll(async () => h?.close());

  it("adds a team with its kind, alias and Slack channel", async () => {
    const view = await admin_("team add Support --kind support --alias Support@Example.com --slack-channel C0123ABCD");
    expect(view.text).toBe("Team added: Support");
    expect(readAll(view)).toMatch(/make sure the Switchboard app is in it/);
    const team = await h.db.team.findUniqueOrThrow({ where: { name: "Support" } });
    expect(team).toMatchObject({ kind: "support", emailAlias: "support@example.com", slackChannelId: "C0123ABCD", managerId: null, parentId: null });
    expect(await h.db.timelineEntry.findFirst({ where: { recordType: "team", recordId: team.id } })).toMatchObject({ kind: "admin", actorId: admin.user.id, summary: "Team Support added" });
  });

  it("adds a user with a role and teams, before they ever use chat", async () => {
    await admin_("team add --name Sales --kind sales");
    const view = await admin_(`user add ana@example.com --name "Ana Ruiz" --role manager --team Support,Sales --time-zone Europe/Madrid`);
    expect(view.text).toBe("User added: Ana Ruiz (ana@example.com)");
    expect(readAll(view)).toContain("/crm admin team update Support --manager ana@example.com");
    const ana = await h.db.user.findUniqueOrThrow({ where: { email: "ana@example.com" }, include: { memberships: { include: { team: true } } } });
    expect(ana).toMatchObject({ name: "Ana Ruiz", role: "manager", timeZone: "Europe/Madrid", isActive: true, slackUserId: null });
    expect(ana.memberships.map((m) => m.team.name).sort()).toEqual(["Sales", "Support"]);
  });

  it("accepts the email as a flag, and what Slack and smart punctuation do to typed text", async () => {
    await admin_(`user add —email <mailto:Bo@Example.com|Bo@Example.com> --name “Bo Chen” --team support`);
    expect(await h.db.user.findUnique({ where: { email: "bo@example.com" } })).toMatchObject({ name: "Bo Chen", role: "agent" });
    await admin_("team update Sales --slack-channel <#C0SALES01|sales>");
    expect(await h.db.team.findUnique({ where: { name: "Sales" } })).toMatchObject({ slackChannelId: "C0SALES01" });
  });

  it("lists users and teams", async () => {
    const users = readAll(await admin_("user list"));
    expect(users).toMatch(/\*Ana Ruiz\* \(ana@example\.com\) · manager · teams Sales, Support · not seen in chat yet/);
    expect(users).toMatch(/Bo Chen/);
    const managers = readAll(await admin_("user list --role manager --team support"));
    expect(managers).toMatch(/Ana Ruiz/);
    expect(managers).not.toMatch(/Bo Chen/);
    const teams = readAll(await admin_("team list"));
    expect(teams).toMatch(/\*Sales\* \(sales\) · no manager · no alias/);
    expect(teams).toMatch(/\*Support\* \(support\) · no manager · support@example\.com \(case, everyone\)\n.*Slack `C0123ABCD` · Teams none · 2 members/);
  });

  it("updates a team's manager, parent, alias and Teams conversation, and clears a setting with none", async () => {
    await admin_("team add \"Support EMEA\" --kind support");
    const view = await admin_("team update \"support emea\" --manager ana@example.com --parent Support --alias emea@example.com --teams-conversation 19:abc123@thread.tacv2");
    expect(view.text).toBe("Team updated: Support EMEA");
    expect(readAll(view)).toMatch(/has not been added to Teams conversation 19:abc123@thread.tacv2 yet/);
    const emea = await h.db.team.findUniqueOrThrow({ where: { name: "Support EMEA" }, include: { manager: true, parent: true } });
    expect(emea).toMatchObject({ emailAlias: "emea@example.com", teamsConversationId: "19:abc123@thread.tacv2", manager: { email: "ana@example.com" }, parent: { name: "Support" } });
    await admin_("team update \"Support EMEA\" --alias none --parent none --name \"Support Europe\"");
    expect(await h.db.team.findUnique({ where: { name: "Support Europe" } })).toMatchObject({ emailAlias: null, parentId: null, managerId: emea.managerId });
  });

  it("sets what the alias creates, who may write to it and its acknowledgement, shows them, and refuses bad values", async () => {
    await admin_("team add Returns --kind purchasing");
    const view = await admin_("team update Returns --alias Returns@Example.com --alias-creates claim --alias-contact partners --alias-ack off");
    expect(readAll(view)).toContain("Email alias: returns@example.com\nA new email creates: a claim\nWho may write: known partners only\nAcknowledgement: off");
    expect(await h.db.team.findUniqueOrThrow({ where: { name: "Returns" } })).toMatchObject({ emailAlias: "returns@example.com", emailCreates: "claim", emailContact: "partners", emailAck: false });
    expect(readAll(await admin_("team list"))).toMatch(/\*Returns\* \(purchasing\) · no manager · returns@example\.com \(claim, known partners only, no acknowledgement\)/);
    const back = await admin_("team update Returns --alias-creates none --alias-contact everyone --alias-ack on");
    expect(readAll(back)).toContain("A new email creates: a claim (by the team's kind)\nWho may write: everyone\nAcknowledgement: on");
    expect(await h.db.team.findUniqueOrThrow({ where: { name: "Returns" } })).toMatchObject({ emailCreates: null, emailContact: "everyone", emailAck: true });
    expect((await admin_("team update Returns --alias-creates ticket")).text).toContain("--alias-creates must be case, claim or lead (none: by the team's kind)");
    expect((await admin_("team update Returns --alias-contact friends")).text).toContain("--alias-contact must be everyone, partners or watchers");
    expect((await admin_("team update Returns --alias-ack maybe")).text).toContain("--alias-ack must be yes or no");
    expect(readAll(await admin_("team update --help"))).toContain("`--alias-contact <everyone|partners|watchers>` — Who may write to the alias");
  });

  it("refuses a parent that would make a loop", async () => {
    await admin_("team update \"Support Europe\" --parent Support");
    const view = await admin_("team update Support --parent \"Support Europe\"");
    expect(view.text).toBe("Support Europe is inside Support (Support › Support Europe), so it cannot be Support's parent: a team cannot be its own ancestor.");
    expect((await h.db.team.findUniqueOrThrow({ where: { name: "Support" } })).parentId).toBeNull();
  });

  it("adds and removes members, saying what was already so", async () => {
    const added = await admin_("team members Sales --add bo@example.com,ana@example.com");
    expect(readAll(added)).toMatch(/Added Bo Chen\.[\s\S]*Ana Ruiz was already a member\./);
    expect(await h.db.teamMember.count({ where: { team: { name: "Sales" } } })).toBe(2);
    const removed = await admin_("team members Sales --remove bo@example.com");
    expect(removed.text).toBe("Sales: 1 member");
    expect(await h.db.teamMember.count({ where: { team: { name: "Sales" }, user: { email: "bo@example.com" } } })).toBe(0);
    expect(readAll(await admin_("team members sales"))).toMatch(/Ana Ruiz \(ana@example\.com\)/);
  });

  it("changes a person's role, and deactivates them", async () => {
    await admin_("user update bo@example.com --role manager --name \"Bo Chen-Li\"");
    expect(await h.db.user.findUnique({ where: { email: "bo@example.com" } })).toMatchObject({ role: "manager", name: "Bo Chen-Li" });
    const view = await admin_("user update bo@example.com --active no");
    expect(readAll(view)).toMatch(/can no longer use Switchboard/);
    expect(await h.db.user.findUnique({ where: { email: "bo@example.com" } })).toMatchObject({ isActive: false });
  });

  it("refuses an agent, shows them no admin help, and changes nothing", async () => {
    const before = { users: await h.db.user.count(), teams: await h.db.team.count() };
    for (const text of ["team add Hackers --kind other", "user add eve@example.com --name Eve --role admin", `user update ${agent.user.email} --role admin`, "user list", "team list", "", "user add --help", "outbox"]) {
      const view = viewOf(await runCommand(h.deps, agent, `admin ${text}`, slack));
      expect(view.text, text).toMatch(/^Only an admin can/);
    }
    expect({ users: await h.db.user.count(), teams: await h.db.team.count() }).toEqual(before);
    expect(await h.db.user.findUnique({ where: { id: agent.user.id } })).toMatchObject({ role: "agent" });
  });

  it("gives specific errors for bad flags and names", async () => {
    const cases: [string, string][] = [
      ["user add cy@example.com --name Cy --role boss", "--role must be admin, manager or agent"],
      ["team add Ops --kind ops", "--kind must be sales, support, engineering, purchasing or other"],
      ["user add cy@example.com --name Cy --team Suport", "--team: no team named Suport — did you mean Support?"],
      ["user add cy@example.com --rol manager --name Cy", "unknown flag --rol for user add — did you mean --role?"],
      ["user add cy@example.com", `--name is required: the person's full name, e.g. --name "Ana Ruiz"`],
      ["user add cy@example.com --name Cy Young", `unexpected "Young": put a value with spaces in quotes, e.g. --name "Ana Ruiz"`],
      ["user add not-an-email --name Cy", "--email must be an email address like ana@example.com"],
      ["user ad cy@example.com", `unknown user command "ad" — did you mean add?`],
      ["team add Ops --kind other --slack-channel #ops", "--slack-channel must be a channel id like C0123ABCD"],
      ["team update Support", "nothing to change: give at least one of --name, --kind, --alias"],
      ["team update Support --manager bo@example.co", "--manager: no user with the email bo@example.co — did you mean bo@example.com?"],
      ["team update Sales --manager bo@example.com", "Bo Chen-Li is deactivated and cannot manage a team."],
      ["user update nobody@example.com --role agent", "no user with the email nobody@example.com"],
      ["user update ana@example.com --active maybe", "--active must be yes or no"],
      ["user list --json", "--json works on the command line only"],
    ];
    for (const [text, message] of cases) {
      const view = await admin_(text);
      expect(view.text, text).toContain(message);
    }
    expect(await h.db.user.count({ where: { email: "cy@example.com" } })).toBe(0);
    expect(await h.db.team.count({ where: { name: "Ops" } })).toBe(0);
  });

  it("points to the subcommand's help after a bad flag, and shows that help", async () => {
    const bad = await admin_("team add Ops --kind ops");
    expect(bad.blocks).toContainEqual({ type: "context", text: "See `/crm admin team add --help`" });
    const help = await admin_("team add --help");
    expect(help.text).toMatch(/^\/crm admin team add <name> \[--flags\] — Add a team/);
    expect(readAll(help)).toContain("`--slack-channel <channel id>` — The Slack channel");
    expect(readAll(await admin_(""))).toContain("`/crm admin user add <email> [--flags]`");
    expect((await runCommand(h.deps, admin, "admin team --help", { commandPrefix: "" }).then(viewOf)).text).toBe("Switchboard administration: team commands");
  });

  it("explains a duplicate email or alias instead of failing", async () => {
    expect((await admin_("user add ANA@example.com --name Other")).text).toBe("ana@example.com is already a user (Ana Ruiz, manager): change them with user update ana@example.com …");
    expect((await admin_("team add Helpdesk --kind support --alias support@example.com")).text).toBe("support@example.com is already the email alias of Support");
    expect((await admin_("team add support --kind support")).text).toBe("there is already a team named Support");
    expect((await admin_("team add Desk --kind support --alias ana@example.com")).text).toBe("ana@example.com is Ana Ruiz's email address, so it cannot be a team's alias");
    expect((await admin_("user add support@example.com --name Support")).text).toBe("support@example.com is the email alias of the team Support, so it cannot be a person's address");
  });

  it("keeps an active admin, and keeps managers able to manage", async () => {
    expect((await admin_(`user update ${admin.user.email} --role agent`)).text).toBe("You cannot take away your own admin role. Ask another admin to do it.");
    const other = await aPerson(h.db, { role: "admin" });
    const viaOther = await runCommand(h.deps, other, `admin user update ${admin.user.email} --active no`, slack).then(viewOf);
    expect(viaOther.text).toMatch(/^User updated/);
    const last = await runCommand(h.deps, other, `admin user update ${agent.user.email} --role admin`, slack).then(viewOf);
    expect(last.text).toMatch(/^User updated/);
    await h.db.user.update({ where: { id: agent.user.id }, data: { role: "agent" } });
    expect((await runCommand(h.deps, other, "admin user update ana@example.com --role agent", slack).then(viewOf)).text).toBe(
      "Ana Ruiz manages Support Europe: give that team another manager first (team update Support Europe --manager …).",
    );
    await h.db.user.update({ where: { id: admin.user.id }, data: { isActive: true } });
  });

  it("lists undelivered notifications and retries one from the command or the button", async () => {
    const row = await h.db.outbox.create({ data: { channel: "slack", target: "C0123ABCD", payload: { text: "x", blocks: [] }, state: "dead", attempts: 5, lastError: "channel_not_found" } });
    const list = await admin_("outbox");
    expect(list.text).toBe("1 undelivered notification");
    expect(list.blocks).toContainEqual({ type: "actions", actions: [{ id: "outbox.retry", label: "Retry", value: row.id }] });
    expect((await admin_(`outbox retry ${row.id}`)).text).toMatch(/Retrying the notification to `C0123ABCD`/);
    await h.db.outbox.update({ where: { id: row.id }, data: { state: "dead", attempts: 5, lastError: "again" } });
    const pressed = viewOf(await runAction(h.deps, admin, "outbox.retry", row.id));
    expect(pressed.text).toMatch(/Retrying the notification/);
    expect(viewOf(await runAction(h.deps, agent, "outbox.retry", row.id)).text).toMatch(/Only an admin/);
  });
});
