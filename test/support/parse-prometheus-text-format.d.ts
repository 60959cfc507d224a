// The package ships no types: the shape of what it returns, as its README describes it.
declare module "parse-prometheus-text-format" {
  namespace parsePrometheusTextFormat {
    /** One sample: a counter's or gauge's value, or a histogram's buckets, count and sum. */
    interface Sample {
      value?: string;
      labels?: Record<string, string>;
      buckets?: Record<string, string>;
      count?: string;
      sum?: string;
    }
    /** One metric family: its samples, by label set. */
    interface Family {
      name: string;
      help: string;
      type: "COUNTER" | "GAUGE" | "HISTOGRAM" | "SUMMARY" | "UNTYPED";
      metrics: Sample[];
    }
  }
  function parsePrometheusTextFormat(
    text: string,
  ): parsePrometheusTextFormat.Family[];
  export = parsePrometheusTextFormat;
}
