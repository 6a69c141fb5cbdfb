// Preloaded into a child (`node -r`): prints the process's peak RSS (KiB) on stderr when it exits.
process.on('exit', () => process.stderr.write(`\nMAX_RSS_KB=${process.resourceUsage().maxRSS}\n`));
