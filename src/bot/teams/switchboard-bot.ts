// The Teams bot: admits the sender and remembers the conversation on every activity, then routes each gesture to its turn.
import {
  TeamsActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type TaskModuleRequest,
  type TaskModuleResponse,
  type TurnContext,
} from "botbuilder";
import type { Deps } from "../../handlers/deps.js";
import { activityParts } from "./activity-parts.js";
import { rememberConversation } from "./conversation-store.js";
import { admit, rememberAdmission } from "./identity.js";
import { onCardAction } from "./turns/card-action.js";
import { onDialogFetch, onDialogSubmit } from "./turns/dialog.js";
import { onInstalled, onUninstalled } from "./turns/installation.js";
import { onMessage } from "./turns/message.js";
import { onMessageActionFetch, onMessageActionSubmit } from "./turns/message-action.js";
import { onSearch } from "./turns/search.js";

export class SwitchboardBot extends TeamsActivityHandler {
  constructor(private readonly deps: Deps) {
    super();
    this.onTurn(async (ctx, next) => {
      if (await this.admitAndRemember(ctx)) await next();
    });
    this.onMessage(async (ctx, next) => {
      await onMessage(deps, ctx);
      await next();
    });
    this.onInstallationUpdateAdd(async (ctx, next) => {
      await onInstalled(deps, ctx);
      await next();
    });
    this.onInstallationUpdateRemove(async (ctx, next) => {
      await onUninstalled(deps, ctx);
      await next();
    });
  }

  /**
   * A refused sender is remembered as refused (each turn answers in its own shape) and nothing is stored.
   * An activity we cannot parse (no serviceUrl, no conversation) is not served at all.
   */
  private async admitAndRemember(ctx: TurnContext): Promise<boolean> {
    const parts = activityParts.safeParse(ctx.activity);
    if (!parts.success) {
      this.deps.logger.warn({ activityType: ctx.activity.type, issues: parts.error.issues.length }, "ignored a Teams activity without sender or conversation");
      return ctx.activity.type === "invoke";
    }
    if (isUninstall(ctx)) return true;
    const admission = await admit(this.deps, ctx, parts.data);
    rememberAdmission(ctx, admission);
    if (admission.ok) await rememberConversation(this.deps, ctx, parts.data);
    return true;
  }

  protected override async onInvokeActivity(ctx: TurnContext): Promise<InvokeResponse> {
    // Handled here, not in onSearchInvoke: botbuilder refuses an empty queryText, which Teams sends on open.
    if (ctx.activity.name === "application/search") return { status: 200, body: await onSearch(this.deps, ctx) };
    return super.onInvokeActivity(ctx);
  }

  protected override onAdaptiveCardInvoke(ctx: TurnContext, _value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    return onCardAction(this.deps, ctx);
  }

  protected override handleTeamsTaskModuleFetch(ctx: TurnContext, _request: TaskModuleRequest): Promise<TaskModuleResponse> {
    return onDialogFetch(this.deps, ctx);
  }

  protected override handleTeamsTaskModuleSubmit(ctx: TurnContext, _request: TaskModuleRequest): Promise<TaskModuleResponse> {
    return onDialogSubmit(this.deps, ctx);
  }

  protected override handleTeamsMessagingExtensionFetchTask(ctx: TurnContext, _action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    return onMessageActionFetch(this.deps, ctx);
  }

  protected override handleTeamsMessagingExtensionSubmitAction(ctx: TurnContext, _action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    return onMessageActionSubmit(this.deps, ctx);
  }
}

/** "remove" and "remove-upgrade", as botbuilder's own dispatch reads them. */
function isUninstall(ctx: TurnContext): boolean {
  return ctx.activity.type === "installationUpdate" && typeof ctx.activity.action === "string" && ctx.activity.action.startsWith("remove");
}
