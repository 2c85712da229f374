// Real agent-browser sessions for tests, in isolated socket directories, on Debian's
// Chromium. Every session a test starts is closed (or killed) by `closeAll`.
import { execFile } from "node:child_process";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const ROOT = resolve(__dirname, "../..");
const CLI = join(ROOT, "node_modules/agent-browser/bin/agent-browser-linux-x64");
export const DEMO_PAGE = `file://${join(ROOT, "tests/pages/demo/index.html")}`;

/**
 * A temp root with a workspace, a socket dir and a home of its own. `workspace` is the
 * workspace's path below the root (a project in the sandbox's home reads as `~/…`).
 */
export function sandbox(prefix: string, workspace = "workspace") {
  const root = mkdtempSync(join(tmpdir(), `porthole-${prefix}-`));
  const dirs = {
    root,
    workspace: join(root, workspace),
    sockets: join(root, "sockets"),
    home: join(root, "home"),
  };
  for (const d of [dirs.workspace, dirs.sockets, dirs.home]) mkdirSync(d, { recursive: true });
  return dirs;
}

export interface AgentSession {
  name: string;
  cwd: string;
  sockets: string;
}

const started: AgentSession[] = [];

/** The agent's environment: this process's, with the sandbox's socket directory and the
 * browser settings every test session is started with. */
export function env(sockets: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AGENT_BROWSER_SOCKET_DIR: sockets,
    AGENT_BROWSER_EXECUTABLE_PATH: process.env.AGENT_BROWSER_EXECUTABLE_PATH ?? "/usr/bin/chromium",
    AGENT_BROWSER_ARGS:
      process.env.AGENT_BROWSER_ARGS ??
      "--disable-background-networking,--disable-component-update,--disable-sync",
  };
}

/** Runs the CLI as the agent would, from `cwd`. */
export async function agentBrowser(session: AgentSession, ...args: string[]): Promise<string> {
  const { stdout } = await run(CLI, ["--session", session.name, ...args], {
    cwd: session.cwd,
    env: env(session.sockets),
    timeout: 60_000,
  });
  return stdout;
}

/** Evaluates `expression` in the session's page and parses its JSON value. */
export async function evalInPage<T>(session: AgentSession, expression: string): Promise<T> {
  const out = await agentBrowser(session, "--json", "eval", `JSON.stringify(${expression})`);
  const parsed = JSON.parse(out) as { success: boolean; data?: { result?: unknown }; error?: string };
  if (!parsed.success) throw new Error(`eval failed: ${parsed.error}`);
  const result = parsed.data?.result;
  return JSON.parse(typeof result === "string" ? result : JSON.stringify(result)) as T;
}

/**
 * Runs a shell command line as a person would in a terminal, with this project's
 * agent-browser first on PATH and the sandbox's socket directory. `session` is the
 * session it starts, closed with the others by `closeAll`.
 */
export async function runAsPerson(command: string, sockets: string, session: string): Promise<string> {
  started.push({ name: session, cwd: ROOT, sockets });
  const path = `${join(ROOT, "node_modules/.bin")}:${process.env.PATH ?? ""}`;
  const { stdout } = await run("bash", ["-c", command], { env: { ...env(sockets), PATH: path }, timeout: 60_000 });
  return stdout;
}

/** Starts a session in `cwd` on `url`, as an agent would. */
export async function startSession(
  name: string,
  cwd: string,
  sockets: string,
  url = DEMO_PAGE,
): Promise<AgentSession> {
  mkdirSync(cwd, { recursive: true });
  const session = { name, cwd, sockets };
  started.push(session);
  await agentBrowser(session, "open", url);
  return session;
}

export function pidOf(session: AgentSession): number {
  return Number(readFileSync(join(session.sockets, `${session.name}.pid`), "utf8").trim());
}

/** Every process below `pid` in the process tree, from /proc. */
export function descendants(pid: number): number[] {
  const parents: Array<[number, number]> = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // "PID (comm) STATE PPID ...": comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 1).trim().split(/\s+/)[1]);
      parents.push([Number(entry), ppid]);
    } catch {
      // The process ended while the table was read.
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.pop();
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** SIGKILLs the session's daemon, as a crash would. The Chromium it started would live on
 * as an orphan that keeps rendering and loads the machine for every later test, so it is
 * killed right after; the session is not `close`d later (that would start a new daemon). */
export function killDaemon(session: AgentSession): void {
  const pid = pidOf(session);
  const family = descendants(pid);
  process.kill(pid, "SIGKILL");
  for (const child of family) {
    try {
      process.kill(child, "SIGKILL");
    } catch {
      // Already gone with its parent.
    }
  }
  const at = started.indexOf(session);
  if (at >= 0) started.splice(at, 1);
}

export async function closeAll(): Promise<void> {
  for (const s of started.splice(0)) {
    try {
      await agentBrowser(s, "close");
    } catch {
      // Already gone (a test killed it); nothing left to close.
    }
  }
}
