import { parse, stringify } from "yaml";

/** The parts of a Prometheus configuration the adaptation touches (the rest is kept as is). */
interface StaticConfig {
  targets: string[];
  [key: string]: unknown;
}
interface ScrapeConfig {
  job_name: string;
  scrape_interval?: string;
  scrape_timeout?: string;
  static_configs?: StaticConfig[];
  [key: string]: unknown;
}
interface PrometheusConfig {
  global?: Record<string, unknown>;
  scrape_configs?: ScrapeConfig[];
  [key: string]: unknown;
}

export interface ScrapeAdaptation {
  /** `host:port` of each job's targets, by job name; every job of the file must be named. */
  targets: Record<string, string[]>;
  /** The scrape (and evaluation) interval, e.g. "1s": short, so a test sees data in seconds. */
  interval: string;
}

/** The keys the adaptation may change: anything else differing is a bug of the adaptation. */
const INTERVAL_KEYS = ["scrape_interval", "scrape_timeout", "evaluation_interval"] as const;

/**
 * The real `deploy/prometheus/prometheus.yml` pointed at test targets: only the targets and
 * the intervals change (the file's jobs, paths, schemes and labels are what gets tested).
 * Throws when the file has a job the caller does not know, or lacks one it names.
 */
export function adaptScrapeConfig(realText: string, adaptation: ScrapeAdaptation): string {
  const config = parse(realText) as PrometheusConfig;
  const jobs = config.scrape_configs ?? [];
  const names = jobs.map((job) => job.job_name).sort();
  const wanted = Object.keys(adaptation.targets).sort();
  if (JSON.stringify(names) !== JSON.stringify(wanted)) {
    throw new Error(`the file's jobs are [${names}], the test knows [${wanted}]`);
  }
  config.global = {
    ...config.global,
    scrape_interval: adaptation.interval,
    evaluation_interval: adaptation.interval,
  };
  for (const job of jobs) {
    job.scrape_interval = adaptation.interval;
    job.scrape_timeout = adaptation.interval;
    const statics = job.static_configs ?? [];
    if (statics.length !== 1) {
      throw new Error(
        `job ${job.job_name}: expected one static_configs entry, not ${statics.length}`,
      );
    }
    (statics[0] as StaticConfig).targets = adaptation.targets[job.job_name] as string[];
  }
  return stringify(config);
}

/** The configuration without what an adaptation may change: equal for the real and adapted file. */
export function withoutTargetsAndIntervals(text: string): unknown {
  const config = parse(text) as PrometheusConfig;
  const strip = (object: Record<string, unknown> | undefined) => {
    for (const key of INTERVAL_KEYS) delete object?.[key];
  };
  strip(config.global);
  for (const job of config.scrape_configs ?? []) {
    strip(job);
    for (const entry of job.static_configs ?? []) entry.targets = [];
  }
  return config;
}
