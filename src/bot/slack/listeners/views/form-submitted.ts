// A submitted modal: field errors go back in the ack (Slack shows them under the inputs); results are DMed after it.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { submitForm } from "../../../dispatch.js";
import { notice } from "../../../views/view.js";
import { slackFileSource } from "../../files.js";
import { identify } from "../../identity.js";
import { viewSubmission } from "../../payloads.js";
import { readFormContext, readViewState } from "../../read-view-state.js";
import { renderModal, renderNoticeModal } from "../../render-block-kit.js";
import { sendMessage, sendReply } from "../../send-reply.js";
import type { SlackSurface } from "../../slack-surface.js";

export function formSubmitted(surface: SlackSurface) {
  return async ({ ack, body, client, context }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    let isAcked = false;
    const answer: typeof ack = async (response) => {
      isAcked = true;
      await ack(response);
    };
    await surface.guard.run(
      "view submission",
      async () => {
        const { user, view } = viewSubmission.parse(body);
        const who = await identify(surface, client, context, user.id);
        if (!who.ok) return answer({ response_action: "update", view: renderNoticeModal(who.view) });
        const reply = await submitForm(surface.deps, who, view.callback_id, readViewState(view.state.values), readFormContext(view.private_metadata), slackFileSource(client, surface.logger));
        // Error keys are field ids, which are the input blocks' block_ids.
        if (reply.kind === "errors") return answer({ response_action: "errors", errors: reply.errors });
        if (reply.kind === "form") return answer({ response_action: "update", view: renderModal(reply.form) });
        await answer();
        await sendReply(reply, { client, userId: user.id });
      },
      async (text) => (isAcked ? sendMessage(notice(text), { client, userId: body.user.id }, "private") : answer({ response_action: "update", view: renderNoticeModal(notice(text)) })),
      { isUrgent: true },
    );
  };
}
