/** The JSON shape of a restore's file rule. */
import type { Restore, RestoreFileEntry } from "../../world/world.js";

/** A file rule of a restore, as `listRestoreFiles` and the restore's Inclusions and Exclusions show it. */
export function restoreFileView(restore: Restore, f: RestoreFileEntry) {
  return { FileId: f.id, FilePath: f.path, Filter: f.filter, RestoreId: restore.id, FileItemType: f.itemType };
}
