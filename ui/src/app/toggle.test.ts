import { afterEach, describe, expect, it } from "vitest";
import { installToggle } from "./toggle";

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("installToggle", () => {
  afterEach(() => document.body.replaceChildren());

  it("shows the app's answer, and asks to change it", async () => {
    const box = document.createElement("input");
    box.type = "checkbox";
    document.body.append(box);
    const asked: boolean[] = [];
    installToggle(box, false, async (on) => void asked.push(on), () => {});
    expect(box.checked, "off by default").toBe(false);
    box.click();
    await settle();
    expect(asked).toEqual([true]);
    expect(box.checked).toBe(true);
  });

  it("puts the box back when the entry cannot be written, and says why", async () => {
    const box = document.createElement("input");
    box.type = "checkbox";
    document.body.append(box);
    const errors: unknown[] = [];
    installToggle(box, true, () => Promise.reject(new Error("read-only")), (e) => errors.push(e));
    box.click();
    await settle();
    expect(box.checked, "still on: nothing changed").toBe(true);
    expect(errors).toHaveLength(1);
    expect(box.disabled).toBe(false);
  });
});
