// Electron main entry (bundled to dist/main.cjs). Everything happens in runApp, whose first steps
// resolve the data dir and set userData and the logs path before the single-instance lock.
import { runApp } from './run-app';

void runApp(process);
