/* The tests run tool/run as a subprocess through the runner's own helper (GENODE_TEST_JOBS at once). */
export { runCli, type CliResult } from '../../tool/runner/cli_process.js';
