// Opens a folder in the system file manager, creating it first (the logs folder may not exist yet).
import fs from 'node:fs';
import { shell } from 'electron';

export async function openFolder(folder: string): Promise<void> {
  fs.mkdirSync(folder, { recursive: true });
  const problem = await shell.openPath(folder);
  if (problem) throw new Error(`Could not open ${folder}: ${problem}`);
}
