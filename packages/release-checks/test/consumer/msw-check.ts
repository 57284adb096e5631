// Type-checked inside the temporary consumer project against the installed tarballs with
// tsconfig.msw.json: as check.ts, plus the DOM library, which msw's own typings need (a test
// suite that uses msw has it).
import { setupServer } from "msw/node";
import { cloudBackupHandlers, DEFAULT_BASE_URLS, type CloudBackupHandlers, type SimulationClock } from "@cloud-backup/msw";
import type { World } from "@cloud-backup/server";

const handlers: CloudBackupHandlers = cloudBackupHandlers({
  baseUrls: [...DEFAULT_BASE_URLS, "http://localhost:4010"],
  seed: "empty",
  clock: { start: 0 },
});
const server = setupServer(...handlers);
const clock: SimulationClock = handlers.clock;
const world: World = handlers.world;
export const now: number = clock.advance(60);
// @ts-expect-error the clock moves by seconds, a number
clock.advance("60");
// @ts-expect-error there is no such option
cloudBackupHandlers({ baseUrl: "http://localhost:4010" });
export { server, world };
