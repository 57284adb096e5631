/** The Users operations: the account's agents, and waking them. */
import type { Handlers } from "../../handler-types.js";
import { liveAgents, wake } from "../agents/model.js";
import { agentView } from "../agents/views.js";

export const userHandlers: Pick<Handlers, "listAgents" | "wakeAgents"> = {
  listAgents({ world, tenant, now }) {
    return { status: 200, body: liveAgents(tenant).map((a) => agentView(world, tenant, a, now)) };
  },

  wakeAgents({ world, tenant, now }) {
    wake(world, tenant, now);
    return { status: 200 };
  },
};
