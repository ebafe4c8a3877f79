/**
 * Which layers lie below which, over every function's stack. Lambda extracts a function's layers
 * in order into /opt, so a layer may leave out what the layers below it provide, but only the
 * layers below it in every stack that uses it. Pure.
 */
export interface LayerStacking {
  /** Per layer: the layers below it in every stack that uses it, in stack order. */
  commonBelow: Map<string, string[]>;
  /** Per layer: layers below it in some stacks but not all (what it must keep for the others). */
  sometimesBelow: Map<string, string[]>;
  /** Build order: each layer after the ones it is resolved against. */
  order: string[];
}

export function planStacking(layers: readonly string[], stacks: readonly (readonly string[])[]): LayerStacking {
  const commonBelow = new Map<string, string[]>();
  const sometimesBelow = new Map<string, string[]>();
  for (const layer of layers) {
    const belows = stacks.filter((s) => s.includes(layer)).map((s) => s.slice(0, s.indexOf(layer)));
    const common = belows.length ? belows.reduce((acc, below) => acc.filter((l) => below.includes(l))) : [];
    const some = [...new Set(belows.flat())].filter((l) => !common.includes(l));
    commonBelow.set(layer, common);
    sometimesBelow.set(layer, some);
  }
  // Common-below relations follow every stack's order, so they cannot form a cycle.
  const order: string[] = [];
  const visit = (layer: string) => {
    if (order.includes(layer)) return;
    for (const below of commonBelow.get(layer) ?? []) visit(below);
    order.push(layer);
  };
  layers.forEach(visit);
  return { commonBelow, sometimesBelow, order };
}
