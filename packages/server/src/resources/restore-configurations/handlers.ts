/** The Restore configurations operations: each reads its validated input, calls the model, answers the view. */
import type { Handlers } from "../../handler-types.js";
import { addRestoreFile, createRestore, deleteRestoreFile, restoreOf, updateRestore } from "./model.js";
import { restoreView } from "../restores/views.js";
import { restoreFileView } from "./views.js";

type RestoreConfigurationOperation = "createRestore" | "updateRestore" | "addRestoreFile" | "listRestoreFiles" | "deleteRestoreFile";

export const restoreConfigurationHandlers: Pick<Handlers, RestoreConfigurationOperation> = {
  createRestore({ world, tenant, body, now }) {
    return { status: 200, body: restoreView(world, tenant, createRestore(world, tenant, body, now), now) };
  },

  updateRestore({ world, tenant, body, now }) {
    updateRestore(world, tenant, body, now);
    return { status: 204 };
  },

  addRestoreFile({ world, tenant, body, now }) {
    addRestoreFile(world, tenant, body, now);
    return { status: 200 };
  },

  listRestoreFiles({ tenant, params }) {
    const restore = restoreOf(tenant, params.restoreId);
    return { status: 200, body: restore.files.map((f) => restoreFileView(restore, f)) };
  },

  deleteRestoreFile({ world, tenant, params, now }) {
    deleteRestoreFile(world, tenant, params.restoreId, now);
    return { status: 204 };
  },
};
