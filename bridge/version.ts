/** The bridge's version, reported by /bridge/health and /bridge/info. */
export const VERSION = '0.1.0';
