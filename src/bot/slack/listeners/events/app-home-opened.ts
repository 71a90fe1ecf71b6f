// App Home opened: publish the person's planned and overdue calls (or why Switchboard does not know them).
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { homeView } from "../../../dispatch.js";
import { identify } from "../../identity.js";
import { appHomeOpened } from "../../payloads.js";
import { renderHome } from "../../render-block-kit.js";
import type { SlackSurface } from "../../slack-surface.js";

export function homeOpened(surface: SlackSurface) {
  return async ({ event, client, context }: SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs): Promise<void> => {
    await surface.guard.run(
      "event app_home_opened",
      async () => {
        const opened = appHomeOpened.parse(event);
        if (opened.tab && opened.tab !== "home") return;
        const who = await identify(surface, client, context, opened.user);
        const view = who.ok ? await homeView(surface.deps, who) : who.view;
        await client.views.publish({ user_id: opened.user, view: renderHome(view) });
      },
      async () => undefined, // nobody is waiting for an answer to an event
    );
  };
}
