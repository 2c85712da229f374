// A reporter that ends a run with one line per failed test: its file, its name and the
// first line of its error. The default reporter prints each failure in full, with its
// code frame, and a long run's log is often read from its end; there, this list says
// which tests failed first and which only followed.
import type { File, Task } from "@vitest/runner";
import type { Reporter } from "vitest/node";

function failed(task: Task, path: string[], out: string[]): void {
  const here = task.type === "suite" || task.type === "test" ? [...path, task.name] : path;
  if (task.type === "test" && task.result?.state === "fail") {
    const message = (task.result.errors?.[0]?.message ?? "failed").split("\n")[0];
    out.push(`  ${here.join(" > ")}: ${message}`);
  }
  if ("tasks" in task) for (const child of task.tasks) failed(child, here, out);
}

export default class FailureSummary implements Reporter {
  // After the default reporter's own summary, so these are the log's last lines.
  onFinished(files: File[] = []): void {
    const lines: string[] = [];
    for (const file of files) failed(file, [], lines);
    if (lines.length > 0) console.log(`\nFailed, in the order they ran:\n${lines.join("\n")}\n`);
  }
}
