import { describe, expect, it } from "vitest";
import { installShortcuts, shortcutFor, type Shortcut } from "./shortcuts";

const press = (key: string, mods: Partial<Record<"ctrlKey" | "shiftKey" | "altKey" | "metaKey", boolean>> = {}) => ({
  key,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  metaKey: false,
  ...mods,
});

describe("shortcutFor", () => {
  it("knows the app's shortcuts", () => {
    expect(shortcutFor(press("l", { ctrlKey: true }))).toBe("address");
    expect(shortcutFor(press("r", { ctrlKey: true }))).toBe("reload");
    expect(shortcutFor(press("F5"))).toBe("reload");
    expect(shortcutFor(press("b", { ctrlKey: true }))).toBe("sidebar");
    expect(shortcutFor(press("M", { ctrlKey: true, shiftKey: true })), "Shift makes the key upper case").toBe("compact");
    expect(shortcutFor(press("O", { ctrlKey: true, shiftKey: true }))).toBe("watchOnly");
  });

  it("leaves every other key alone", () => {
    expect(shortcutFor(press("l")), "a plain letter is typing").toBeNull();
    expect(shortcutFor(press("c", { ctrlKey: true })), "copy is not the app's").toBeNull();
    expect(shortcutFor(press("l", { ctrlKey: true, altKey: true }))).toBeNull();
    expect(shortcutFor(press("F5", { shiftKey: true }))).toBeNull();
  });
});

describe("installShortcuts", () => {
  function setup(pageHasKeys: boolean) {
    const ran: Shortcut[] = [];
    const target = new EventTarget();
    const record = (s: Shortcut) => () => void ran.push(s);
    installShortcuts(target as unknown as Document, () => pageHasKeys, {
      address: record("address"),
      reload: record("reload"),
      sidebar: record("sidebar"),
      compact: record("compact"),
      watchOnly: record("watchOnly"),
    });
    const send = (key: string, mods = {}) => {
      const e = new KeyboardEvent("keydown", { key, cancelable: true, ...mods });
      target.dispatchEvent(e);
      return e;
    };
    return { ran, send };
  }

  it("runs a shortcut and keeps the key from the webview", () => {
    const { ran, send } = setup(false);
    const e = send("r", { ctrlKey: true });
    expect(ran).toEqual(["reload"]);
    expect(e.defaultPrevented, "the webview does not reload itself").toBe(true);
  });

  it("never takes a key while the page has the keyboard", () => {
    const { ran, send } = setup(true);
    const e = send("l", { ctrlKey: true });
    expect(ran, "Ctrl+L goes to the page while the panel has focus").toEqual([]);
    expect(e.defaultPrevented).toBe(false);
  });
});
