import { defineConfig } from "vitest/config";

// End-to-end tests drive the built app in its real webview through tauri-driver, one
// app at a time (a single WebDriver server, a single display).
export default defineConfig({
  test: {
    root: __dirname,
    include: ["**/*.e2e.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    reporters: ["default", "../support/failureSummary.ts"],
  },
});
