-- Per-release totals of the scrape's duration histogram, cumulative per bucket bound (`le` as scraped, "+Inf" the
-- total): the latency-quantile test finds the bound the last known good kept its quantile under.
CREATE TABLE release_latency (
    component  text NOT NULL,
    version    text NOT NULL,
    le         text NOT NULL,
    count      double precision NOT NULL,
    PRIMARY KEY (component, version, le)
);
