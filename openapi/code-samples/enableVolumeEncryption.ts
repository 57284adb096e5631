import { createBackupClient, encryptPassphrase } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// Encrypt web2's backups. The passphrase is encrypted on this side with the agent's public
// key (RSA PKCS#1 v1.5, hex). This cannot be undone, and a lost passphrase cannot be recovered.
const agent = await client.getAgent({ machineAgentId: 202743 });
const requestId = await client.enableVolumeEncryption({
  body: {
    MachineAgentId: agent.MachineAgentId,
    EncryptedPasswordHex: encryptPassphrase(agent.PublicKey, "correct horse battery staple"),
  },
});
console.log("encryption requested:", requestId);
