import { describe, expect, it } from "vitest";
import { renderAbout } from "./about";

describe("renderAbout", () => {
  it("names the version, and where the logs are when there are any", () => {
    const footer = document.createElement("footer");
    renderAbout(footer, { version: "1.2.3", logDir: "/logs" });
    expect(footer.textContent, "which Porthole this is").toBe("Porthole 1.2.3");
    expect(footer.title, "where to find its logs").toBe("Logs: /logs");
    const bare = document.createElement("footer");
    renderAbout(bare, { version: "1.2.3", logDir: null });
    expect(bare.title, "no hint without a log directory").toBe("");
  });
});
