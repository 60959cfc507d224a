/**
 * What a savings figure measures. Its own module, free of ORM and GraphQL imports, so that the
 * workbook-reading worker can use it; savings-figure.ts registers it with GraphQL.
 */
export enum SavingsMeasure {
  TARGET = "TARGET",
  ESTIMATE = "ESTIMATE",
  FORECAST = "FORECAST",
  ACHIEVED = "ACHIEVED",
}
