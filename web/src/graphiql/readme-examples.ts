import readme from "../../../README.md?raw";

/**
 * The README's GraphQL examples (its ```graphql blocks), one IDE tab each: the examples are written
 * once, in the README, and the IDE opens with them.
 */
export function readmeExamples(): { query: string }[] {
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)];
  return blocks.map((match) => ({ query: match[1]!.trim() + "\n" }));
}
