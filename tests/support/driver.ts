// The built app under WebDriver: tauri-driver in front of WebKitWebDriver, one app per
// test file, with its own environment (home, socket dir) so tests never see the
// sessions of the machine they run on.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createConnection } from "node:net";
import { join } from "node:path";
import { Builder, By, type WebDriver } from "selenium-webdriver";
import { ROOT } from "./agentBrowser";

export const APP = join(ROOT, "target/debug/porthole");
const PORT = 4444;

export interface App {
  driver: WebDriver;
  stop(): Promise<void>;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`tauri-driver exited with ${child.exitCode}`);
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("tauri-driver did not start listening");
}

/** A Porthole window process (not a headless command) as pgrep/pkill match it. */
const APP_PROCESS = ["-f", "-x", `${APP}( .*)?`];

function appRunning(): boolean {
  try {
    return execFileSync("pgrep", APP_PROCESS, { encoding: "utf8" }).trim().length > 0;
  } catch {
    return false; // pgrep exits 1 when nothing matches
  }
}

/** The pid of the running Porthole window process; it is started by WebKitWebDriver. */
export function appPid(): number {
  const pids = execFileSync("pgrep", APP_PROCESS, { encoding: "utf8" }).trim().split("\n").map(Number);
  if (pids.length !== 1 || !Number.isInteger(pids[0])) throw new Error(`expected one Porthole process, found ${pids.join(", ")}`);
  return pids[0];
}

/**
 * Waits for the tests' app to be gone, ending it after 5 s. While it lives, a new one
 * would hand its workspace over to it (one instance only) instead of opening a window.
 */
async function appGone(): Promise<void> {
  for (let i = 0; i < 100 && appRunning(); i++) {
    if (i === 50) {
      try {
        execFileSync("pkill", APP_PROCESS);
      } catch {
        // Gone in the meantime.
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts the app on `args` with `env` added to this process's environment. */
export async function launch(args: string[], env: NodeJS.ProcessEnv): Promise<App> {
  if (await portOpen(PORT)) throw new Error(`port ${PORT} is taken; is another tauri-driver running?`);
  await appGone();
  const driverProcess = spawn("tauri-driver", ["--port", String(PORT)], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  await waitForPort(PORT, driverProcess);
  const driver = await new Builder()
    .usingServer(`http://127.0.0.1:${PORT}/`)
    .withCapabilities({ browserName: "wry", "tauri:options": { application: APP, args } })
    .build();
  return {
    driver,
    async stop() {
      try {
        await driver.quit();
      } finally {
        // Wait for tauri-driver to be gone, so the next app can take its port.
        const exited = new Promise((resolve) => driverProcess.once("exit", resolve));
        if (driverProcess.exitCode === null && driverProcess.signalCode === null) {
          driverProcess.kill();
          await exited;
        }
        for (let i = 0; i < 50 && (await portOpen(PORT)); i++) await new Promise((r) => setTimeout(r, 100));
        await appGone();
      }
    },
  };
}

/** The environment that lets the app see only a sandbox's sessions and files. */
export function sandboxEnv(box: { sockets: string; home: string }): NodeJS.ProcessEnv {
  return {
    HOME: box.home,
    // Settings and logs stay in the sandbox whatever the machine's XDG variables say.
    XDG_CONFIG_HOME: join(box.home, ".config"),
    XDG_DATA_HOME: join(box.home, ".local/share"),
    AGENT_BROWSER_SOCKET_DIR: box.sockets,
    XDG_RUNTIME_DIR: "",
  };
}

/** Starts the app on a sandbox's workspace (or, with `workspace: null`, on none). */
export function launchOn(
  box: { workspace: string; sockets: string; home: string },
  workspace: string | null = box.workspace,
): Promise<App> {
  return launch(workspace === null ? [] : [workspace], sandboxEnv(box));
}

export function byTestId(id: string) {
  return By.css(`[data-testid="${id}"]`);
}

/**
 * Waits until the element's text satisfies `check`, and returns the text. Reads
 * `textContent`: WebKitWebDriver's visible-text algorithm drops elements that clip their
 * overflow (every ellipsis in the UI), though a person sees them.
 */
export function waitForText(
  driver: WebDriver,
  id: string,
  check: (text: string) => boolean,
  timeout = 10_000,
): Promise<string> {
  return waitForProperty(driver, id, "textContent", check, timeout);
}

/** Waits until a form field's value satisfies `check`, and returns it. */
export function waitForValue(
  driver: WebDriver,
  id: string,
  check: (value: string) => boolean,
  timeout = 10_000,
): Promise<string> {
  return waitForProperty(driver, id, "value", check, timeout);
}

async function waitForProperty(
  driver: WebDriver,
  id: string,
  property: "textContent" | "value",
  check: (text: string) => boolean,
  timeout: number,
): Promise<string> {
  // The element is looked up on every read: the UI rebuilds lists (sessions, tabs) as
  // events come, and a reference held across a rebuild would go stale.
  let last: string | null = null;
  await driver
    .wait(async () => {
      last = await driver.executeScript<string | null>(
        `const e = document.querySelector(arguments[0]); return e ? e[arguments[1]] : null;`,
        `[data-testid="${id}"]`,
        property,
      );
      return last !== null && check(last);
    }, timeout)
    .catch(() => {
      throw new Error(
        last === null
          ? `${id} never appeared`
          : `${id} never showed the expected ${property}; it showed: ${JSON.stringify(last)}`,
      );
    });
  return last ?? "";
}

/** Waits until the panel's canvas shows a painted frame (input is mapped through it). */
export async function waitForPaint(driver: WebDriver, timeout = 20_000): Promise<void> {
  await driver.wait(
    () =>
      driver.executeScript<boolean>(
        `const c = document.querySelector('[data-testid="screen"]'); return !!c && !c.hidden && c.width > 0;`,
      ),
    timeout,
    "the panel never painted a frame",
  );
}

/**
 * Clicks the first element matching `css`, looking it up again if the UI rebuilt it
 * between the lookup and the click (lists are re-rendered as events come).
 */
export async function clickFresh(driver: WebDriver, css: string, timeout = 10_000): Promise<void> {
  let lastError: unknown = null;
  await driver
    .wait(async () => {
      try {
        await (await driver.findElement(By.css(css))).click();
        return true;
      } catch (error) {
        const name = (error as Error).name;
        if (name !== "StaleElementReferenceError" && name !== "NoSuchElementError") throw error;
        lastError = error;
        return false;
      }
    }, timeout)
    .catch((error) => {
      throw new Error(`could not click ${css}: ${String(lastError ?? error)}`);
    });
}
