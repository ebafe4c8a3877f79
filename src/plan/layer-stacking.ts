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
  /** Each function's template layers, in its order. */
  stacks: FunctionStack[];
}

export interface FunctionStack {
  name: string;
  layers: string[];
}

export function planStacking(layers: readonly string[], functions: readonly FunctionStack[]): LayerStacking {
  const stacks = functions.map((f) => f.layers);
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
  return { commonBelow, sometimesBelow, order, stacks: [...functions] };
}

/**
 * Why a layer keeps distributions a lower layer also ships: some function uses it without that
 * layer below. One note per such lower layer, naming the function. Pure.
 */
export function keptForOtherStacks(
  layer: string,
  stacks: readonly FunctionStack[],
  sometimesBelow: readonly string[],
  provides: (layer: string) => readonly string[],
  own: readonly string[]
): string[] {
  return sometimesBelow.flatMap((lower) => {
    const shared = own.filter((name) => provides(lower).includes(name));
    const without = stacks.find((s) => s.layers.includes(layer) && !s.layers.slice(0, s.layers.indexOf(layer)).includes(lower));
    return shared.length && without
      ? [
          `keeps ${shared.join(', ')} although layer ${lower} provides them: function ${without.name} uses this layer without ${lower} below it`
        ]
      : [];
  });
}
