import { afterEach, describe, expect, it } from "vitest";
import { setupConnect, type ConnectElements } from "./connect";

function elements(): ConnectElements {
  document.body.innerHTML = `
    <details open><summary>Connect to a browser…</summary>
      <form><input><button type="submit">Connect</button><p hidden></p></form>
    </details>`;
  return {
    details: document.querySelector("details")!,
    form: document.querySelector("form")!,
    address: document.querySelector("input")!,
    submit: document.querySelector("button")!,
    error: document.querySelector("p")!,
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("setupConnect", () => {
  afterEach(() => document.body.replaceChildren());

  it("sends the typed address and closes once connected", async () => {
    const el = elements();
    const sent: string[] = [];
    setupConnect(el, async (a) => void sent.push(a), String);
    el.address.value = "  9222 ";
    el.form.requestSubmit();
    await settle();
    expect(sent, "the address, trimmed").toEqual(["9222"]);
    expect(el.details.open, "the form closes").toBe(false);
    expect(el.address.value).toBe("");
  });

  it("shows a refusal under the field and keeps what was typed", async () => {
    const el = elements();
    setupConnect(
      el,
      () => Promise.reject({ code: "invalid_endpoint", message: "“10.0.0.5:9222” is not on this machine" }),
      (e) => (e as { message: string }).message,
    );
    el.address.value = "10.0.0.5:9222";
    el.form.requestSubmit();
    await settle();
    expect(el.error.hidden).toBe(false);
    expect(el.error.textContent).toContain("not on this machine");
    expect(el.address.value, "nothing typed is lost").toBe("10.0.0.5:9222");
    expect(el.submit.disabled, "and it can be tried again").toBe(false);
  });

  it("sends nothing for an empty field", async () => {
    const el = elements();
    const sent: string[] = [];
    setupConnect(el, async (a) => void sent.push(a), String);
    el.form.requestSubmit();
    await settle();
    expect(sent).toEqual([]);
  });
});
