// Replaces the "server-only" guard under vitest, where no React Server Components bundler runs.
export {};
