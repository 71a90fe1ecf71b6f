// Registers the modal submission listener (every form: the callback_id is the form id).
import type { App, ViewSubmitAction } from "@slack/bolt";
import type { SlackSurface } from "../../slack-surface.js";
import { formSubmitted } from "./form-submitted.js";

export function registerViews(app: App, surface: SlackSurface): void {
  app.view<ViewSubmitAction>({ type: "view_submission", callback_id: /.+/ }, formSubmitted(surface));
}
