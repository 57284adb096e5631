/**
 * The service's behaviour, one function per operation, gathered from the resource folders
 * (`src/resources/<slug>/handlers.ts`, one per tag of the description).
 */
import type { Handlers } from "./handler-types.js";
import { activityHandlers } from "./resources/activity/handlers.js";
import { agentHandlers } from "./resources/agents/handlers.js";
import { configurationHandlers } from "./resources/backup-configurations/handlers.js";
import { backupHandlers } from "./resources/backups/handlers.js";
import { restoreConfigurationHandlers } from "./resources/restore-configurations/handlers.js";
import { restoreHandlers } from "./resources/restores/handlers.js";
import { userHandlers } from "./resources/users/handlers.js";

export const handlers: Handlers = {
  ...agentHandlers,
  ...userHandlers,
  ...configurationHandlers,
  ...backupHandlers,
  ...restoreConfigurationHandlers,
  ...restoreHandlers,
  ...activityHandlers,
};
