/** The V8 flags bin/sshub.js starts Node with, for benchmarks that run the hub in a process of its own. */
export const SSHUB_NODE_FLAGS = [
  "--max-semi-space-size=16",
  "--heap-growing-percent=100",
];
