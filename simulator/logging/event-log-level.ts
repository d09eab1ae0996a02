/** `serve --log-level`, most to least severe; each level logs its own events and those above it. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
/** A `serve --log-level` value. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * How severe each event is for an operator. `error`: the simulator failed a file. `warn`: a
 * client was refused, cut off or banned, or a fault was applied. `debug`: every SFTP operation
 * and probe (the journal has them too). Everything else (logins, uploads, outcomes, deliveries)
 * is `info`, the default.
 */
const EVENT_LEVELS: Readonly<Record<string, LogLevel>> = {
  'file:failed': 'error',
  'auth:refused': 'warn',
  'upload:refused': 'warn',
  'upload:incomplete': 'warn',
  'file:halted': 'warn',
  'sftp:denied': 'warn',
  'sftp:limited': 'warn',
  'defender:banned': 'warn',
  'fault:applied': 'warn',
  'webhook:failed': 'warn',
  'sftp:operation': 'debug',
  'upload:probed': 'debug',
};

export function eventLevel(event: string): LogLevel {
  return EVENT_LEVELS[event] ?? 'info';
}

/** Whether an event is logged at this level (progress ticks never are: four a second). */
export function isLogged(event: string, level: LogLevel): boolean {
  if (event === 'processing:progress') return false;
  return LOG_LEVELS.indexOf(eventLevel(event)) <= LOG_LEVELS.indexOf(level);
}
