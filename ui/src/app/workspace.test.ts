import { afterEach, describe, expect, it, vi } from "vitest";
import { renderRecent, shortPath, workspaceName } from "./workspace";

describe("shortPath", () => {
  it("writes the home folder as ~, and nothing else", () => {
    expect(shortPath("/home/me/shop", "/home/me")).toBe("~/shop");
    expect(shortPath("/home/me", "/home/me/")).toBe("~");
    expect(shortPath("/home/meta/shop", "/home/me"), "a sibling that shares a prefix is not home").toBe("/home/meta/shop");
    expect(shortPath("/srv/shop", null)).toBe("/srv/shop");
    expect(shortPath("/srv/shop", "/"), "a home of / abbreviates nothing").toBe("/srv/shop");
  });
});

describe("workspaceName", () => {
  it("is the workspace's folder name", () => {
    expect(workspaceName("/home/ada/site"), "the last segment of the path").toBe("site");
    expect(workspaceName("/home/ada/site/"), "a trailing slash changes nothing").toBe("site");
    expect(workspaceName("/"), "the root is named by its path").toBe("/");
  });
});

describe("renderRecent", () => {
  afterEach(() => document.body.replaceChildren());

  const buttons = (container: HTMLElement) => [...container.querySelectorAll<HTMLButtonElement>('[data-testid="recent-workspace"]')];

  it("lists the workspaces opened before, but the open one, under a heading", () => {
    const container = document.body.appendChild(document.createElement("section"));
    renderRecent(container, { workspace: "/b", recent: ["/b", "/a", "/c"], home: null }, vi.fn());
    expect(container.querySelector("h2")?.textContent).toBe("Recent workspaces");
    expect(buttons(container).map((b) => b.title), "the open workspace is not offered again").toEqual(["Open /a", "Open /c"]);
    expect(buttons(container)[0].textContent, "the whole path, kept left to right").toBe("\u200e/a\u200e");
  });

  it("opens the workspace clicked", () => {
    const container = document.body.appendChild(document.createElement("section"));
    const open = vi.fn();
    renderRecent(container, { workspace: "/b", recent: ["/a", "/c"], home: null }, open);
    buttons(container)[1].click();
    expect(open, "the clicked workspace's path").toHaveBeenCalledWith("/c");
  });

  it("shows nothing, not even the heading, when there is no other workspace", () => {
    const container = document.body.appendChild(document.createElement("section"));
    renderRecent(container, { workspace: "/a", recent: ["/a", "/b"], home: null }, vi.fn());
    renderRecent(container, { workspace: "/a", recent: ["/a"], home: null }, vi.fn());
    expect(container.childElementCount, "an earlier list is cleared").toBe(0);
  });
});
