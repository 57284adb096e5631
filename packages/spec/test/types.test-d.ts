import { describe, expectTypeOf, it } from "vitest";
import type { components, OperationId, paths } from "../src/index.js";

type Schemas = components["schemas"];

describe("generated types", () => {
  it("types ids as numbers and flags as booleans", () => {
    expectTypeOf<Schemas["Agent"]["MachineAgentId"]>().toEqualTypeOf<number>();
    expectTypeOf<Schemas["Agent"]["IsEncrypted"]>().toEqualTypeOf<boolean>();
    expectTypeOf<Schemas["Agent"]["HostServerId"]>().toEqualTypeOf<string | undefined>();
  });

  it("types enums as unions", () => {
    expectTypeOf<Schemas["Frequency"]>().toEqualTypeOf<"Manually" | "Hourly" | "Daily" | "Weekly">();
    expectTypeOf<Schemas["VersionRetention"]>().toEqualTypeOf<0 | 30 | 60>();
    expectTypeOf<Schemas["AgentStatus"]>().toEqualTypeOf<"Online" | "Offline" | "Unknown">();
  });

  it("types the start-backup answer as a bare number", () => {
    type Start = paths["/v1.0/{tenant_id}/backup/action-requested"]["post"]["responses"][200]["content"]["application/json"];
    expectTypeOf<Start>().toEqualTypeOf<number>();
  });

  it("types path parameters", () => {
    type Params = paths["/v1.0/{tenant_id}/agent/{machineAgentId}"]["get"]["parameters"]["path"];
    expectTypeOf<Params>().toEqualTypeOf<{ tenant_id: string; machineAgentId: number }>();
  });

  it("knows every operationId", () => {
    expectTypeOf<"getAgent">().toMatchTypeOf<OperationId>();
    // @ts-expect-error not an operation of this API
    expectTypeOf<"getAgents">().toMatchTypeOf<OperationId>();
  });

  it("requires the fields the reference requires", () => {
    const body: Schemas["EnableAgentRequest"] = { MachineAgentId: 1, Enable: true };
    expectTypeOf(body.Enable).toEqualTypeOf<boolean>();
    // @ts-expect-error Enable is required
    const missing: Schemas["EnableAgentRequest"] = { MachineAgentId: 1 };
    void missing;
  });
});
