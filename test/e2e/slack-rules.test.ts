// Slack end to end: an admin writes an automation rule in the /crm rules modal (a broken one is refused with line
// numbers, nothing stored), switches on what they saved, and the rule acts when a case is opened from /crm case.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aBlockAction, aViewSubmission, inputState } from "../support/slack-requests.js";
import { waitFor } from "../support/wait-for.js";
import { ANA, CARL, slashCommandAnswer, blockTexts, buttonsOf, startSlackHarness, type SlackHarness } from "./slack-harness.js";

const RULE = `name: Tell the channel about new cases
record: case
enabled: true
trigger: { kind: created }
conditions: { field: priority, op: in, value: [high, urgent] }
actions:
  - { do: post, to: team-channel, text: "Rule says: {{case.ref}} needs eyes ({{case.priority}})" }
`;

describe("Slack: automation rules from /crm rules", () => {
  let h: SlackHarness;

  const crm = (text: string, user = ANA.id) => slashCommandAnswer(h, text, user);

  beforeAll(async () => {
    h = await startSlackHarness();
    h.fake.users.set(CARL.id, { email: CARL.email, realName: CARL.realName, tz: CARL.tz });
    await crm("whoami", ANA.id);
    await crm("whoami", CARL.id);
    const ana = await h.app.db.user.update({ where: { email: ANA.email }, data: { role: "admin" } });
    await h.app.db.team.create({ data: { name: "Support", kind: "support", slackChannelId: "C_SUPPORT", members: { create: [{ userId: ana.id }] } } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("refuses the rules to someone who is not an admin, privately", async () => {
    const answer = await crm("rules", CARL.id);
    expect(answer.response_type).toBe("ephemeral");
    expect(answer.text).toMatch(/Only an admin can see and change automation rules/);
  });

  it("a broken rule gets its problems with line numbers on the field; a good one is saved and acts on the next case", async () => {
    const list = await crm("rules");
    const create = buttonsOf(list.blocks).find((b) => b.action_id === "rule.new");
    expect(create).toBeDefined();
    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "rule.new", value: create!.value ?? "", responseUrl: h.fake.responseUrl("new") }));
    const modal = (await h.fake.waitForCall("views.open")).args.view;
    expect(modal.callback_id).toBe("rule.form");

    const broken = RULE.replace("{{case.priority}}", "{{case.priorty}}").replace("op: in", "op: between");
    const refused = await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "rule.form", values: { rule: inputState(broken) }, privateMetadata: modal.private_metadata }));
    const errors = (await refused.json()) as { response_action: string; errors: Record<string, string> };
    expect(errors.response_action).toBe("errors");
    expect(errors.errors.rule).toMatch(/line 5: .*between/);
    expect(errors.errors.rule).toMatch(/line 7: .*case\.priorty.*did you mean \{\{case\.priority\}\}/);
    expect(await h.app.db.automationRule.count()).toBe(0);

    const saved = await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "rule.form", values: { rule: inputState(RULE) }, privateMetadata: modal.private_metadata }));
    expect(saved.status).toBe(200);
    await waitFor(async () => (await h.app.db.automationRule.count()) === 1, 5000);
    const rule = await h.app.db.automationRule.findFirstOrThrow();
    expect(rule).toMatchObject({ name: "Tell the channel about new cases", recordType: "case", triggerKind: "created", enabled: true });

    h.fake.reset();
    await crm("case VPN drops every hour !high");
    const post = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "C_SUPPORT" && /^Rule says: CASE-\d{4} needs eyes \(high\)$/.test(c.args.text));
    expect(blockTexts(post.args.blocks).join("\n")).toMatch(/automated by RULE-\d{4}/);
    expect(await h.app.db.ruleFiring.count({ where: { ruleId: rule.id } })).toBe(1);

    // A low-priority case does not meet the condition: no post.
    await crm("case Mouse squeaks !low");
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.fake.callsTo("chat.postMessage").filter((c) => /^Rule says/.test(c.args.text))).toHaveLength(1);
  });

  it("a dry run from the list says what the rule would do and changes nothing", async () => {
    const rule = await h.app.db.automationRule.findFirstOrThrow();
    const c = await h.app.db.case.findFirstOrThrow({ where: { subject: "VPN drops every hour" } });
    const list = await crm("rules");
    const dry = buttonsOf(list.blocks).find((b) => b.action_id === "rule.dry-run");
    expect(dry).toBeDefined();
    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "rule.dry-run", value: dry!.value ?? "", responseUrl: h.fake.responseUrl("dry") }));
    const modal = (await h.fake.waitForCall("views.open")).args.view;
    const before = await h.app.db.outbox.count();
    await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: modal.callback_id, values: { record: inputState(`CASE-${c.number}`) }, privateMetadata: modal.private_metadata }));
    // A modal has no response_url: the answer comes as a DM from the app.
    const shown = await h.fake.waitForCall("chat.postMessage", (x) => x.args.channel === ANA.id && /would/i.test(JSON.stringify(x.args)));
    expect(JSON.stringify(shown.args)).toMatch(/would post in team Support's channel/);
    expect(await h.app.db.ruleFiring.count({ where: { ruleId: rule.id } })).toBe(1);
    expect(await h.app.db.outbox.count()).toBeLessThanOrEqual(before + 1); // at most the answer itself
  });
});
