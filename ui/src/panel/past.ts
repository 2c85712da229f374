// A moment of the timeline shown in the panel: the page as it was, frozen over the live
// frames and marked as the past, with "Back to live" (or Esc). While it shows, nothing
// the person does reaches the page: the panel's input asks `shown` first.
//
// Usage: `const past = new PastView(elements); past.show(dataUrl, "after click #go · 14:03:07"); past.hide();`

export interface PastElements {
  root: HTMLElement;
  image: HTMLImageElement;
  caption: HTMLElement;
  back: HTMLButtonElement;
}

export class PastView {
  private listeners: Array<(shown: boolean) => void> = [];

  constructor(
    private readonly el: PastElements,
    keys: Pick<Document, "addEventListener"> = document,
  ) {
    el.back.addEventListener("click", () => this.hide());
    keys.addEventListener("keydown", (e: KeyboardEvent) => {
      if (e.key === "Escape" && this.shown) {
        e.preventDefault();
        this.hide();
      }
    });
  }

  get shown(): boolean {
    return !this.el.root.hidden;
  }

  /** Shows the still at `url` as the past, captioned. */
  show(url: string, caption: string): void {
    this.el.image.src = url;
    this.el.caption.textContent = caption;
    this.el.root.hidden = false;
    for (const l of this.listeners) l(true);
  }

  /** Back to live. */
  hide(): void {
    if (!this.shown) return;
    this.el.root.hidden = true;
    this.el.image.removeAttribute("src");
    for (const l of this.listeners) l(false);
  }

  onChange(listener: (shown: boolean) => void): void {
    this.listeners.push(listener);
  }
}
