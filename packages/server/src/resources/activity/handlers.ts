/** The Activity operations: the account's activity, or one agent's. */
import type { Handlers } from "../../handler-types.js";
import { agentOf } from "../agents/model.js";
import { activityView } from "./views.js";

export const activityHandlers: Pick<Handlers, "listAgentActivity" | "listActivity"> = {
  listAgentActivity({ world, tenant, params, now }) {
    agentOf(tenant, params.agentId);
    return { status: 200, body: activityView(world, tenant, now, params.agentId) };
  },

  listActivity({ world, tenant, now }) {
    return { status: 200, body: activityView(world, tenant, now) };
  },
};
