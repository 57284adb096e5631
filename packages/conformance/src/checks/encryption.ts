import type { Account, AgentInfo, CapabilityContext } from "../context.js";
import { restorePath } from "../context.js";
import { encryptPassphrase } from "@cloud-backup/spec/crypto";
import { CheckFailure, CheckSkipped, expect, expectStatus } from "../http.js";
import { createManualConfiguration, followRestore, need, runBackup } from "../steps.js";
import { type CapabilityModule, checks } from "./types.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function readAgent(ctx: CapabilityContext, account: Account, id: number): Promise<any> {
  const res = await account.api.call("GET", ctx.path(account, `/agent/${id}`));
  expectStatus(res, 200, `getAgent ${id}`);
  return res.body;
}

export const encryption: CapabilityModule = {
  capability: "encryption",
  build() {
    const c = checks();
    let account: Account | undefined;
    let agent: AgentInfo | undefined;
    let spare: AgentInfo | undefined;
    let current: string | undefined;

    const freshAccount = async (ctx: CapabilityContext) => {
      const a = await ctx.account();
      if (!a.fresh)
        throw new CheckSkipped("encryption cannot be turned off again; these checks run only in a fresh tenant (give --admin-url)");
      return a;
    };

    let fresh: Account | undefined;

    c.add("enables encryption with a passphrase encrypted by the agent's key", async (ctx) => {
      fresh = await freshAccount(ctx);
      [agent, spare] = await ctx.usableAgents(fresh, 2, { unencrypted: true });
      const before = await readAgent(ctx, fresh, agent!.id);
      const passphrase = `conformance-${Date.now()}`;
      const res = await fresh.api.call("POST", ctx.path(fresh, "/agent/encrypt"), {
        body: { MachineAgentId: agent!.id, EncryptedPasswordHex: encryptPassphrase(before.PublicKey, passphrase) },
      });
      expectStatus(res, 200, "enableVolumeEncryption");
      const receipt = typeof res.body === "string" ? res.body : res.text;
      expect(
        UUID.test(receipt.replace(/"/g, "")),
        `enableVolumeEncryption must answer the request id (a UUID), got ${res.text}`,
        res.exchange,
      );
      current = passphrase;
      const after = await readAgent(ctx, fresh, agent!.id);
      expect(after.IsEncrypted === true, `agent ${agent!.id} is not IsEncrypted after enabling encryption`);
      // Only now is there an encrypted agent for the checks that follow.
      account = fresh;
    });

    c.add("encryption cannot be enabled twice", async (ctx) => {
      await freshAccount(ctx);
      const a = need(account, "an encrypted agent");
      const key = (await readAgent(ctx, a, agent!.id)).PublicKey;
      const res = await a.api.call("POST", ctx.path(a, "/agent/encrypt"), {
        body: { MachineAgentId: agent!.id, EncryptedPasswordHex: encryptPassphrase(key, "another passphrase") },
      });
      expectStatus(res, 409, `enableVolumeEncryption of already encrypted agent ${agent!.id}`);
    });

    c.add("changes the passphrase when the old one matches", async (ctx) => {
      await freshAccount(ctx);
      const a = need(account, "an encrypted agent");
      const key = (await readAgent(ctx, a, agent!.id)).PublicKey;
      const next = `${need(current, "the current passphrase")}-changed`;
      const res = await a.api.call("POST", ctx.path(a, "/agent/changeencryption"), {
        body: {
          MachineAgentId: agent!.id,
          OldEncryptedPasswordHex: encryptPassphrase(key, current!),
          NewEncryptedPasswordHex: encryptPassphrase(key, next),
        },
      });
      expectStatus(res, 200, "changeEncryptionPassword with the right old passphrase");
      current = next;
      expect(
        (await readAgent(ctx, a, agent!.id)).IsEncrypted === true,
        `agent ${agent!.id} is no longer encrypted after a passphrase change`,
      );
    });

    c.add("a wrong old passphrase is refused and the passphrase stays", async (ctx) => {
      await freshAccount(ctx);
      const a = need(account, "an encrypted agent");
      const key = (await readAgent(ctx, a, agent!.id)).PublicKey;
      const wrong = await a.api.call("POST", ctx.path(a, "/agent/changeencryption"), {
        body: {
          MachineAgentId: agent!.id,
          OldEncryptedPasswordHex: encryptPassphrase(key, "not the passphrase"),
          NewEncryptedPasswordHex: encryptPassphrase(key, "hijacked"),
        },
      });
      expectStatus(wrong, 400, "changeEncryptionPassword with a wrong old passphrase");
      // The current passphrase must still be the one in force: changing it back must work.
      const next = `${need(current, "the current passphrase")}-again`;
      const right = await a.api.call("POST", ctx.path(a, "/agent/changeencryption"), {
        body: {
          MachineAgentId: agent!.id,
          OldEncryptedPasswordHex: encryptPassphrase(key, current!),
          NewEncryptedPasswordHex: encryptPassphrase(key, next),
        },
      });
      if (right.status !== 200)
        throw new CheckFailure(
          `after a refused change, the previous passphrase no longer works (changeEncryptionPassword answered ${right.status}): the refused change was applied`,
          right.exchange,
        );
      current = next;
    });

    c.add("a passphrase not encrypted with the agent's key is refused and changes nothing", async (ctx) => {
      await freshAccount(ctx);
      const a = need(fresh, "a fresh tenant");
      const target = need(spare, "a second unencrypted agent");
      const res = await a.api.call("POST", ctx.path(a, "/agent/encrypt"), {
        body: { MachineAgentId: target.id, EncryptedPasswordHex: "ab".repeat(256) },
      });
      expectStatus(res, 400, "enableVolumeEncryption with hex that is not a ciphertext of the agent's key");
      expect(
        (await readAgent(ctx, a, target.id)).IsEncrypted === false,
        `agent ${target.id} became encrypted although the request was refused`,
      );
    });

    c.add("restoring an encrypted backup needs the passphrase", async (ctx) => {
      await freshAccount(ctx);
      const a = need(account, "an encrypted agent");
      const config = await createManualConfiguration(ctx, a, agent!, "conformance encrypted");
      const run = await runBackup(ctx, a, config.BackupConfigurationId);
      const created = await a.api.call("PUT", ctx.path(a, "/restore"), {
        body: {
          BackupId: run.backupId,
          BackupMachineId: agent!.id,
          DestinationMachineId: agent!.id,
          DestinationPath: restorePath(agent!),
          OverwriteFiles: false,
        },
      });
      expectStatus(created, 200, "createRestore of an encrypted backup");
      const restore = created.body as any;
      expect(
        restore.IsEncrypted === true,
        `a restore of an encrypted backup must say IsEncrypted true, got ${restore.IsEncrypted}`,
        created.exchange,
      );
      await ctx.wake(a);
      const bare = await ctx.startWithRetry(
        a,
        () => a.api.call("POST", ctx.path(a, "/restore/action-requested"), { body: { Action: "StartManual", Id: restore.RestoreId } }),
        `Starting restore ${restore.RestoreId}`,
      );
      expectStatus(bare, 400, "StartManual of an encrypted restore without EncryptedPassword");
      const still = await a.api.call("GET", ctx.path(a, `/restore/${restore.RestoreId}`));
      expect(
        (still.body as any)?.RestoreStateId === 0,
        `a refused start moved restore ${restore.RestoreId} to state ${(still.body as any)?.RestoreStateId}`,
        still.exchange,
      );
      const start = await ctx.startWithRetry(
        a,
        () =>
          a.api.call("POST", ctx.path(a, "/restore/action-requested"), {
            body: {
              Action: "StartManual",
              Id: restore.RestoreId,
              EncryptedPassword: encryptPassphrase(restore.PublicKey, need(current, "the passphrase")),
            },
          }),
        `Starting restore ${restore.RestoreId} with the passphrase`,
      );
      expectStatus(start, 204, "StartManual of an encrypted restore with the passphrase");
      const done = await followRestore(ctx, a, restore.RestoreId);
      expect([3, 8].includes(done.final), `the encrypted restore ended in state ${done.final}`, done.last.exchange);
    });

    return c.list;
  },
};
