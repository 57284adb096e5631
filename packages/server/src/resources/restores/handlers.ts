/** The Restores operations: each reads its validated input, calls the model, answers the view. */
import type { Handlers } from "../../handler-types.js";
import { restoreOf } from "../restore-configurations/model.js";
import { availableBackups, restoreAction } from "./model.js";
import { availableBackupView, restoreReportView, restoreView } from "./views.js";

type RestoreOperation = "listBackupsAvailableForRestore" | "requestRestoreAction" | "getRestore" | "getRestoreReport";

export const restoreHandlers: Pick<Handlers, RestoreOperation> = {
  listBackupsAvailableForRestore({ world, tenant, now }) {
    return {
      status: 200,
      body: availableBackups(world, tenant, now).map(({ config, agent, last }) => availableBackupView(world, config, agent, last, now)),
    };
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
