import { defineConfig } from "vitest/config";

// The UI is built into ui/dist and embedded in the binary; no dev server is involved.
export default defineConfig({
  root: __dirname,
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    sourcemap: false,
  },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.ts"],
  },
});
