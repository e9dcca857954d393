/** Scale-out settings (REDIS_URL and friends); null config = single instance, in memory. */
export interface ClusterConfig {
  /** redis://[user:pass@]host:port[/db] or rediss:// */
  url: string;
  /** prefix of every key and channel, so several deployments can share one Redis */
  prefix: string;
  /** an instance whose heartbeat key is older than this is dead: its peers leave presence */
  heartbeatTtlMs: number;
}

export const DEFAULT_CLUSTER_PREFIX = 'pb:';
export const DEFAULT_HEARTBEAT_TTL_MS = 5000;
