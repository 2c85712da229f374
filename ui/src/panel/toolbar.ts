// The panel's toolbar (back, forward, reload, the URL field, a loading indicator, open
// in the person's browser) and the tab strip. Every action goes to the app as a
// NavAction, which runs it through the session's agent-browser CLI; failures are shown
// under the toolbar, in place. The screenshot button saves the frame on screen (PNG or
// WebP, encoded by the app) and copies it to the clipboard (also through the app:
// WebKitGTK lets no page write images there).
import type { ImageFormat } from "../generated/ImageFormat";
import type { NavAction } from "../generated/NavAction";
import type { PageInfo } from "../generated/PageInfo";
import type { Tab } from "../generated/Tab";

export interface ToolbarElements {
  back: HTMLButtonElement;
  forward: HTMLButtonElement;
  reload: HTMLButtonElement;
  form: HTMLFormElement;
  url: HTMLInputElement;
  loading: HTMLElement;
  external: HTMLButtonElement;
  shot: HTMLButtonElement;
  shotFormat: HTMLSelectElement;
  notice: HTMLElement;
  tabs: HTMLElement;
}

export interface ToolbarActions {
  navigate(action: NavAction): Promise<void>;
  openExternal(url: string): Promise<void>;
  /** Saves the frame on screen; resolves to the file's path. */
  saveScreenshot(format: ImageFormat): Promise<string>;
  /** Copies the frame on screen to the clipboard. */
  copyScreenshot(): Promise<void>;
  /** Whether the page may be driven (Live, not Watch only). */
  enabled(): boolean;
  describe(error: unknown): string;
}

export class Toolbar {
  /** The person's own navigations under way. */
  private pending = 0;
  private page: PageInfo | null = null;

  constructor(
    private readonly el: ToolbarElements,
    private readonly actions: ToolbarActions,
  ) {
    el.back.addEventListener("click", () => this.run({ action: "back" }));
    el.forward.addEventListener("click", () => this.run({ action: "forward" }));
    el.reload.addEventListener("click", () => this.run({ action: "reload" }));
    el.form.addEventListener("submit", (e) => {
      e.preventDefault();
      const url = el.url.value.trim();
      if (url) {
        el.url.blur();
        this.run({ action: "open", url });
      }
    });
    el.url.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Escape") {
        el.url.value = this.page?.url ?? "";
        el.url.blur();
      }
    });
    el.external.addEventListener("click", () => {
      const url = this.page?.url;
      if (url) this.actions.openExternal(url).catch((error) => this.showError(error));
    });
    el.shot.addEventListener("click", () => void this.screenshot());
  }

  private async screenshot(): Promise<void> {
    let path: string;
    try {
      path = await this.actions.saveScreenshot(this.el.shotFormat.value as ImageFormat);
    } catch (error) {
      return this.showError(error);
    }
    try {
      await this.actions.copyScreenshot();
      this.notify(`Saved to ${path} and copied to the clipboard.`);
    } catch (error) {
      this.notify(`Saved to ${path}. Not copied: ${this.actions.describe(error)}`);
    }
  }

  /** Follows the page: its URL (unless the person is typing one) and its tabs. */
  render(page: PageInfo | null): void {
    this.page = page;
    this.showLoading();
    if (document.activeElement !== this.el.url) this.el.url.value = page?.url ?? "";
    this.renderTabs(page?.tabs ?? []);
    this.setEnabled(this.actions.enabled());
  }

  /** Enables the controls when the page may be driven. */
  setEnabled(enabled: boolean): void {
    const has = enabled && this.page !== null;
    for (const b of [this.el.back, this.el.forward, this.el.reload]) b.disabled = !has;
    this.el.url.disabled = !has;
    this.el.external.disabled = !this.page?.url;
    this.el.shot.disabled = this.page === null;
    for (const b of this.el.tabs.querySelectorAll("button")) b.disabled = !has;
  }

  private run(action: NavAction): void {
    if (!this.actions.enabled()) return;
    this.pending++;
    this.showLoading();
    this.el.notice.hidden = true;
    this.actions
      .navigate(action)
      .catch((error) => this.showError(error))
      .finally(() => {
        this.pending--;
        this.showLoading();
      });
  }

  /** Loading while the person's navigation runs, or one the page's last command started. */
  private showLoading(): void {
    const agent = this.page?.agent;
    const commandLoading = agent?.navigation === true && agent.outcome === null;
    this.el.loading.hidden = this.pending === 0 && !commandLoading;
  }

  private showError(error: unknown): void {
    this.notify(this.actions.describe(error), "error");
  }

  /** Says `text` above the page until the next toolbar action. */
  notify(text: string, kind: "info" | "error" = "info"): void {
    this.el.notice.textContent = text;
    this.el.notice.dataset.kind = kind;
    this.el.notice.hidden = false;
  }

  private renderTabs(tabs: Tab[]): void {
    const strip = tabs.map((tab) => {
      const item = document.createElement("div");
      item.className = "tab";
      item.role = "tab";
      item.dataset.testid = "tab";
      item.dataset.tabId = tab.tabId;
      item.setAttribute("aria-selected", String(tab.active));
      const open = button("tab-title", tab.title || tab.url || "New tab", tab.url, () => {
        if (!tab.active) this.run({ action: "switch_tab", tabId: tab.tabId });
      });
      const close = button("tab-close", "×", "Close tab", () => this.run({ action: "close_tab", tabId: tab.tabId }));
      close.setAttribute("aria-label", `Close ${open.textContent}`);
      item.append(open, close);
      return item;
    });
    const add = button("tab-new", "+", "New tab", () => this.run({ action: "new_tab" }));
    this.el.tabs.replaceChildren(...strip, add);
  }
}

/** A strip button; its class doubles as its test id. */
function button(className: string, text: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.className = className;
  b.dataset.testid = className;
  b.textContent = text;
  b.title = title;
  b.addEventListener("click", onClick);
  return b;
}
