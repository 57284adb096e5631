/** The Restores operations: each reads its validated input, calls the model, answers the view. */
import type { Handlers } from "../../handler-types.js";
import { liveConfigs } from "../backup-configurations/model.js";
import { restorableBackups } from "../backups/model.js";
import { restoreOf } from "../restore-configurations/model.js";
import { restoreAction } from "./model.js";
import { availableBackupView, restoreReportView, restoreView } from "./views.js";
import type { components } from "@cloud-backup/spec";

type RestoreOperation = "listBackupsAvailableForRestore" | "requestRestoreAction" | "getRestore" | "getRestoreReport";

export const restoreHandlers: Pick<Handlers, RestoreOperation> = {
  listBackupsAvailableForRestore({ world, tenant, now }) {
    const list: components["schemas"]["AvailableBackup"][] = [];
    for (const config of liveConfigs(tenant)) {
      const backups = restorableBackups(world, tenant, config, now);
      const agent = tenant.agents.get(config.agentId);
      if (backups.length && agent) list.push(availableBackupView(world, config, agent, backups[0]!, now));
    }
    return { status: 200, body: list };
  },

  requestRestoreAction({ world, tenant, body, now }) {
    restoreAction(world, tenant, body, now);
    return { status: 204 };
  },

  getRestore({ world, tenant, params, now }) {
    return { status: 200, body: restoreView(world, tenant, restoreOf(tenant, params.restoreId), now) };
  },

  getRestoreReport({ world, tenant, params, now }) {
    return { status: 200, body: restoreReportView(world, tenant, restoreOf(tenant, params.restoreId), now) };
  },
};
