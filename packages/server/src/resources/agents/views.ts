/** The JSON shape of an agent. */
import type { components } from "@cloud-backup/spec";
import { msDateOrNull } from "../../clock.js";
import { humanSize } from "../../world/filetree.js";
import type { Agent, Tenant, World } from "../../world/world.js";

type S = components["schemas"];

/** An agent as the service shows it. */
export function agentView(world: World, tenant: Tenant, agent: Agent, now: number): S["Agent"] {
  const vault = world.vaultBytes(tenant, agent, now);
  return {
    AgentVersion: agent.agentVersion,
    Architecture: agent.architecture,
    Flavor: "RaxCloudServer",
    BackupVaultSize: vault > 0 ? humanSize(vault) : null,
    BackupContainer: `https://storage101.${agent.backupDatacenter.toLowerCase()}1.clouddrive.com/v1/MossoCloudFS_${tenant.id}/z_DO_NOT_DELETE_CloudBackup_v2_0_${agent.vaultId}`,
    CleanupAllowed: true,
    Datacenter: agent.datacenter,
    BackupDatacenter: agent.backupDatacenter,
    IPAddress: agent.ip,
    IsDisabled: agent.isDisabled,
    IsEncrypted: agent.isEncrypted,
    MachineAgentId: agent.id,
    MachineName: agent.name,
    OperatingSystem: agent.os,
    OperatingSystemVersion: agent.osVersion,
    PublicKey: agent.keys.publicKey as S["PublicKey"],
    Status: world.agentStatus(agent, now),
    TimeOfLastSuccessfulBackup: msDateOrNull(world.lastSuccessfulBackup(tenant, agent, now)),
    UseServiceNet: agent.useServiceNet,
    UseFailoverUri: agent.useFailoverUri,
    HostServerId: agent.hostServerId,
  };
}
