/** The Backups operations: each reads its validated input, calls the model, answers the view. */
import type { Handlers } from "../../handler-types.js";
import { configOf } from "../backup-configurations/model.js";
import { backupOf, restorableBackups, startManual, stopManual } from "./model.js";
import { backupView, completedBackupView, reportView } from "./views.js";

export const backupHandlers: Pick<Handlers, "requestBackupAction" | "getBackup" | "listCompletedBackups" | "getBackupReport"> = {
  requestBackupAction({ world, tenant, body, now }) {
    if (body.Action === "StartManual") return { status: 200, body: startManual(world, tenant, body.Id, now).id };
    stopManual(world, backupOf(tenant, body.Id, "/Id", "must be a backup id when Action is StopManual"), now);
    return { status: 204 };
  },

  getBackup({ world, tenant, params, now }) {
    return { status: 200, body: backupView(world, tenant, backupOf(tenant, params.backupId), now) };
  },

  listCompletedBackups({ world, tenant, params, now }) {
    const config = configOf(tenant, params.backupConfigurationId);
    return { status: 200, body: restorableBackups(world, tenant, config, now).map((b) => completedBackupView(world, b, now)) };
  },

  getBackupReport({ world, tenant, params, now }) {
    return { status: 200, body: reportView(world, tenant, backupOf(tenant, params.backupId), now) };
  },
};
