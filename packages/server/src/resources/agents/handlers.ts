/** The Agents operations: each reads its validated input, calls the model, answers the view. */
import type { Handlers } from "../../handler-types.js";
import { badField } from "../../problem.js";
import { randomUUID } from "../../random.js";
import {
  agentOf,
  agentOnHost,
  changePassphrase,
  deleteAgent,
  enableEncryption,
  migrateVault,
  setBackupBehavior,
  setEnabled,
  setLogLevel,
} from "./model.js";
import { agentView } from "./views.js";

type AgentOperation =
  | "getAgent"
  | "enableAgent"
  | "enableVolumeEncryption"
  | "changeEncryptionPassword"
  | "deleteAgent"
  | "migrateVault"
  | "updateAgentBackupBehavior"
  | "getAgentByHostServer"
  | "changeAgentLogLevel";

export const agentHandlers: Pick<Handlers, AgentOperation> = {
  getAgent({ world, tenant, params, now }) {
    return { status: 200, body: agentView(world, tenant, agentOf(tenant, params.machineAgentId), now) };
  },

  enableAgent({ world, tenant, body, now }) {
    setEnabled(world, tenant, agentOf(tenant, body.MachineAgentId, "/MachineAgentId"), body.Enable, now);
    return { status: 204 };
  },

  enableVolumeEncryption({ tenant, body }) {
    enableEncryption(agentOf(tenant, body.MachineAgentId, "/MachineAgentId"), body.EncryptedPasswordHex);
    return { status: 200, body: randomUUID() };
  },

  changeEncryptionPassword({ tenant, body }) {
    changePassphrase(agentOf(tenant, body.MachineAgentId, "/MachineAgentId"), body.OldEncryptedPasswordHex, body.NewEncryptedPasswordHex);
    return { status: 200, body: randomUUID() };
  },

  deleteAgent({ tenant, body }) {
    deleteAgent(tenant, agentOf(tenant, body.MachineAgentId, "/MachineAgentId"));
    return { status: 204 };
  },

  migrateVault({ world, tenant, body, now }) {
    if (body.SourceMachineAgentId === body.DestinationMachineAgentId) {
      throw badField("/DestinationMachineAgentId", "must be a different agent from SourceMachineAgentId");
    }
    const source = agentOf(tenant, body.SourceMachineAgentId, "/SourceMachineAgentId");
    const destination = agentOf(tenant, body.DestinationMachineAgentId, "/DestinationMachineAgentId");
    migrateVault(world, tenant, source, destination, now);
    return { status: 200 };
  },

  updateAgentBackupBehavior({ world, tenant, params, body, now }) {
    const agent = agentOf(tenant, params.machineAgentId);
    setBackupBehavior(tenant, agent, body.BackupDataCenter, body.UseServiceNet);
    return { status: 200, body: agentView(world, tenant, agent, now) };
  },

  getAgentByHostServer({ world, tenant, params, now }) {
    return { status: 200, body: agentView(world, tenant, agentOnHost(tenant, params.hostServerId), now) };
  },

  changeAgentLogLevel({ tenant, body }) {
    setLogLevel(agentOf(tenant, body.MachineAgentId, "/MachineAgentId"), body.LoggingLevelId);
    return { status: 200 };
  },
};
