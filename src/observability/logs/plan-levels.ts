/**
 * Steps grouped by depth (a step sits one level after its deepest need), in declaration order
 * within a level. Used when a session has no manifest plan to read the levels from.
 */
export function planLevels(steps: ReadonlyArray<{ id: string; needs: readonly string[] }>): string[][] {
  const depth = new Map<string, number>();
  const byId = new Map(steps.map((step) => [step.id, step]));
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const step = byId.get(id);
    // Unknown needs and cycles (never in a compiled manifest) are treated as roots rather than looping.
    if (!step || visiting.has(id)) return 0;
    visiting.add(id);
    const value = step.needs.reduce(
      (deepest, need) => (byId.has(need) ? Math.max(deepest, depthOf(need) + 1) : deepest),
      0,
    );
    visiting.delete(id);
    depth.set(id, value);
    return value;
  };
  const levels: string[][] = [];
  for (const step of steps) {
    const level = depthOf(step.id);
    while (levels.length <= level) levels.push([]);
    levels[level]?.push(step.id);
  }
  return levels;
}
