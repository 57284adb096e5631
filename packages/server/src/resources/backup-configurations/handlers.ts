/** The Backup configurations operations: each reads its validated input, calls the model, answers the view. */
import type { Handlers } from "../../handler-types.js";
import { agentOf } from "../agents/model.js";
import { createConfig, deleteConfig, liveConfigOf, liveConfigs, setConfigEnabled, updateConfig } from "./model.js";
import { configView } from "./views.js";

type ConfigurationOperation =
  | "createBackupConfiguration"
  | "updateBackupConfiguration"
  | "getBackupConfiguration"
  | "listBackupConfigurations"
  | "listAgentBackupConfigurations"
  | "enableBackupConfiguration"
  | "deleteBackupConfiguration";

export const configurationHandlers: Pick<Handlers, ConfigurationOperation> = {
  createBackupConfiguration({ world, tenant, body, now }) {
    const config = createConfig(world, tenant, body, now);
    return { status: 200, body: configView(world, tenant, config, now) };
  },

  updateBackupConfiguration({ world, tenant, params, body, now }) {
    updateConfig(world, tenant, params.backupConfigurationId, body, now);
    return { status: 200 };
  },

  getBackupConfiguration({ world, tenant, params, now }) {
    // The service refused reads of deleted configurations from late 2013 on (ERRATA E-33).
    const config = liveConfigOf(tenant, params.backupConfigurationId);
    return { status: 200, body: configView(world, tenant, config, now) };
  },

  listBackupConfigurations({ world, tenant, now }) {
    return { status: 200, body: liveConfigs(tenant).map((config) => configView(world, tenant, config, now)) };
  },

  listAgentBackupConfigurations({ world, tenant, params, now }) {
    const agent = agentOf(tenant, params.machineAgentId);
    return { status: 200, body: liveConfigs(tenant, agent.id).map((config) => configView(world, tenant, config, now)) };
  },

  enableBackupConfiguration({ world, tenant, params, body, now }) {
    const config = liveConfigOf(tenant, params.backupConfigurationId);
    setConfigEnabled(world, config, body.Enable, now);
    return { status: 200, body: configView(world, tenant, config, now) };
  },

  deleteBackupConfiguration({ world, tenant, params, now }) {
    deleteConfig(world, tenant, params.backupConfigurationId, now);
    return { status: 200 };
  },
};
