import { afterEach, describe, expect, it, vi } from "vitest";
import { renderRecent, workspaceName } from "./workspace";

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
    renderRecent(container, { workspace: "/b", recent: ["/b", "/a", "/c"] }, vi.fn());
    expect(container.querySelector("h2")?.textContent).toBe("Recent workspaces");
    expect(buttons(container).map((b) => b.title), "the open workspace is not offered again").toEqual(["Open /a", "Open /c"]);
    expect(buttons(container)[0].textContent, "the whole path, kept left to right").toBe("\u200e/a\u200e");
  });

  it("opens the workspace clicked", () => {
    const container = document.body.appendChild(document.createElement("section"));
    const open = vi.fn();
    renderRecent(container, { workspace: "/b", recent: ["/a", "/c"] }, open);
    buttons(container)[1].click();
    expect(open, "the clicked workspace's path").toHaveBeenCalledWith("/c");
  });

  it("shows nothing, not even the heading, when there is no other workspace", () => {
    const container = document.body.appendChild(document.createElement("section"));
    renderRecent(container, { workspace: "/a", recent: ["/a", "/b"] }, vi.fn());
    renderRecent(container, { workspace: "/a", recent: ["/a"] }, vi.fn());
    expect(container.childElementCount, "an earlier list is cleared").toBe(0);
  });
});
