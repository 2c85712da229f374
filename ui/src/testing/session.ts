// A discovered session for UI tests, with the fields a test cares about overridden.
import type { Session } from "../generated/Session";

export function session(over: Partial<Session> = {}): Session {
  return {
    id: `/run/ab/${over.name ?? "s"}`,
    kind: "agent-browser",
    name: "s",
    namespace: null,
    socketDir: "/run/ab",
    pid: 10,
    cwd: "/ws",
    status: "attachable",
    streamPort: 4000,
    cdpPort: null,
    cdpHost: null,
    version: "0.41.2",
    executable: null,
    startedAt: 1,
    problem: null,
    ...over,
  };
}
