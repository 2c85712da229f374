import { describe, expect, it } from "vitest";
import type { Opened } from "../generated/Opened";
import type { Session } from "../generated/Session";
import { openedHint, setupNewBrowser, type NewBrowserElements } from "./newBrowser";

function elements(): NewBrowserElements {
  const details = document.createElement("details");
  const form = document.createElement("form");
  const make = <K extends keyof HTMLElementTagNameMap>(tag: K) => form.appendChild(document.createElement(tag));
  const el = {
    details,
    form,
    name: make("input"),
    url: make("input"),
    submit: make("button"),
    error: make("p"),
    force: make("button"),
  };
  el.error.hidden = true;
  el.force.hidden = true;
  el.force.type = "button";
  details.append(form);
  document.body.append(details);
  return el;
}

const session = { name: "default" } as Session;
const opened = (started: boolean): Opened => ({ session, started, cliVersion: "0.41.2", agentCommand: "agent-browser" });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("New browser…", () => {
  it("starts the default session on about:blank, then closes and reports", async () => {
    const el = elements();
    const calls: Array<[string | null, string, boolean]> = [];
    const told: Opened[] = [];
    setupNewBrowser(el, {
      open: async (s, u, f) => (calls.push([s, u, f]), opened(true)),
      defaultName: async () => "default",
      describe: String,
      opened: (o) => told.push(o),
    });
    el.details.open = true;
    el.form.dispatchEvent(new Event("submit", { cancelable: true }));
    await tick();
    expect(calls, "an empty form means the agent's default name and about:blank").toEqual([[null, "about:blank", false]]);
    expect(el.details.open, "the form closes once the browser is live").toBe(false);
    expect(told).toHaveLength(1);
  });

  it("offers Start anyway only when memory is short, and it forces", async () => {
    const el = elements();
    const calls: boolean[] = [];
    setupNewBrowser(el, {
      open: async (_s, _u, force) => {
        calls.push(force);
        if (!force) throw { code: "not_enough_memory", message: "900 MB is available", retryable: false };
        return opened(true);
      },
      defaultName: async () => "default",
      describe: (e) => (e as { message: string }).message,
      opened: () => {},
    });
    el.name.value = "login";
    el.form.dispatchEvent(new Event("submit", { cancelable: true }));
    await tick();
    expect(el.error.textContent, "the refusal is said with its figures").toBe("900 MB is available");
    expect(el.force.hidden, "and Start anyway is offered").toBe(false);
    el.force.click();
    await tick();
    expect(calls, "Start anyway asks again with force").toEqual([false, true]);
  });

  it("does not offer to force what forcing cannot fix", async () => {
    const el = elements();
    setupNewBrowser(el, {
      open: async () => {
        throw { code: "invalid_name", message: "bad name", retryable: false };
      },
      defaultName: async () => "default",
      describe: (e) => (e as { message: string }).message,
      opened: () => {},
    });
    el.form.dispatchEvent(new Event("submit", { cancelable: true }));
    await tick();
    expect(el.force.hidden).toBe(true);
  });

  it("tells the person how the agent reaches the browser", () => {
    expect(openedHint(opened(true))).toContain("The agent's next agent-browser command in this workspace uses this browser: agent-browser …");
    expect(openedHint({ ...opened(false), agentCommand: "agent-browser --session login" })).toContain("already running");
  });
});
