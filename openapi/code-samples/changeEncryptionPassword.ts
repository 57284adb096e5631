import { createBackupClient, encryptPassphrase } from "@cloud-backup/client";

const client = createBackupClient({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenantId: "1234" });

// Change the passphrase of the encrypted Database Server (95874). Both the old and the new
// passphrase are encrypted with the agent's public key.
const { PublicKey } = await client.getAgent({ machineAgentId: 95874 });
const requestId = await client.changeEncryptionPassword({
  body: {
    MachineAgentId: 95874,
    OldEncryptedPasswordHex: encryptPassphrase(PublicKey, "demo-passphrase"),
    NewEncryptedPasswordHex: encryptPassphrase(PublicKey, "a new, longer passphrase"),
  },
});
console.log("passphrase change requested:", requestId);
