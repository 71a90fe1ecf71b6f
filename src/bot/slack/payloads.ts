// zod schemas for the pieces of Slack payloads the listeners rely on (everything else is ignored).
import { z } from "zod";

const user = z.object({ id: z.string().min(1) });

export const slashCommand = z.object({
  text: z.string().default(""),
  user_id: z.string().min(1),
  trigger_id: z.string().min(1),
  response_url: z.string().url(),
});

export const blockActions = z.object({
  user,
  trigger_id: z.string().optional(),
  response_url: z.string().url().optional(),
  actions: z
    .array(z.object({ action_id: z.string(), value: z.string().optional(), url: z.string().optional() }))
    .min(1),
});

const viewStateElement = z.object({
  type: z.string(),
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
  selected_options: z.array(z.object({ value: z.string() })).nullish(),
  selected_date_time: z.union([z.number(), z.string()]).nullish(),
  selected_date: z.string().nullish(),
});
export type ViewStateElement = z.infer<typeof viewStateElement>;

export const viewSubmission = z.object({
  user,
  trigger_id: z.string().optional(),
  view: z.object({
    callback_id: z.string(),
    private_metadata: z.string().optional(),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), viewStateElement)) }),
  }),
});

export const blockSuggestion = z.object({ user, action_id: z.string(), value: z.string().default("") });

export const messageShortcut = z.object({
  user,
  trigger_id: z.string().min(1),
  response_url: z.string().url().optional(),
  channel: z.object({ id: z.string() }),
  message: z.object({ ts: z.string(), text: z.string().default("") }),
});

export const appHomeOpened = z.object({ user: z.string().min(1), tab: z.string().optional() });

export const eventEnvelope = z.object({ type: z.literal("event_callback"), event_id: z.string().min(1) });

export const usersInfo = z.object({
  user: z
    .object({
      name: z.string().optional(),
      real_name: z.string().optional(),
      tz: z.string().optional(),
      profile: z.object({ email: z.string().optional(), real_name: z.string().optional(), display_name: z.string().optional() }).optional(),
    })
    .optional(),
});

/** private_metadata: our form context; anything else is treated as no context. */
export const formContext = z.record(z.string(), z.string());
