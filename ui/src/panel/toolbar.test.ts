import { describe, expect, it, vi } from "vitest";
import type { AgentCommand } from "../generated/AgentCommand";
import type { PageInfo } from "../generated/PageInfo";
import { Toolbar, type ToolbarElements } from "./toolbar";

function elements(): ToolbarElements {
  const make = <K extends keyof HTMLElementTagNameMap>(tag: K) => document.body.appendChild(document.createElement(tag));
  const loading = make("span");
  loading.hidden = true;
  return {
    back: make("button"),
    forward: make("button"),
    reload: make("button"),
    form: make("form"),
    url: make("input"),
    loading,
    external: make("button"),
    shot: make("button"),
    shotFormat: make("select"),
    notice: make("div"),
    tabs: make("div"),
  };
}

const actions = () => ({
  navigate: vi.fn(() => new Promise<void>(() => undefined)),
  openExternal: vi.fn(async () => undefined),
  saveScreenshot: vi.fn(async () => "/tmp/shot.png"),
  copyScreenshot: vi.fn(async () => undefined),
  enabled: () => true,
  describe: String,
});

const page = (agent: AgentCommand | null): PageInfo => ({ title: "t", url: "https://a.test/", tabs: [], agent });
const navigate: AgentCommand = { id: "r1", action: "navigate", target: "https://b.test/", navigation: true, outcome: null };

describe("the loading indicator", () => {
  it("shows while a navigation the agent asked for runs, and goes when it ends", () => {
    const el = elements();
    const toolbar = new Toolbar(el, actions());
    toolbar.render(page(navigate));
    expect(el.loading.hidden, "the agent's page load shows").toBe(false);
    toolbar.render(page({ ...navigate, outcome: { success: true, durationMs: 40 } }));
    expect(el.loading.hidden, "and goes once it is done").toBe(true);
    toolbar.render(page({ ...navigate, action: "click", navigation: false }));
    expect(el.loading.hidden, "a click is not a page load").toBe(true);
  });

  it("stays while the person's own navigation runs, whatever the agent does", () => {
    const el = elements();
    const toolbar = new Toolbar(el, actions());
    toolbar.render(page(null));
    el.reload.click();
    expect(el.loading.hidden, "the person's reload runs").toBe(false);
    toolbar.render(page({ ...navigate, outcome: { success: true, durationMs: 40 } }));
    expect(el.loading.hidden, "an agent command ending does not hide the person's").toBe(false);
  });
});
